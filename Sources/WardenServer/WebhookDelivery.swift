import Foundation
import WardenEngine

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Delivers the penalty outbox to a webhook: in order (so in order per target), at least once,
/// with an `Idempotency-Key` header per message, exponential backoff between attempts (0.1 s
/// doubling to 30 s), and after `maxAttempts` failures the message is dead-lettered (counted in
/// `/metrics`) and the next one goes.
public final class WebhookDelivery: Sendable {
    let url: URL
    let ledger: any PenaltyOutbox
    let maxAttempts: Int

    public init(url: URL, ledger: any PenaltyOutbox, maxAttempts: Int = 8) {
        self.url = url
        self.ledger = ledger
        self.maxAttempts = maxAttempts
    }

    public func run() async {
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

    func post(_ message: OutboxMessage) async -> Bool {
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.httpBody = Data(message.body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(message.key, forHTTPHeaderField: "Idempotency-Key")
        guard let (_, response) = try? await URLSession.shared.data(for: request), let http = response as? HTTPURLResponse else {
            return false
        }
        return (200..<300).contains(http.statusCode)
    }
}
