import MQTTCodec
import NIOCore
import NIOPosix

/// What one load run does: who publishes, who subscribes, how much and how fast.
struct BrokerBenchmarkLoadPlan: Sendable {
    var port: Int
    var publishers = 0
    var subscribers = 0
    var idle = 0
    var messagesPerPublisher = 0
    var qos: QoS = .atMostOnce
    /// Messages published but not yet delivered to every subscriber (closed loop), QoS 0 and 1.
    var window = 1000
    /// QoS 1: PUBLISHes not yet acknowledged per publisher.
    var ackWindow = 100
    /// Paced publishing (latency): messages per second; nil = as fast as the window allows.
    var rate: Double?
    var timeoutSeconds: Double = 60
    var topic = "bench/t"
    var payloadSize = 64
    /// Clean session off (3.1.1): the sessions outlive their connections, so `--store` writes them.
    var persistentSessions = false
}

/// What one load run measured (the load generator's side; CPU and memory come from /proc).
struct BrokerBenchmarkLoadResult: Sendable {
    var expected = 0
    var delivered = 0
    var duplicates = 0
    var seconds = 0.0
    var latenciesNanoseconds: [UInt64] = []
    var timedOut = false
    var failure: String?
}

/// The load generator: MQTT 3.1.1 clients on one SwiftNIO event loop, packets built with `MQTTCodec`,
/// writes batched per burst with one flush each. Lives on (and is only touched from) `eventLoop`.
final class BrokerBenchmarkLoad {
    let plan: BrokerBenchmarkLoadPlan
    let eventLoop: any EventLoop
    private var clients: [BrokerBenchmarkClient] = []
    private var publisherClients: [BrokerBenchmarkClient] = []
    private var opened = 0
    private var ready = 0
    private var setupPromise: EventLoopPromise<Void>
    private var donePromise: EventLoopPromise<Void>
    private var setupDone = false
    private var finished = false
    private var started = false
    private var closing = false

    private(set) var result = BrokerBenchmarkLoadResult()
    private var totalMessages: Int
    private var sent = 0
    private var acked = 0
    private var arrived = 0
    private var startNanos: UInt64 = 0
    private var lastDeliveryNanos: UInt64 = 0
    private var nextPublisher = 0
    private var pacer: RepeatedTask?
    private var timeoutTask: Scheduled<Void>?
    let template: [UInt8]
    let payloadOffset: Int

    init(plan: BrokerBenchmarkLoadPlan, eventLoop: any EventLoop) {
        self.plan = plan
        self.eventLoop = eventLoop
        setupPromise = eventLoop.makePromise()
        donePromise = eventLoop.makePromise()
        totalMessages = plan.publishers * plan.messagesPerPublisher
        let publish = Publish(
            topic: plan.topic, payload: [UInt8](repeating: 0x2E, count: plan.payloadSize), qos: plan.qos,
            packetID: plan.qos == .atMostOnce ? nil : 1)
        template = (try? Packet.publish(publish).encode(version: .v3_1_1)) ?? []
        payloadOffset = template.count - plan.payloadSize
        result.expected = totalMessages * plan.subscribers
        if plan.rate != nil { result.latenciesNanoseconds.reserveCapacity(result.expected) }
        for index in 0..<plan.subscribers {
            clients.append(BrokerBenchmarkClient(role: .subscriber, index: index, load: self, expected: totalMessages))
        }
        for index in 0..<plan.publishers {
            let client = BrokerBenchmarkClient(role: .publisher, index: index, load: self, expected: 0)
            clients.append(client)
            publisherClients.append(client)
        }
        for index in 0..<plan.idle {
            clients.append(BrokerBenchmarkClient(role: .idle, index: index, load: self, expected: 0))
        }
    }

    // MARK: Set-up: connect everyone (50 at a time), subscribe the subscribers

    func connect() -> EventLoopFuture<Void> {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        timeoutTask = eventLoop.scheduleTask(in: .milliseconds(Int64(plan.timeoutSeconds * 1000))) {
            bound.value.timeout()
        }
        if clients.isEmpty { succeedSetup() } else { openMore() }
        return setupPromise.futureResult
    }

    private func openMore() {
        var rounds = 0
        while opened < clients.count && opened - ready < 50 && rounds < 100 {
            rounds += 1
            let client = NIOLoopBound(clients[opened], eventLoop: eventLoop)
            let load = NIOLoopBound(self, eventLoop: eventLoop)
            opened += 1
            ClientBootstrap(group: eventLoop)
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.seconds(5))
                .channelInitializer { channel in
                    do {
                        try channel.pipeline.syncOperations.addHandler(client.value)
                        return channel.eventLoop.makeSucceededVoidFuture()
                    } catch {
                        return channel.eventLoop.makeFailedFuture(error)
                    }
                }
                .connect(host: "127.0.0.1", port: plan.port)
                .whenFailure { error in load.value.fail("cannot connect to 127.0.0.1:\(load.value.plan.port): \(error)") }
        }
    }

    func clientReady() {
        ready += 1
        if ready == clients.count { succeedSetup() } else { openMore() }
    }

    private func succeedSetup() {
        guard !setupDone else { return }
        setupDone = true
        setupPromise.succeed(())
    }

    func fail(_ message: String) {
        guard !closing else { return }
        if result.failure == nil { result.failure = message }
        if !setupDone {
            setupDone = true
            setupPromise.fail(BrokerBenchmarkError(message))
        }
        finish()
    }

    private func timeout() {
        guard !finished else { return }
        result.timedOut = true
        if !setupDone { fail("timed out after \(plan.timeoutSeconds) s while connecting (\(ready)/\(clients.count) ready)") }
        finish()
    }

    // MARK: Sending

    func start() -> EventLoopFuture<Void> {
        guard !finished else { return donePromise.futureResult }
        started = true
        startNanos = NIODeadline.now().uptimeNanoseconds
        if totalMessages == 0 {
            finish()
        } else if let rate = plan.rate {
            let bound = NIOLoopBound(self, eventLoop: eventLoop)
            pacer = eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .microseconds(200)) { _ in
                bound.value.paceTick(rate: rate)
            }
        } else {
            pump()
        }
        return donePromise.futureResult
    }

    private func paceTick(rate: Double) {
        guard !finished, let publisher = publisherClients.first else { pacer?.cancel(); return }
        let elapsed = Double(NIODeadline.now().uptimeNanoseconds - startNanos) / 1e9
        let due = min(totalMessages, Int(elapsed * rate) + 1)
        if due > sent {
            publisher.publish(count: due - sent, firstSequence: sent)
            sent = due
            publisher.flush()
        }
        if sent >= totalMessages { pacer?.cancel(); pacer = nil }
    }

    /// Sends as much as the windows allow, round-robin over the publishers, one flush per publisher.
    func pump() {
        guard started, !finished, plan.rate == nil, !publisherClients.isEmpty else { return }
        let fanout = max(plan.subscribers, 1)
        let perPublisherBurst = max(1, min(64, plan.window / publisherClients.count))
        var idleTurns = 0
        var turns = 0
        while sent < totalMessages && idleTurns < publisherClients.count && turns < 1_000_000 {
            turns += 1
            let outstanding = sent * fanout - arrived
            let room = plan.window - (outstanding + fanout - 1) / fanout
            guard room > 0 else { break }
            let publisher = publisherClients[nextPublisher]
            nextPublisher = (nextPublisher + 1) % publisherClients.count
            var count = min(room, perPublisherBurst, plan.messagesPerPublisher - publisher.sent)
            if plan.qos != .atMostOnce { count = min(count, plan.ackWindow - (publisher.sent - publisher.acked)) }
            guard count > 0, publisher.isWritable else { idleTurns += 1; continue }
            idleTurns = 0
            publisher.publish(count: count, firstSequence: publisher.index * plan.messagesPerPublisher + publisher.sent)
            sent += count
            publisher.needsFlush = true
        }
        for publisher in publisherClients where publisher.needsFlush { publisher.flush() }
    }

    // MARK: Receiving

    func delivered(sequence: UInt64, timestamp: UInt64, firstTime: Bool) {
        arrived += 1
        if firstTime { result.delivered += 1 } else { result.duplicates += 1 }
        let now = NIODeadline.now().uptimeNanoseconds
        lastDeliveryNanos = now
        if plan.rate != nil && firstTime && now >= timestamp { result.latenciesNanoseconds.append(now - timestamp) }
    }

    func publisherAcked() {
        acked += 1
    }

    /// Called at the end of every read burst of any client: check completion, then send more.
    func readComplete() {
        guard started, !finished else { return }
        if result.delivered >= result.expected && (plan.qos == .atMostOnce || acked >= totalMessages) {
            finish()
            return
        }
        pump()
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        pacer?.cancel()
        timeoutTask?.cancel()
        if started {
            let end = lastDeliveryNanos > startNanos ? lastDeliveryNanos : NIODeadline.now().uptimeNanoseconds
            result.seconds = Double(end - startNanos) / 1e9
        }
        succeedSetup()
        donePromise.succeed(())
    }

    /// Closes every connection (the load is over).
    func close() -> EventLoopFuture<Void> {
        closing = true
        finish()
        let futures = clients.compactMap { $0.close() }
        return EventLoopFuture.andAllComplete(futures, on: eventLoop)
    }
}

/// One MQTT client connection of the load generator.
final class BrokerBenchmarkClient: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Role { case publisher, subscriber, idle }

    let role: Role
    let index: Int
    unowned let load: BrokerBenchmarkLoad
    private var context: ChannelHandlerContext?
    private var framer = PacketFramer()
    private var seen: [Bool]
    private var ackBytes: [UInt8] = []
    var sent = 0
    var acked = 0
    var needsFlush = false
    private var nextPacketID: UInt16 = 0

    init(role: Role, index: Int, load: BrokerBenchmarkLoad, expected: Int) {
        self.role = role
        self.index = index
        self.load = load
        seen = [Bool](repeating: false, count: expected)
    }

    var isWritable: Bool { context?.channel.isWritable ?? false }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        let id: String
        switch role {
        case .publisher: id = "bench-pub-\(index)"
        case .subscriber: id = "bench-sub-\(index)"
        case .idle: id = "bench-idle-\(index)"
        }
        // Keep alive 0: idle connections must stay open without pings for as long as the run lasts.
        writeNow(.connect(Connect(clientID: id, cleanStart: !load.plan.persistentSessions, keepAlive: 0)), context: context)
        context.fireChannelActive()
    }

    private func writeNow(_ packet: Packet, context: ChannelHandlerContext) {
        guard let bytes = try? packet.encode(version: .v3_1_1) else { return }
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        framer.append(buffer.readableBytesView)
        var packets = 0
        while packets < 1_000_000 {
            packets += 1
            let packet: [UInt8]?
            do { packet = try framer.next() } catch {
                load.fail("the broker sent bytes that cannot be framed: \(error.violation)")
                context.close(promise: nil)
                return
            }
            guard let packet else { break }
            handle(packet, context: context)
        }
    }

    private func handle(_ packet: [UInt8], context: ChannelHandlerContext) {
        switch packet[0] >> 4 {
        case 3: received(publish: packet)
        case 4:
            acked += 1
            load.publisherAcked()
        case 2:
            guard packet.count >= 4, packet[3] == 0 else {
                load.fail("CONNACK refused the connection (\(packet))")
                return
            }
            if role == .subscriber {
                let subscribe = Subscribe(packetID: 1, subscriptions: [.init(filter: load.plan.topic, qos: load.plan.qos)])
                writeNow(.subscribe(subscribe), context: context)
            } else {
                load.clientReady()
            }
        case 9:
            if case .suback(let suback)? = try? PacketDecoder.decode(packet, version: .v3_1_1),
               suback.reasonCodes.allSatisfy({ $0.rawValue < 0x80 }) {
                load.clientReady()
            } else {
                load.fail("SUBACK refused the subscription")
            }
        default: break
        }
    }

    /// Reads a PUBLISH's sequence number and timestamp straight from its bytes; QoS 1 gets its PUBACK
    /// (written now, flushed at the end of the read burst).
    private func received(publish packet: [UInt8]) {
        var offset = 1
        while offset < packet.count && packet[offset] & 0x80 != 0 { offset += 1 }
        offset += 1
        guard offset + 2 <= packet.count else { return }
        let topicLength = Int(packet[offset]) << 8 | Int(packet[offset + 1])
        offset += 2 + topicLength
        if (packet[0] >> 1) & 0x03 != 0 {
            guard offset + 2 <= packet.count else { return }
            ackBytes.append(contentsOf: [0x40, 0x02, packet[offset], packet[offset + 1]])
            offset += 2
        }
        guard offset + 16 <= packet.count else { return }
        var sequence: UInt64 = 0
        var timestamp: UInt64 = 0
        for index in 0..<8 {
            sequence = sequence << 8 | UInt64(packet[offset + index])
            timestamp = timestamp << 8 | UInt64(packet[offset + 8 + index])
        }
        var firstTime = true
        if Int(sequence) < seen.count {
            firstTime = !seen[Int(sequence)]
            seen[Int(sequence)] = true
        }
        load.delivered(sequence: sequence, timestamp: timestamp, firstTime: firstTime)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if !ackBytes.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: ackBytes.count)
            buffer.writeBytes(ackBytes)
            ackBytes.removeAll(keepingCapacity: true)
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
        load.readComplete()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { load.pump() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        load.fail("the broker closed the connection of \(role) \(index)")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        load.fail("connection error (\(role) \(index)): \(error)")
        context.close(promise: nil)
    }

    /// Writes `count` PUBLISHes in one buffer (one write, no flush): the template with the sequence
    /// number, the send time and, for QoS 1, a fresh packet identifier patched in.
    func publish(count: Int, firstSequence: Int) {
        guard let context else { return }
        let template = load.template
        let payloadOffset = load.payloadOffset
        let qos1 = load.plan.qos != .atMostOnce
        var buffer = context.channel.allocator.buffer(capacity: template.count * count)
        for step in 0..<count {
            let start = buffer.writerIndex
            buffer.writeBytes(template)
            if qos1 {
                nextPacketID = nextPacketID == UInt16.max ? 1 : nextPacketID + 1
                buffer.setInteger(nextPacketID, at: start + payloadOffset - 2)
            }
            buffer.setInteger(UInt64(firstSequence + step), at: start + payloadOffset)
            buffer.setInteger(NIODeadline.now().uptimeNanoseconds, at: start + payloadOffset + 8)
        }
        sent += count
        context.write(wrapOutboundOut(buffer), promise: nil)
    }

    func flush() {
        needsFlush = false
        context?.flush()
    }

    func close() -> EventLoopFuture<Void>? {
        guard let context else { return nil }
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.close(promise: promise)
        return promise.futureResult
    }
}
