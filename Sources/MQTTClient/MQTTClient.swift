import MQTTCodec
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// An MQTT 3.1.1 / 5.0 client on SwiftNIO with an async/await API.
///
///     let client = try await MQTTClient.connect(MQTTClientConfiguration(host: "localhost", clientID: "ana"))
///     _ = try await client.subscribe([.init(filter: "casa/#", qos: .atLeastOnce)])
///     try await client.publish(topic: "casa/luz", payload: Array("ON".utf8), qos: .atLeastOnce)
///     while let message = try await client.nextMessage() { … }
///     try await client.disconnect()
///
/// The protocol runs in `ClientConnectionHandler` on the channel's event loop; this type only hands
/// requests to it. One connection per client: no automatic reconnect (see `Docs/CLIENT.md`).
public final class MQTTClient: Sendable {
    let channel: any Channel
    private let inbox: MessageInbox
    /// The CONNACK's answer.
    public let connectResult: MQTTConnectResult
    public let configuration: MQTTClientConfiguration

    private init(channel: any Channel, inbox: MessageInbox, connectResult: MQTTConnectResult, configuration: MQTTClientConfiguration) {
        self.channel = channel
        self.inbox = inbox
        self.connectResult = connectResult
        self.configuration = configuration
    }

    /// Opens the connection (TCP, then TLS when configured), sends CONNECT and waits for CONNACK.
    /// Throws `MQTTClientError.connectionRefused` with the broker's code when it refuses.
    public static func connect(
        _ configuration: MQTTClientConfiguration, trace: (any ClientTraceSink)? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(MQTTClientError) -> MQTTClient {
        let sslContext = try configuration.tls?.makeContext()
        let channelReference = ChannelReference()
        let inbox = MessageInbox(capacity: configuration.inboxCapacity) {
            channelReference.channel?.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
        }
        let host = configuration.host
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        // SNI carries names only; an address literal is checked against the certificate's IPs.
                        let serverName = Self.isAddressLiteral(host) ? nil : host
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        ClientConnectionHandler(configuration: configuration, trace: trace, inbox: inbox, eventLoop: channel.eventLoop))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: configuration.port).get()
        } catch {
            throw .connectFailed(Self.describe(error))
        }
        channelReference.channel = channel
        do {
            let result = try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<MQTTConnectResult> in
                let promise = channel.eventLoop.makePromise(of: MQTTConnectResult.self)
                do {
                    try channel.pipeline.syncOperations.handler(type: ClientConnectionHandler.self).start(promise: promise)
                } catch {
                    promise.fail(MQTTClientError.connectionLost)
                }
                return promise.futureResult
            }.get()
            return MQTTClient(channel: channel, inbox: inbox, connectResult: result, configuration: configuration)
        } catch {
            channel.close(promise: nil)
            throw (error as? MQTTClientError) ?? .connectionLost
        }
    }

    /// Publishes; returns once the message is written (QoS 0), acknowledged (QoS 1: PUBACK) or
    /// complete (QoS 2: PUBCOMP). Waits for a free slot when the in-flight window is full.
    @discardableResult
    public func publish(
        topic: String, payload: [UInt8], qos: QoS = .atMostOnce, retain: Bool = false, properties: Properties = []
    ) async throws(MQTTClientError) -> MQTTPublishResult {
        try await publishFuture(Publish(topic: topic, payload: payload, qos: qos, retain: retain, properties: properties)).result()
    }

    /// Starts a publish and returns at once: the future completes as `publish` would return. For load
    /// generators that keep many messages in flight from one task.
    public func publishFuture(_ publish: Publish) -> EventLoopFuture<MQTTPublishResult> {
        var publish = publish
        if !configuration.version.isV5 { publish.properties = [] }
        let send = publish
        return onHandler { $0.publish(send) }
    }

    /// Subscribes; returns the SUBACK's codes, one per filter (granted QoS, or a failure code).
    public func subscribe(_ subscriptions: [Subscribe.Subscription], properties: Properties = []) async throws(MQTTClientError) -> SubAck {
        try await onHandler { $0.subscribe(subscriptions, properties: properties) }.result()
    }

    public func unsubscribe(_ filters: [String], properties: Properties = []) async throws(MQTTClientError) -> UnsubAck {
        try await onHandler { $0.unsubscribe(filters, properties: properties) }.result()
    }

    /// The next message the broker delivered; nil once the client disconnected on purpose. Throws why
    /// the connection ended otherwise (keep alive timeout, broker gone, DISCONNECT from the broker).
    public func nextMessage() async throws(MQTTClientError) -> MQTTMessage? {
        do {
            return try await inbox.next()
        } catch is CancellationError {
            throw .cancelled
        } catch {
            throw (error as? MQTTClientError) ?? .connectionLost
        }
    }

    /// Sends DISCONNECT (5.0: with this reason and properties) and closes the connection.
    public func disconnect(_ disconnect: Disconnect = Disconnect()) async {
        let packet = configuration.version.isV5 ? disconnect : Disconnect()
        _ = try? await onHandler { $0.disconnect(packet) }.get()
        try? await channel.closeFuture.get()
    }

    /// Closes the socket without DISCONNECT, as a crash would: the broker publishes the will.
    public func abort() async {
        let channel = self.channel
        _ = try? await channel.eventLoop.submit {
            try? channel.pipeline.syncOperations.handler(type: ClientConnectionHandler.self).abort()
        }.get()
        try? await channel.closeFuture.get()
    }

    /// Completes when the connection has closed, for whatever reason.
    public var closeFuture: EventLoopFuture<Void> { channel.closeFuture }

    private func onHandler<T: Sendable>(_ body: @escaping @Sendable (ClientConnectionHandler) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        let channel = self.channel
        return channel.eventLoop.flatSubmit {
            guard let handler = try? channel.pipeline.syncOperations.handler(type: ClientConnectionHandler.self) else {
                return channel.eventLoop.makeFailedFuture(MQTTClientError.closed)
            }
            return body(handler)
        }
    }

    static func isAddressLiteral(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return describe(first.error)
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case 111: return "Connection refused"
            case 113: return "No route to host"
            case 110: return "Connection timed out"
            default: return error.description
            }
        }
        if error is ChannelError { return "\(error)" }
        return "\(error)"
    }
}

extension EventLoopFuture where Value: Sendable {
    /// `get()` with the client's typed error.
    public func result() async throws(MQTTClientError) -> Value {
        do {
            return try await get()
        } catch {
            throw (error as? MQTTClientError) ?? .connectionLost
        }
    }
}

/// The channel, once connected, for the inbox's resume callback (which may run on any thread).
final class ChannelReference: Sendable {
    private let box = Mutex<(any Channel)?>(nil)
    var channel: (any Channel)? {
        get { box.withLock { $0 } }
        set { box.withLock { $0 = newValue } }
    }
}
