import Dispatch
import MQTTBrokerCore
import MQTTCodec
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The MQTT broker on the network: its listening sockets, every connection and the engine on ONE event
/// loop (performance-notes.md §3: a cross-loop hop per message costs 2–5× and queues without
/// back-pressure; one loop also keeps the trace in a deterministic order).
///
/// ```swift
/// let server = try await BrokerServer.start(configuration: .init(port: 0))
/// print(server.port)          // the port the OS picked
/// try await server.shutdown()
/// ```
///
/// The engine and the connection registry live in a `BrokerCore` that only the loop touches: this
/// object reaches it through a `NIOLoopBoundBox`, which checks the thread on every access.
public final class BrokerServer: Sendable {
    /// The addresses the broker listens on, one per listener in the configuration's order, with the real
    /// port where port 0 was asked for.
    public let localAddresses: [SocketAddress]
    /// The first listener's address.
    public var localAddress: SocketAddress { localAddresses[0] }
    /// The loop that runs the broker.
    public let eventLoop: any EventLoop
    private let group: any EventLoopGroup
    private let ownsGroup: Bool
    private let serverChannels: [any Channel]
    private let core: NIOLoopBoundBox<BrokerCore>
    private let state = StopLatch()

    private init(localAddresses: [SocketAddress], eventLoop: any EventLoop, group: any EventLoopGroup, ownsGroup: Bool,
                 serverChannels: [any Channel], core: NIOLoopBoundBox<BrokerCore>) {
        self.localAddresses = localAddresses
        self.eventLoop = eventLoop
        self.group = group
        self.ownsGroup = ownsGroup
        self.serverChannels = serverChannels
        self.core = core
    }

    /// The port of the first listener.
    public var port: Int { localAddress.port ?? 0 }

    /// "127.0.0.1:1883" or "[::1]:1883": the first listener.
    public var addressText: String { Self.text(of: localAddress) }

    /// Every listener, as `addressText` writes one.
    public var addressTexts: [String] { localAddresses.map(Self.text(of:)) }

    private static func text(of address: SocketAddress) -> String {
        let ip = address.ipAddress ?? "?"
        let port = address.port ?? 0
        if case .v6 = address { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }

    // MARK: Starting

    /// Listens and starts the broker. Without a group, the server makes a one-thread group of its own and
    /// shuts it down in `shutdown()`; with one, it uses one loop of it and leaves the group running.
    public static func start(
        configuration: BrokerServerConfiguration, traceSink: sending (any BrokerTraceSink)? = nil,
        eventLoopGroup: (any EventLoopGroup)? = nil
    ) async throws -> BrokerServer {
        let group = eventLoopGroup ?? MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let ownsGroup = eventLoopGroup == nil
        do {
            return try await listen(configuration: configuration, traceSink: traceSink, group: group, ownsGroup: ownsGroup).get()
        } catch {
            if ownsGroup { try? await group.shutdownGracefully() }
            throw error
        }
    }

    /// `start` for synchronous callers (a command line's `run()`); never call it on an event loop.
    @available(*, noasync, message: "use start(configuration:traceSink:eventLoopGroup:) from async code")
    public static func startBlocking(
        configuration: BrokerServerConfiguration, traceSink: sending (any BrokerTraceSink)? = nil,
        eventLoopGroup: (any EventLoopGroup)? = nil
    ) throws -> BrokerServer {
        let group = eventLoopGroup ?? MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let ownsGroup = eventLoopGroup == nil
        do {
            return try listen(configuration: configuration, traceSink: traceSink, group: group, ownsGroup: ownsGroup).wait()
        } catch {
            if ownsGroup { try? group.syncShutdownGracefully() }
            throw error
        }
    }

    private static func listen(
        configuration: BrokerServerConfiguration, traceSink: sending (any BrokerTraceSink)?,
        group: any EventLoopGroup, ownsGroup: Bool
    ) -> EventLoopFuture<BrokerServer> {
        let loop = group.next()
        var addresses: [SocketAddress] = []
        for listener in configuration.listeners {
            do {
                addresses.append(try SocketAddress.makeAddressResolvingHost(listener.host, port: listener.port))
            } catch {
                return loop.makeFailedFuture(BrokerServerError.cannotResolve(
                    host: listener.host, port: listener.port, reason: "\(error)"))
            }
        }
        // TLS files are read before anything listens, so a wrong path stops the start with its name.
        var tlsContexts: [BrokerTLSContext?] = []
        for listener in configuration.listeners {
            do {
                tlsContexts.append(try listener.tls?.makeContext())
            } catch {
                return loop.makeFailedFuture(error)
            }
        }
        let core = NIOLoopBoundBox.makeBoxSendingValue(BrokerCore(configuration: configuration, sink: traceSink, eventLoop: loop), eventLoop: loop)
        let bootstraps = tlsContexts.map { tls in
            makeBootstrap(configuration: configuration, loop: loop) { channel in
                channel.eventLoop.makeCompletedFuture { try core.value.accept(channel, tls: tls) }
            }
        }
        let interval = configuration.tickInterval
        return bindAll(bootstraps, addresses: addresses, listeners: configuration.listeners, on: loop)
            .flatMapThrowing { channels in
                // On the loop (the bind futures complete there): start the clock.
                core.value.tickTask = loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                    core.value.tick()
                }
                return BrokerServer(localAddresses: channels.compactMap(\.localAddress), eventLoop: loop, group: group,
                                    ownsGroup: ownsGroup, serverChannels: channels, core: core)
            }
    }

    /// One bootstrap per listener, so each connection knows which listener (plain or TLS) accepted it.
    private static func makeBootstrap(
        configuration: BrokerServerConfiguration, loop: any EventLoop,
        initializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) -> ServerBootstrap {
        ServerBootstrap(group: loop)
            .serverChannelOption(.backlog, value: configuration.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // Nagle off (NIO's default, made explicit): batched flushes already coalesce writes, and
            // Nagle with delayed ACKs brings back a 35 ms tail (performance-notes.md §4).
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: configuration.writeBufferWaterMark)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            // Small first receive buffer: idle connections cost little; it grows for busy ones.
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 65_536))
            .childChannelInitializer(initializer)
    }

    /// Binds every listener; if one fails, those that were bound are closed again, so a broker either
    /// listens everywhere it was asked to or nowhere, and the error names the listener that failed.
    private static func bindAll(
        _ bootstraps: [ServerBootstrap], addresses: [SocketAddress], listeners: [BrokerListenerAddress], on loop: any EventLoop
    ) -> EventLoopFuture<[any Channel]> {
        let binds = zip(bootstraps, addresses).map { $0.bind(to: $1) }
        return EventLoopFuture.whenAllComplete(binds, on: loop).flatMap { results in
            var channels: [any Channel] = []
            var failure: (any Error)?
            for (index, result) in results.enumerated() {
                let listener = listeners[index]
                switch result {
                case .success(let channel) where channel.localAddress != nil:
                    channels.append(channel)
                case .success(let channel):
                    channel.close(promise: nil)
                    failure = failure ?? BrokerServerError.cannotListen(host: listener.host, port: listener.port, reason: "no local address")
                case .failure(let error):
                    failure = failure ?? Self.bindError(error, host: listener.host, port: listener.port)
                }
            }
            guard let failure else { return loop.makeSucceededFuture(channels) }
            return EventLoopFuture.andAllComplete(channels.map { $0.close() }, on: loop).flatMapThrowing { throw failure }
        }
    }

    private static func bindError(_ error: any Error, host: String, port: Int) -> any Error {
        if let error = error as? IOError, error.errnoCode == EADDRINUSE {
            return BrokerServerError.addressInUse(host: host, port: port)
        }
        if let error = error as? IOError, error.errnoCode == EADDRNOTAVAIL {
            return BrokerServerError.cannotResolve(host: host, port: port, reason: "no such address on this machine")
        }
        return BrokerServerError.cannotListen(host: host, port: port, reason: "\(error)")
    }

    // MARK: Running

    /// Attaches (or, with nil, detaches) the trace sink. Takes effect on the loop, before the next input.
    public func setTraceSink(_ sink: sending (any BrokerTraceSink)?) async throws {
        guard !state.isStopped else { throw BrokerServerError.alreadyShutDown }
        let box = NIOLoopBoundBox.makeBoxSendingValue(sink, eventLoop: eventLoop)
        let core = self.core
        try await eventLoop.submit {
            core.value.setSink(box.value)
            box.value = nil
        }.get()
    }

    /// The engine's and the network layer's counters, read on the loop.
    public func statistics() async throws -> BrokerServerStatistics {
        guard !state.isStopped else { throw BrokerServerError.alreadyShutDown }
        let core = self.core
        return try await eventLoop.submit { core.value.currentStatistics() }.get()
    }

    // MARK: Stopping

    /// Stops listening, lets the engine say goodbye (DISCONNECT 0x8B to 5.0 clients), closes every
    /// connection after its last packets and completes when all are closed.
    private func close() -> EventLoopFuture<Void> {
        let core = self.core
        let loop = eventLoop
        let listenersClosed = serverChannels.map { channel in
            channel.close().flatMapErrorThrowing { error in
                // The listener may have failed and closed on its own: closed either way.
                if let error = error as? ChannelError, error == .alreadyClosed { return }
                throw error
            }
        }
        return EventLoopFuture.andAllSucceed(listenersClosed, on: loop)
            .flatMap { core.value.shutdown(on: loop) }
    }

    /// Closes everything and, if the server made its own event loop group, shuts that down. Never blocks
    /// a thread. Only the first call does the work; later calls return at once.
    public func shutdown() async throws {
        guard state.stop() else { return }
        try await close().get()
        if ownsGroup { try await group.shutdownGracefully() }
    }

    /// `shutdown()` for synchronous callers; never call it on an event loop.
    @available(*, noasync, message: "use shutdown() from async code")
    public func shutdownBlocking() throws {
        guard state.stop() else { return }
        try close().wait()
        if ownsGroup { try group.syncShutdownGracefully() }
    }
}

/// Whether `shutdown` was called, readable from any thread: after it, the server's own event loop may be
/// gone, and scheduling work on a stopped loop is an error, so every entry point checks this first.
///
/// `@unchecked Sendable` is safe: the only stored state, `stopped`, is read and written exclusively inside
/// `queue.sync`, and a serial queue runs one such block at a time, so no two threads touch it together.
private final class StopLatch: @unchecked Sendable {
    private let queue = DispatchQueue(label: "mqttlab.broker.stop")
    private var stopped = false

    var isStopped: Bool { queue.sync { stopped } }

    /// True for the first caller only.
    func stop() -> Bool {
        queue.sync {
            defer { stopped = true }
            return !stopped
        }
    }
}
