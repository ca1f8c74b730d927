/// A review-loop record the SQLite and Redis stores keep as JSON text.
public protocol StoredRecord {
    init?(json: JSONValue)
}

extension StoredRecord {
    /// Reads the stored text back; nil when it is not JSON or not such a record.
    public init?(storedText text: String) {
        guard let value = try? JSONParser.parse(text) else { return nil }
        self.init(json: value)
    }
}

extension EntityLabel: StoredRecord {}
extension ListEntry: StoredRecord {}
extension ChangeRecord: StoredRecord {}
extension RuleSetVersion: StoredRecord {}
extension RuleDraft: StoredRecord {}
