import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

/// TLS to Redis (`rediss://`) for a client library without it: Debian's hiredis 0.14, which
/// Warden links, speaks plain TCP only. A listener on a loopback port of this process takes each
/// hiredis connection and carries it to the Redis server over TLS (swift-nio-ssl, BoringSSL,
/// already in the binary for webhooks), verifying the server's certificate against the system's
/// roots or `caFile`, and its name (or, for an address, its IP). Nothing leaves the machine in
/// the clear, and hiredis does not know.
final class RedisTLSTunnel: Sendable {
    /// The loopback port hiredis connects to.
    let localPort: Int
    private let listener: any Channel
    private let failure = Failure()

    /// Why the last connection through the tunnel failed (a refused connection, a certificate
    /// that did not verify), and whether TLS itself failed (no handshake, a certificate, a server
    /// that is not a TLS port): hiredis only sees the connection close, so this says why.
    var lastFailure: (message: String, tls: Bool)? { failure.last.withLock { $0 } }

    final class Failure: Sendable {
        let last = Mutex<(message: String, tls: Bool)?>(nil)
        func note(_ error: any Error, tls: Bool) { last.withLock { $0 = ("\(error)", tls) } }
    }

    /// - Parameter handshake: seconds the server has to answer the TLS handshake (a plain Redis
    ///   port never does: it waits for a line).
    init(host: String, port: Int, caFile: String?, handshake: Double = 1) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile { configuration.trustRoots = .file(caFile) }
        let context = try NIOSSLContext(configuration: configuration)
        // An address is checked against the certificate's IP entries and is sent without SNI.
        let serverName: String? = Self.isAddress(host) ? nil : host
        let failure = self.failure
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { inbound in
                // The TLS side on the same event loop, so the two halves call each other directly.
                ClientBootstrap(group: inbound.eventLoop)
                    .channelInitializer { outbound in
                        do {
                            try outbound.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: context, serverHostname: serverName))
                            return outbound.eventLoop.makeSucceededVoidFuture()
                        } catch {
                            return outbound.eventLoop.makeFailedFuture(error)
                        }
                    }
                    .connect(host: host, port: port)
                    .flatMapError { error in
                        failure.note(error, tls: false)
                        return inbound.eventLoop.makeFailedFuture(error)
                    }
                    .flatMap { outbound in
                        do {
                            let (local, remote) = GlueHandler.matchedPair(failure)
                            try inbound.pipeline.syncOperations.addHandler(local)
                            try outbound.pipeline.syncOperations.addHandler(remote)
                            let bound = NIOLoopBound(remote, eventLoop: outbound.eventLoop)
                            outbound.eventLoop.scheduleTask(in: .milliseconds(Int64(handshake * 1000))) {
                                guard !bound.value.handshaken, outbound.isActive else { return }
                                bound.value.noted = true
                                failure.note(
                                    RedisError("no TLS handshake from \(host):\(port) within \(handshake) s (is it a TLS port?)"), tls: true
                                )
                                outbound.close(promise: nil)
                            }
                        } catch {
                            return inbound.eventLoop.makeFailedFuture(error)
                        }
                        // Held until both halves are joined, so nothing read is dropped.
                        return inbound.setOption(.autoRead, value: true)
                    }
            }
        listener = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
        guard let bound = listener.localAddress?.port else { throw RedisError("the TLS tunnel has no local port") }
        localPort = bound
    }

    deinit { listener.close(promise: nil) }

    static func isAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}

/// Two channels joined: what one reads the other writes, each reading only while the other can
/// write, and either closing closes both. Both live on one event loop.
private final class GlueHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private var partner: GlueHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    private let failure: RedisTLSTunnel.Failure
    /// This handler sits on the TLS side (towards the server).
    private let tlsSide: Bool
    /// The TLS side's handshake completed.
    var handshaken = false
    /// This connection's failure was noted already.
    var noted = false

    init(_ failure: RedisTLSTunnel.Failure, tlsSide: Bool) {
        self.failure = failure
        self.tlsSide = tlsSide
    }

    /// The hiredis side first, the TLS side second.
    static func matchedPair(_ failure: RedisTLSTunnel.Failure) -> (GlueHandler, GlueHandler) {
        let a = GlueHandler(failure, tlsSide: false)
        let b = GlueHandler(failure, tlsSide: true)
        a.partner = b
        b.partner = a
        return (a, b)
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) { partner?.context?.write(data, promise: nil) }

    func channelReadComplete(context: ChannelHandlerContext) { partner?.context?.flush() }

    /// A server that closes before the handshake is done is not speaking TLS (a plain Redis
    /// port closes on a request it cannot parse): said so, since hiredis sees only the close.
    func channelInactive(context: ChannelHandlerContext) {
        if tlsSide, !handshaken, !noted {
            noted = true
            failure.note(RedisError("the server closed the connection before the TLS handshake (is it a TLS port?)"), tls: true)
        }
        partner?.context?.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted? = event as? TLSUserEvent { handshaken = true }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !noted {
            noted = true
            let duringHandshake = tlsSide && !handshaken
            failure.note(duringHandshake ? RedisError("TLS handshake failed: \(error)") : error, tls: duringHandshake)
        }
        partner?.context?.close(promise: nil)
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, let partner, partner.pendingRead {
            partner.pendingRead = false
            partner.context?.read()
        }
    }

    func read(context: ChannelHandlerContext) {
        if partner?.context?.channel.isWritable ?? false {
            context.read()
        } else {
            pendingRead = true
        }
    }
}
