import DequeModule
import MQTTCodec
import NIOCore
import NIOSSL

/// The client's side of the protocol on one connection, on the channel's event loop: frames and
/// decodes what the broker sends, answers it (PUBACK, PUBREC/PUBCOMP, PINGREQ), keeps the in-flight
/// window, and completes the promises of the operations `MQTTClient` started.
///
/// Every property is touched on the event loop only; `MQTTClient` reaches the handler through
/// `eventLoop.flatSubmit` and the pipeline's sync operations.
final class ClientConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct Flight {
        var promise: EventLoopPromise<MQTTPublishResult>
        /// QoS 2 after PUBREC: waiting for PUBCOMP.
        var released = false
        var result: MQTTPublishResult?
    }

    private let configuration: MQTTClientConfiguration
    private let trace: (any ClientTraceSink)?
    private let inbox: MessageInbox
    private var context: ChannelHandlerContext?
    private var framer: PacketFramer
    private var clientID: String
    private var version: ProtocolVersion

    private var connectPromise: EventLoopPromise<MQTTConnectResult>?
    private var connectTimer: Scheduled<Void>?
    private(set) var isConnected = false
    private var ids = PacketIdentifiers()
    private var subscribes: [UInt16: EventLoopPromise<SubAck>] = [:]
    private var unsubscribes: [UInt16: EventLoopPromise<UnsubAck>] = [:]
    private var inflight: [UInt16: Flight] = [:]
    private var waiting = Deque<(Publish, EventLoopPromise<MQTTPublishResult>)>()
    private var sendQuota: Int
    /// 5.0: the broker's Maximum QoS from CONNACK (2 when absent).
    private var maximumQoS: QoS = .exactlyOnce
    /// QoS 2 messages received and acknowledged with PUBREC, delivered to the application at PUBREL (as
    /// libmosquitto does, so the order of output matches mosquitto_sub's). Bounded by the broker's
    /// in-flight window.
    private var receivedQoS2: [UInt16: MQTTMessage] = [:]
    private var incomingAliases: [UInt16: String] = [:]

    private var keepAlive: TimeAmount
    private var lastSent = NIODeadline.now()
    private var pingSentAt: NIODeadline?
    private var keepAliveTask: Scheduled<Void>?

    private var needsFlush = false
    /// Why the connection ends; nil while it is open or after a close the application asked for.
    private var failure: MQTTClientError?
    private var closingOnPurpose = false
    private var ended = false

    private let eventLoop: any EventLoop

    init(configuration: MQTTClientConfiguration, trace: (any ClientTraceSink)?, inbox: MessageInbox, eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        self.configuration = configuration
        self.trace = trace
        self.inbox = inbox
        self.clientID = configuration.clientID
        self.version = configuration.version
        self.keepAlive = .seconds(Int64(configuration.keepAlive))
        self.sendQuota = max(1, configuration.maximumInflight)
        self.framer = PacketFramer(maximumPacketSize: configuration.maximumIncomingPacketSize)
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        end()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if failure == nil && !closingOnPurpose {
            // A TLS peer that just closes is a lost connection; any other TLS error is the handshake's.
            let isTLSError = error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError
            var uncleanShutdown = false
            if case .uncleanShutdown? = error as? NIOSSLError { uncleanShutdown = true }
            failure = isTLSError && !uncleanShutdown ? .tls("\(error)") : .connectionLost
        }
        context.close(promise: nil)
    }

    /// Sends CONNECT; the promise completes with the CONNACK (or fails when it refuses).
    func start(promise: EventLoopPromise<MQTTConnectResult>) {
        // The broker may have closed the socket before CONNECT could be sent (a full broker does that):
        // nothing would ever complete the promise then.
        guard let context, !ended else { promise.fail(failure ?? MQTTClientError.connectionLost); return }
        connectPromise = promise
        connectTimer = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.connectTimeout) { [weak self] in
            self?.fail(.connectTimeout)
        }
        send(.connect(configuration.connectPacket), flush: true, promise: nil)
    }

    /// Everything still waiting fails; the inbox ends. Runs once.
    private func end() {
        guard !ended else { return }
        ended = true
        connectTimer?.cancel()
        keepAliveTask?.cancel()
        let error = failure ?? (closingOnPurpose ? .closed : .connectionLost)
        connectPromise?.fail(error)
        connectPromise = nil
        for promise in subscribes.values { promise.fail(error) }
        for promise in unsubscribes.values { promise.fail(error) }
        for flight in inflight.values { flight.promise.fail(error) }
        for (_, promise) in waiting { promise.fail(error) }
        subscribes = [:]
        unsubscribes = [:]
        inflight = [:]
        waiting = []
        inbox.finish(failure == nil && closingOnPurpose ? .success(()) : .failure(error))
    }

    private func fail(_ error: MQTTClientError) {
        if failure == nil && !closingOnPurpose { failure = error }
        context?.close(promise: nil)
    }

    // MARK: Operations (called on the event loop by MQTTClient)

    func publish(_ publish: Publish) -> EventLoopFuture<MQTTPublishResult> {
        guard let context, !ended else { return failedFuture(failure ?? .closed) }
        guard publish.qos <= maximumQoS else { return failedFuture(.qosNotSupported(maximum: maximumQoS)) }
        let promise = context.eventLoop.makePromise(of: MQTTPublishResult.self)
        var publish = publish
        if publish.qos == .atMostOnce {
            publish.packetID = nil
            let written = context.eventLoop.makePromise(of: Void.self)
            send(.publish(publish), flush: true, promise: written)
            written.futureResult.assumeIsolated().whenComplete { result in
                switch result {
                case .success: promise.succeed(MQTTPublishResult(packetID: 0, reasonCode: .success, properties: []))
                case .failure: promise.fail(self.failure ?? .connectionLost)
                }
            }
            return promise.futureResult
        }
        if inflight.count < sendQuota, waiting.isEmpty, let id = ids.allocate() {
            publish.packetID = id
            inflight[id] = Flight(promise: promise)
            send(.publish(publish), flush: true, promise: nil)
        } else if waiting.count < configuration.maximumQueuedPublishes {
            waiting.append((publish, promise))
        } else {
            promise.fail(MQTTClientError.queueFull)
        }
        return promise.futureResult
    }

    func subscribe(_ subscriptions: [Subscribe.Subscription], properties: Properties) -> EventLoopFuture<SubAck> {
        guard let context, !ended else { return failedFuture(failure ?? .closed) }
        guard let id = ids.allocate() else { return failedFuture(.queueFull) }
        let promise = context.eventLoop.makePromise(of: SubAck.self)
        subscribes[id] = promise
        send(.subscribe(Subscribe(packetID: id, subscriptions: subscriptions, properties: version.isV5 ? properties : [])),
             flush: true, promise: nil)
        return promise.futureResult
    }

    func unsubscribe(_ filters: [String], properties: Properties) -> EventLoopFuture<UnsubAck> {
        guard let context, !ended else { return failedFuture(failure ?? .closed) }
        guard let id = ids.allocate() else { return failedFuture(.queueFull) }
        let promise = context.eventLoop.makePromise(of: UnsubAck.self)
        unsubscribes[id] = promise
        send(.unsubscribe(Unsubscribe(packetID: id, filters: filters, properties: version.isV5 ? properties : [])),
             flush: true, promise: nil)
        return promise.futureResult
    }

    /// Sends DISCONNECT (when connected) and closes once it is written.
    func disconnect(_ disconnect: Disconnect) -> EventLoopFuture<Void> {
        guard let context else { return failedFuture(.closed) }
        // A second call (Ctrl+C while the command also ends) waits for the first one's close: one DISCONNECT.
        if closingOnPurpose { return context.channel.closeFuture }
        closingOnPurpose = true
        let closed = context.channel.closeFuture
        if isConnected && !ended {
            let written = context.eventLoop.makePromise(of: Void.self)
            send(.disconnect(disconnect), flush: true, promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else {
            context.close(promise: nil)
        }
        return closed
    }

    /// Closes the socket without DISCONNECT: the broker publishes the will.
    func abort() {
        closingOnPurpose = true
        context?.close(promise: nil)
    }

    var pendingCount: Int { inflight.count + waiting.count }

    private func failedFuture<T>(_ error: MQTTClientError) -> EventLoopFuture<T> {
        eventLoop.makeFailedFuture(error)
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !ended else { return }
        let buffer = unwrapInboundIn(data)
        if !isConnected, framer.bufferedCount == 0, Self.looksLikeTLS(buffer.readableBytesView) {
            // A plain CONNECT sent to a TLS port: the broker's TLS layer answers with a TLS record (an
            // alert). Read as MQTT it would be a baffling "CONNECT with flags 0101"; say what happened.
            fail(.tlsExpected)
            return
        }
        framer.append(buffer.readableBytesView)
        while !ended {
            let bytes: [UInt8]
            do {
                guard let next = try framer.next() else { break }
                bytes = next
            } catch {
                fail(.protocolViolation(error.violation.message.en))
                return
            }
            let packet: Packet
            do {
                packet = try PacketDecoder.decode(bytes, version: version)
            } catch {
                record(.received, bytes: bytes, packet: nil, error: error)
                fail(.protocolViolation(error.violation.message.en))
                return
            }
            record(.received, bytes: bytes, packet: packet, error: nil)
            handle(packet)
        }
        if framer.bufferedCount == 0 { _ = framer.takeBuffered() }
    }

    /// A TLS record header: content type alert (21) or handshake (22), then major version 3. No MQTT
    /// broker starts its answer with these bytes (types 1, CONNECT, are never sent to a client).
    static func looksLikeTLS(_ bytes: ByteBufferView) -> Bool {
        guard bytes.count >= 2, let first = bytes.first else { return false }
        return (first == 0x15 || first == 0x16) && bytes[bytes.index(after: bytes.startIndex)] == 0x03
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    private func handle(_ packet: Packet) {
        switch packet {
        case .connack(let connack): handleConnAck(connack)
        case .publish(let publish): handleIncoming(publish)
        case .puback(let ack): completeFlight(ack.packetID, ack: ack, expectingRelease: false)
        case .pubrec(let ack):
            guard var flight = inflight[ack.packetID], !flight.released else {
                // Unknown id: answer so the broker can finish its side [MQTT-4.3.3].
                send(.pubrel(PublishAck(packetID: ack.packetID, reasonCode: version.isV5 ? .packetIdentifierNotFound : .success)),
                     flush: false, promise: nil)
                return
            }
            let result = MQTTPublishResult(packetID: ack.packetID, reasonCode: ack.reasonCode, properties: ack.properties)
            if ack.reasonCode.isFailure {
                finishFlight(ack.packetID, result)
            } else {
                flight.released = true
                flight.result = result
                inflight[ack.packetID] = flight
                send(.pubrel(PublishAck(packetID: ack.packetID)), flush: false, promise: nil)
            }
        case .pubcomp(let ack): completeFlight(ack.packetID, ack: ack, expectingRelease: true)
        case .pubrel(let ack):
            let released = receivedQoS2.removeValue(forKey: ack.packetID)
            let known = released != nil
            if let released { deliver(released) }
            send(.pubcomp(PublishAck(packetID: ack.packetID, reasonCode: known || !version.isV5 ? .success : .packetIdentifierNotFound)),
                 flush: false, promise: nil)
        case .suback(let suback):
            // Only an answer to a SUBSCRIBE of ours frees its id: a stray SUBACK must not free an id a
            // QoS 1/2 PUBLISH still holds.
            guard let promise = subscribes.removeValue(forKey: suback.packetID) else { return }
            ids.release(suback.packetID)
            promise.succeed(suback)
        case .unsuback(let unsuback):
            guard let promise = unsubscribes.removeValue(forKey: unsuback.packetID) else { return }
            ids.release(unsuback.packetID)
            promise.succeed(unsuback)
        case .pingresp:
            pingSentAt = nil
        case .disconnect(let disconnect):
            fail(.disconnectedByBroker(disconnect.reasonCode))
        case .connect, .subscribe, .unsubscribe, .pingreq, .auth:
            fail(.protocolViolation("a broker does not send \(packet.type)"))
        }
    }

    private func handleConnAck(_ connack: ConnAck) {
        guard let promise = connectPromise else {
            fail(.protocolViolation("a second CONNACK"))
            return
        }
        connectPromise = nil
        connectTimer?.cancel()
        // 3.1.1 refuses with return codes 1–5, 5.0 with reason codes from 0x80: anything but 0.
        guard connack.reasonCode == .success else {
            fail(.connectionRefused(connack.reasonCode, version))
            promise.fail(MQTTClientError.connectionRefused(connack.reasonCode, version))
            return
        }
        isConnected = true
        let properties = connack.properties
        if let assigned = properties.firstValue({ if case .assignedClientIdentifier(let id) = $0 { id } else { nil } }) {
            clientID = assigned
        }
        if let receiveMaximum = properties.firstValue({ if case .receiveMaximum(let value) = $0 { value } else { nil } }) {
            sendQuota = max(1, min(sendQuota, Int(receiveMaximum)))
        }
        if let maximum = properties.firstValue({ if case .maximumQoS(let value) = $0 { value } else { nil } }) {
            maximumQoS = QoS(rawValue: maximum) ?? .exactlyOnce
        }
        if let serverKeepAlive = properties.firstValue({ if case .serverKeepAlive(let value) = $0 { value } else { nil } }) {
            keepAlive = .seconds(Int64(serverKeepAlive))
        }
        startKeepAlive()
        promise.succeed(MQTTConnectResult(sessionPresent: connack.sessionPresent, reasonCode: connack.reasonCode,
                                          properties: properties, clientID: clientID))
    }

    private func handleIncoming(_ publish: Publish) {
        var topic = publish.topic
        if let alias = publish.properties.firstValue({ if case .topicAlias(let value) = $0 { value } else { nil } }) {
            guard alias > 0, alias <= configuration.topicAliasMaximum else {
                fail(.protocolViolation("topic alias \(alias) is over the maximum this client announced"))
                return
            }
            if topic.isEmpty {
                guard let known = incomingAliases[alias] else {
                    fail(.protocolViolation("unknown topic alias \(alias)"))
                    return
                }
                topic = known
            } else {
                incomingAliases[alias] = topic
            }
        }
        let message = MQTTMessage(topic: topic, payload: publish.payload, qos: publish.qos, retain: publish.retain,
                                  dup: publish.dup, packetID: publish.packetID ?? 0, properties: publish.properties)
        switch publish.qos {
        case .atMostOnce:
            deliver(message)
        case .atLeastOnce:
            deliver(message)
            send(.puback(PublishAck(packetID: message.packetID)), flush: false, promise: nil)
        case .exactlyOnce:
            // Kept until PUBREL, then delivered once; a resend before PUBREL is only acknowledged again.
            if receivedQoS2[message.packetID] == nil {
                // A broker may not leave more unreleased than the client's Receive Maximum [MQTT-3.3.4-9]:
                // keeping them all would let it fill this client's memory.
                guard receivedQoS2.count < configuration.receiveMaximum else {
                    if version.isV5 {
                        send(.disconnect(Disconnect(reasonCode: .receiveMaximumExceeded)), flush: true, promise: nil)
                    }
                    fail(.protocolViolation("the broker sent more unreleased QoS 2 messages than the Receive Maximum of \(configuration.receiveMaximum) this client announced"))
                    return
                }
                receivedQoS2[message.packetID] = message
            }
            send(.pubrec(PublishAck(packetID: message.packetID)), flush: false, promise: nil)
        }
    }

    private func deliver(_ message: MQTTMessage) {
        if inbox.push(message) {
            // The application is behind: stop reading until it catches up (MessageInbox resumes it).
            context?.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        }
    }

    private func completeFlight(_ id: UInt16, ack: PublishAck, expectingRelease: Bool) {
        guard let flight = inflight[id], flight.released == expectingRelease else {
            return
        }
        let result = expectingRelease
            ? (flight.result ?? MQTTPublishResult(packetID: id, reasonCode: ack.reasonCode, properties: ack.properties))
            : MQTTPublishResult(packetID: id, reasonCode: ack.reasonCode, properties: ack.properties)
        finishFlight(id, result)
    }

    private func finishFlight(_ id: UInt16, _ result: MQTTPublishResult) {
        guard let flight = inflight.removeValue(forKey: id) else { return }
        ids.release(id)
        flight.promise.succeed(result)
        // A slot is free: the oldest waiting publish takes it.
        while inflight.count < sendQuota, !waiting.isEmpty, let next = ids.allocate() {
            var (publish, promise) = waiting.removeFirst()
            publish.packetID = next
            inflight[next] = Flight(promise: promise)
            send(.publish(publish), flush: false, promise: nil)
        }
    }

    // MARK: Keep alive

    private func startKeepAlive() {
        guard keepAlive > .zero else { return }
        scheduleKeepAliveTick()
    }

    /// Checks a few times per keep alive period (at least every half second) whether a PINGREQ is due
    /// or overdue.
    private func scheduleKeepAliveTick() {
        guard !ended else { return }
        let interval = TimeAmount.nanoseconds(min(keepAlive.nanoseconds / 4, 500_000_000))
        keepAliveTask = eventLoop.assumeIsolated().scheduleTask(in: interval) { [weak self] in
            guard let self else { return }
            self.keepAliveTick()
            self.scheduleKeepAliveTick()
        }
    }

    private func keepAliveTick() {
        let now = NIODeadline.now()
        if let pingSentAt {
            // No PINGRESP within the keep alive: the broker (or the path to it) is dead.
            if now - pingSentAt >= keepAlive { fail(.keepAliveTimeout) }
            return
        }
        if now - lastSent >= keepAlive {
            pingSentAt = now
            send(.pingreq, flush: true, promise: nil)
        }
    }

    // MARK: Writing

    private func send(_ packet: Packet, flush: Bool, promise: EventLoopPromise<Void>?) {
        guard let context else {
            promise?.fail(MQTTClientError.connectionLost)
            return
        }
        let bytes: [UInt8]
        do {
            bytes = try packet.encode(version: version)
        } catch {
            let error = MQTTClientError.invalidPacket("\(error)")
            promise?.fail(error)
            // The operation that owns the packet id learns why, and the id is free again (before, a
            // SUBSCRIBE or UNSUBSCRIBE that could not be encoded left its caller waiting forever).
            switch packet {
            case .publish(let publish):
                if let id = publish.packetID {
                    inflight.removeValue(forKey: id)?.promise.fail(error)
                    ids.release(id)
                }
            case .subscribe(let subscribe):
                subscribes.removeValue(forKey: subscribe.packetID)?.fail(error)
                ids.release(subscribe.packetID)
            case .unsubscribe(let unsubscribe):
                unsubscribes.removeValue(forKey: unsubscribe.packetID)?.fail(error)
                ids.release(unsubscribe.packetID)
            default:
                break
            }
            return
        }
        record(.sent, bytes: bytes, packet: packet, error: nil)
        lastSent = .now()
        let buffer = context.channel.allocator.buffer(bytes: bytes)
        if flush {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: promise)
        } else {
            context.write(wrapOutboundOut(buffer), promise: promise)
            needsFlush = true
        }
    }

    private func record(_ direction: ClientPacketRecord.Direction, bytes: [UInt8], packet: Packet?, error: MalformedPacket?) {
        guard let trace else { return }
        trace.trace(ClientPacketRecord(nanosecondsSince1970: WallClock.nanosecondsSince1970(), clientID: clientID,
                                       direction: direction, bytes: bytes, version: version, packet: packet, error: error))
    }
}
