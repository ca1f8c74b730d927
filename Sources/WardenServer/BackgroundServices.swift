import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import WardenEngine

/// The server's background work as ServiceLifecycle services, run in the application's service
/// group. On SIGTERM the group shuts down in reverse order: the HTTP server first (it stops
/// accepting and drains the requests in flight), then these, the snapshot last, so the final
/// snapshot and the WAL checkpoint see every answered request.

/// Snapshots the counters and the invite graph into the state's snapshot store (the SQLite
/// file) every `every` seconds, and once more, then checkpoints the store, when the server stops.
package struct SnapshotService: Service {
    let store: any SnapshotStore
    let service: WardenService
    let every: Double
    let logger: Logger

    package init(store: any SnapshotStore, service: WardenService, every: Double, logger: Logger) {
        (self.store, self.service, self.every, self.logger) = (store, service, every, logger)
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(every * 1e9))
                if Task.isCancelled { break }
                save()
            }
        }
        save()
        do {
            try store.checkpoint()
        } catch {
            logger.error("state checkpoint at shutdown failed", metadata: ["error": .string("\(error)")])
        }
    }

    func save() {
        do {
            try store.saveSnapshot(service.engine.snapshot(), at: WardenService.wallClock())
        } catch {
            logger.error("counter snapshot not saved", metadata: ["error": .string("\(error)")])
        }
    }
}

/// Delivers the penalty outbox to the webhook until the server stops.
package struct WebhookService: Service {
    let delivery: WebhookDelivery

    package init(delivery: WebhookDelivery) { self.delivery = delivery }

    package func run() async throws {
        await cancelWhenGracefulShutdown { await delivery.run() }
    }
}

/// SIGHUP reloads the rule set (as `POST /v1/rules/reload` does), until the server stops.
package struct HangupReloadService: Service {
    let server: WardenServer

    package init(server: WardenServer) { self.server = server }

    package func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            // Off the cooperative pool: a reload compiles the rule set, seconds for large lists.
            let server = self.server
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    server.reloadFromSignal()
                    done.resume()
                }
            }
        }
    }
}
