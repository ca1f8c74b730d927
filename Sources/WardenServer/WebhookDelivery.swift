import AsyncHTTPClient
import Foundation
import NIOCore
import WardenEngine
import WardenMatching

/// Delivers the penalty outbox to a webhook: in order (so in order per target), at least once,
/// with an `Idempotency-Key` header per message, exponential backoff between attempts (0.1 s
/// doubling to 30 s), and after `maxAttempts` failures the message is dead-lettered (counted in
/// `/metrics`) and the next one goes. Posts with async-http-client's shared client (its own
/// event loops and connection pool, kept alive between messages). With a secret, each body is
/// signed: `Warden-Signature: t=UNIX_SECONDS,v1=HEX`, where HEX is HMAC-SHA256 of `t` + "." +
/// the body under the secret; the time lets a receiver refuse a replayed delivery.
package final class WebhookDelivery: Sendable {
    let url: URL
    let ledger: any PenaltyOutbox
    let maxAttempts: Int
    let client: HTTPClient
    /// Signs every body when set (`--webhook-secret-file`, `WARDEN_WEBHOOK_SECRET`).
    let secret: [UInt8]?
    /// How long one delivery may take, connection included.
    static let timeout = TimeAmount.seconds(10)

    package init(url: URL, ledger: any PenaltyOutbox, maxAttempts: Int = 8, client: HTTPClient = .shared, secret: String? = nil) {
        self.url = url
        self.secret = secret.map { Array($0.utf8) }
        self.ledger = ledger
        self.maxAttempts = maxAttempts
        self.client = client
    }

    package func run() async {
        while !Task.isCancelled {
            guard let message = ledger.nextOutboxMessage() else {
                try? await Task.sleep(nanoseconds: 100_000_000)
                continue
            }
            let delivered = await post(message)
            ledger.outboxAttempt(message.seq, delivered: delivered, maxAttempts: maxAttempts)
            if !delivered, message.attempts + 1 < maxAttempts {
                let backoff = min(30, 0.1 * pow(2, Double(message.attempts)))
                try? await Task.sleep(nanoseconds: UInt64(backoff * 1e9))
            }
        }
    }

    /// `t=…,v1=…` for `body` at `time` (each attempt signs anew: its time is when it was sent).
    package static func signature(_ body: String, secret: [UInt8], at time: Date) -> String {
        let t = Int(time.timeIntervalSince1970)
        return "t=\(t),v1=" + HMACSHA256.hex(key: secret, message: Array("\(t).\(body)".utf8))
    }

    /// One attempt: true on a 2xx answer. The answer's body is read (up to 64 KiB) so the
    /// connection goes back to the pool.
    func post(_ message: OutboxMessage) async -> Bool {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: message.key)
        if let secret { request.headers.add(name: "Warden-Signature", value: Self.signature(message.body, secret: secret, at: Date())) }
        request.body = .bytes(ByteBuffer(string: message.body))
        do {
            let response = try await client.execute(request, timeout: Self.timeout)
            _ = try await response.body.collect(upTo: 1 << 16)
            return (200..<300).contains(response.status.code)
        } catch {
            return false
        }
    }
}
