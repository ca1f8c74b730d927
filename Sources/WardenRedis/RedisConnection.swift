import CHiredis
import Glibc

/// One connection to a Redis server through hiredis: connect and command timeouts, pipelined
/// commands, replies copied into `RedisValue`. Not thread-safe: `RedisPool` hands a connection
/// to one caller at a time. After an I/O error the connection is broken for good (`isBroken`)
/// and the pool replaces it.
package final class RedisConnection {
    private let context: UnsafeMutablePointer<redisContext>
    package private(set) var isBroken = false
    /// Pipelines answered so far.
    package private(set) var served = 0
    /// Seconds each reply may take now (`setTimeout`).
    private var timeout: Double

    /// - Parameter timeout: seconds for connecting, and for each reply.
    /// - Parameter credentials: sent with `AUTH` once connected; a refusal is an error.
    package init(host: String, port: Int, timeout: Double, credentials: RedisCredentials? = nil) throws(RedisError) {
        let tv = Self.timeval(timeout)
        self.timeout = timeout
        guard let c = redisConnectWithTimeout(host, Int32(port), tv) else { throw RedisError("out of memory connecting") }
        if c.pointee.err != 0 {
            let message = Self.message(c)
            redisFree(c)
            throw RedisError("cannot connect to \(host):\(port): \(message)")
        }
        redisSetTimeout(c, tv)
        context = c
        if let credentials {
            let reply = try command(credentials.command)
            if case .error(let message) = reply {
                isBroken = true
                throw RedisError("Redis refused the credentials (AUTH): \(message)", refused: true)
            }
        }
    }

    deinit { redisFree(context) }

    private static func timeval(_ seconds: Double) -> Glibc.timeval {
        let s = max(0.001, seconds)
        return Glibc.timeval(tv_sec: Int(s), tv_usec: Int((s - s.rounded(.down)) * 1_000_000))
    }

    /// Seconds each reply may take from now on (a check's deadline shortens it; a `WAIT`
    /// lengthens it by the time the server itself waits). A system call only when it changes.
    package func setTimeout(_ seconds: Double) {
        guard seconds != timeout else { return }
        timeout = seconds
        redisSetTimeout(context, Self.timeval(seconds))
    }

    /// Sends every command, then reads every reply (one round trip).
    package func pipeline(_ commands: [[String]]) throws(RedisError) -> [RedisValue] {
        guard !isBroken else { throw RedisError("connection is broken") }
        for command in commands {
            let status = Self.withArguments(command) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            guard status == REDIS_OK else { throw fail() }
        }
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else { throw fail() }
            let reply = raw.assumingMemoryBound(to: redisReply.self)
            replies.append(Self.value(reply))
            freeReplyObject(raw)
        }
        served += 1
        return replies
    }

    /// One command, one reply.
    package func command(_ arguments: [String]) throws(RedisError) -> RedisValue {
        try pipeline([arguments])[0]
    }

    private func fail() -> RedisError {
        isBroken = true
        let timedOut = context.pointee.err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK)
        return RedisError(Self.message(context), timedOut: timedOut)
    }

    private static func message(_ c: UnsafeMutablePointer<redisContext>) -> String {
        let text = withUnsafeBytes(of: c.pointee.errstr) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return text.isEmpty ? "I/O error \(c.pointee.err)" : text
    }

    /// hiredis takes arguments as C arrays of pointers and lengths (binary-safe).
    private static func withArguments<R>(
        _ arguments: [String], _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        let storage = arguments.map { Array($0.utf8) }
        let lengths = storage.map(\.count)
        let pointers = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: max(1, storage.count))
        defer { pointers.deallocate() }
        let buffers = storage.map { bytes -> UnsafeMutablePointer<CChar> in
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, bytes.count))
            bytes.withUnsafeBufferPointer { b in
                if let base = b.baseAddress {
                    p.update(from: UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), count: bytes.count)
                }
            }
            return p
        }
        defer { buffers.forEach { $0.deallocate() } }
        for (i, b) in buffers.enumerated() { pointers[i] = UnsafePointer(b) }
        return lengths.withUnsafeBufferPointer { body(Int32(storage.count), pointers, $0.baseAddress!) }
    }

    private static func value(_ r: UnsafeMutablePointer<redisReply>) -> RedisValue {
        let reply = r.pointee
        func text() -> String {
            guard let str = reply.str else { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: str, count: reply.len), as: UTF8.self)
        }
        switch reply.type {
        case REDIS_REPLY_STRING: return .string(text())
        case REDIS_REPLY_INTEGER: return .integer(Int(reply.integer))
        case REDIS_REPLY_NIL: return .null
        case REDIS_REPLY_STATUS: return .status(text())
        case REDIS_REPLY_ERROR: return .error(text())
        case REDIS_REPLY_ARRAY:
            var items: [RedisValue] = []
            for i in 0..<reply.elements {
                if let element = reply.element[i] { items.append(value(element)) }
            }
            return .array(items)
        default: return .null
        }
    }
}
