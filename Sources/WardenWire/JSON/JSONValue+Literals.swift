/// JSON written as Swift literals (`["id": 1, "result": ["kind": "markdown"]]`), and typed reads
/// of parsed values: what the language server builds and reads its messages with.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(stringInterpolation: DefaultStringInterpolation) { self = .string(String(stringInterpolation: stringInterpolation)) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// Keys keep the order they are written in.
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }

    /// An integer as a number.
    public static func int(_ n: Int) -> JSONValue { .number(Double(n)) }

    /// The string, or nil for another type.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number when it is a whole number that fits an `Int`, else nil.
    public var intValue: Int? {
        guard case .number(let d) = self, d == d.rounded(), abs(d) < 9e15 else { return nil }
        return Int(d)
    }

    /// The elements, or nil for another type.
    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The compact JSON text of the value.
    public var text: String {
        var writer = JSONWriter()
        writer.value(self)
        return writer.output
    }
}
