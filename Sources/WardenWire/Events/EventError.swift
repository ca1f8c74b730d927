/// Why an input line is not a valid event, with where: file, line, column or key.
public struct EventError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var column: Int?
    public var key: String?
    public var message: String

    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    /// `file:line:col: message` or `file:line: key 'to': message`.
    public var description: String {
        var place = [file ?? "<input>"]
        if let line { place.append(String(line)) }
        if let column { place.append(String(column)) }
        let keyPart = key.map { "key '\($0)': " } ?? ""
        return place.joined(separator: ":") + ": " + keyPart + message
    }
}
