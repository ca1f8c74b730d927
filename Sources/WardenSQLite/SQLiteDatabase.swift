import CSQLite
import Synchronization

/// A SQLite connection: opens a file, runs statements, binds and reads values. All unsafe
/// pointer work stays in here. Not thread-safe by itself: callers that share it go through
/// `serialized`.
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    let path: String
    private let mutex = Mutex(())

    /// Runs `body` while no other thread uses this connection through `serialized`.
    func serialized<R>(_ body: () -> R) -> R {
        var result: R?
        mutex.withLock { _ in result = body() }
        return result!
    }

    init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        self.path = path
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            handle = nil
            throw SQLiteError(path: path, code: rc, message: message)
        }
        // A write waits at most a second for a lock another connection holds, then fails (and the
        // engine answers without the penalty) rather than stall every request behind it.
        sqlite3_busy_timeout(handle, 1000)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close(handle)
    }

    /// Prepared statements by their text, kept for the connection's life: the ledger runs a
    /// handful of statements over and over, and preparing one costs more than running it.
    private var statements: [String: OpaquePointer] = [:]

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws(SQLiteError) {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(error)
            throw SQLiteError(path: path, code: rc, message: message)
        }
    }

    /// A parameter, or a column of a row, as SQLite typed it: numbers come back as numbers.
    enum Value: Equatable {
        case text(String)
        case real(Double)
        case integer(Int)
        case null

        var text: String? { if case .text(let s) = self { s } else { nil } }
        var double: Double? {
            switch self {
            case .real(let d): d
            case .integer(let n): Double(n)
            default: nil
            }
        }
        var int: Int? {
            switch self {
            case .integer(let n): n
            case .real(let d): Int(exactly: d)
            default: nil
            }
        }
    }

    /// Runs one statement with parameters and returns its rows, each column typed.
    @discardableResult
    func run(_ sql: String, _ values: [Value] = []) throws(SQLiteError) -> [[Value]] {
        let statement: OpaquePointer
        if let cached = statements[sql] {
            statement = cached
        } else {
            var prepared: OpaquePointer?
            guard sqlite3_prepare_v2(handle, sql, -1, &prepared, nil) == SQLITE_OK, let prepared else { throw lastError() }
            statements[sql] = prepared
            statement = prepared
        }
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            switch value {
            case .text(let s): sqlite3_bind_text(statement, index, s, -1, csqlite_transient())
            case .real(let d): sqlite3_bind_double(statement, index, d)
            case .integer(let n): sqlite3_bind_int64(statement, index, Int64(n))
            case .null: sqlite3_bind_null(statement, index)
            }
        }
        var rows: [[Value]] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw lastError() }
            let columns = sqlite3_column_count(statement)
            rows.append(
                (0..<columns).map { c in
                    switch sqlite3_column_type(statement, c) {
                    case SQLITE_INTEGER: .integer(Int(sqlite3_column_int64(statement, c)))
                    case SQLITE_FLOAT: .real(sqlite3_column_double(statement, c))
                    case SQLITE_NULL: .null
                    default: sqlite3_column_text(statement, c).map { .text(String(cString: $0)) } ?? .null
                    }
                })
        }
        return rows
    }

    private func lastError() -> SQLiteError {
        SQLiteError(path: path, code: sqlite3_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
    }
}

public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var code: Int32
    public var message: String
    public var description: String { "\(path): sqlite: \(message)" }
}
