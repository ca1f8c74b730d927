/// Writes compact JSON with keys in the order given (decisions read best in a fixed order).
public struct JSONWriter {
    public private(set) var output = ""

    public init() {}

    public static func quote(_ s: String) -> String {
        var w = JSONWriter()
        w.string(s)
        return w.output
    }

    public mutating func raw(_ s: String) { output += s }

    public mutating func string(_ s: String) {
        output += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// `["a","b"]`.
    public mutating func strings(_ items: [String]) {
        output += "["
        for (k, item) in items.enumerated() {
            if k > 0 { output += "," }
            string(item)
        }
        output += "]"
    }

    public mutating func number(_ d: Double) {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 {
            output += String(Int64(d))
        } else if d.isFinite {
            output += String(d)
        } else {
            output += "null"
        }
    }

    public mutating func value(_ v: JSONValue) {
        switch v {
        case .null: output += "null"
        case .bool(let b): output += b ? "true" : "false"
        case .number(let d): number(d)
        case .string(let s): string(s)
        case .array(let items):
            output += "["
            for (k, item) in items.enumerated() {
                if k > 0 { output += "," }
                value(item)
            }
            output += "]"
        case .object(let pairs):
            output += "{"
            for (k, pair) in pairs.enumerated() {
                if k > 0 { output += "," }
                string(pair.0)
                output += ":"
                value(pair.1)
            }
            output += "}"
        }
    }
}
