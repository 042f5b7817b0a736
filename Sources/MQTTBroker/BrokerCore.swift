import MQTTBrokerCore
import MQTTCodec
import NIOCore
import NIOSSL

/// Everything that lives on the broker's one event loop: the engine, the connections by id, the
/// connections waiting for a flush, the trace sink. Not thread-safe, by design: `BrokerServer` reaches it
/// only through a `NIOLoopBoundBox`, and connection handlers (on the same loop) hold it directly.
///
/// The flow for each input: the engine handles it and appends actions; `perform` writes each `.send`
/// (encoded with the connection's version, without flushing) and marks the connection as touched, and
/// closes on `.close` after what was written before. Touched connections are flushed once at the end
/// of the read burst (`channelReadComplete`), after a tick, and after a connection opens or closes.
///
/// Inputs that arrive while another is being handled (closing a socket reports `channelInactive`
/// synchronously) are queued and handled right after, in order, so the engine is never re-entered.
final class BrokerCore {
    let configuration: BrokerServerConfiguration
    let engine: BrokerEngine
    private(set) var registry = ConnectionRegistry()
    private(set) var statistics = BrokerServerStatistics()
    var tickTask: RepeatedTask?
    private(set) var isShuttingDown = false

    private var sink: (any BrokerTraceSink)?
    /// The engine's observer is weak: this keeps the adapter alive while a sink is attached.
    private var observerAdapter: TraceObserverAdapter?

    private var inputs: [BrokerInput] = []
    private var actions: [BrokerAction] = []
    /// The other half of `actions` (see `perform`).
    private var spareActions: [BrokerAction] = []
    private var handlingInputs = false
    private var touched: [ConnectionHandler] = []
    /// A flush at the end of this event loop turn is on its way (`readBurstEnded`).
    private var flushScheduled = false
    private var flushing = false
    /// The last PUBLISH encoded in this batch of actions: a fan-out to subscribers with the same version and
    /// QoS 0 writes the same bytes, so they are encoded once.
    private var lastEncodedPublish: (packet: Packet, version: ProtocolVersion, bytes: [UInt8])?
    /// The same for big forwarded QoS 0 PUBLISHes, shared as one buffer (`sharedForwardSize`).
    private var lastForwarded: (forwarded: ForwardedPublish, buffer: ByteBuffer)?
    /// From this size on a forwarded QoS 0 PUBLISH is written as one shared buffer, not copied per subscriber.
    static let sharedForwardSize = 4096

    // Durability (`--store`): group commit. While a batch of changes is being written, new inputs wait
    // and nothing is flushed; when the write commits, the acknowledgements it covers are flushed and the
    // waiting inputs are handled as the next batch. So no PUBACK/PUBREC leaves before the message it
    // acknowledges is on disk, and a busy broker writes bigger batches rather than more of them.
    private let eventLoop: any EventLoop
    private var storeWriteInFlight = false
    /// The batch being written, kept until it commits: if it fails, the engine must write it again.
    private var writing: DurableChanges?
    private var deferredInputs: [BrokerInput] = []
    private var storeIdlePromises: [EventLoopPromise<Void>] = []

    init(configuration: BrokerServerConfiguration, sink: (any BrokerTraceSink)?, eventLoop: any EventLoop) {
        self.configuration = configuration
        self.engine = BrokerEngine(configuration: configuration.engine)
        self.eventLoop = eventLoop
        if configuration.store != nil {
            engine.enableDurability()
            engine.restore(sessions: configuration.restoredSessions, retained: configuration.restoredRetained, at: now())
        }
        setSink(sink)
    }

    var isTracing: Bool { sink != nil }

    func setSink(_ sink: (any BrokerTraceSink)?) {
        self.sink = sink
        observerAdapter = sink.map { [unowned engine] in TraceObserverAdapter(sink: $0, position: { engine.actionsAppended }) }
        engine.observer = observerAdapter
    }

    /// Engine time: the loop's monotonic clock.
    private func now() -> BrokerInstant {
        BrokerInstant(nanoseconds: NIODeadline.now().uptimeNanoseconds)
    }

    // MARK: Connections

    /// Called from the child channel initializer: admits the connection or refuses it at once. The
    /// pipeline, socket first: pcap recorder · wire observer (sniff view, TLS hellos) · TLS · handshake
    /// reporter · `ConnectionHandler`. Only what a listener needs is added.
    func accept(_ channel: any Channel, tls: BrokerTLSContext? = nil) throws {
        statistics.acceptedConnections += 1
        if let pcap = configuration.pcap {
            // First in the pipeline, so it records the bytes exactly as they cross the socket.
            try channel.pipeline.syncOperations.addHandler(pcap.makeHandler())
        }
        let limit = configuration.maxConnections
        if isShuttingDown || (limit > 0 && registry.count >= limit) {
            if !isShuttingDown {
                statistics.refusedConnections += 1
                if let sink {
                    let remote = channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
                    sink.trace(transport: .refusedOverLimit(remote: remote, limit: limit), at: .now())
                }
            }
            try channel.pipeline.syncOperations.addHandler(RefusingHandler())
            return
        }
        let handler = ConnectionHandler(id: registry.makeID(), core: self, channel: channel,
                                        maximumPacketSize: configuration.framerMaximum)
        let facts = tls.map { _ in TLSConnectionFacts() }
        if configuration.sniff || tls != nil {
            try channel.pipeline.syncOperations.addHandler(
                WireObserverHandler(id: handler.id, core: self, facts: facts, sniff: configuration.sniff))
        }
        if let tls, let facts {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.context))
            try channel.pipeline.syncOperations.addHandler(TLSHandshakeHandler(id: handler.id, core: self, facts: facts, tls: tls))
            handler.usesCertificateIdentity = tls.settings.useIdentityAsUsername
            handler.waitsForTLS = true
        }
        try channel.pipeline.syncOperations.addHandler(handler)
        registry.add(handler)
        statistics.openConnections = registry.count
    }

    func opened(_ connection: ConnectionHandler) {
        if !connection.waitedForTLS { sink?.trace(transport: .accepted(connection.id, remote: connection.remote), at: .now()) }
        submit(.connected(connection.id, remote: connection.remote))
        flushTouched()
    }

    /// The TCP connection of a TLS listener is up; the engine hears of it after the handshake.
    func acceptedForTLS(_ id: ConnectionID, remote: String) {
        sink?.trace(transport: .accepted(id, remote: remote), at: .now())
    }

    /// A connection that ends before the engine heard of it (a failed TLS handshake): only the count.
    func forget(_ connection: ConnectionHandler) {
        guard registry.remove(connection.id) != nil else { return }
        statistics.openConnections = registry.count
    }

    func closed(_ connection: ConnectionHandler) {
        guard registry.remove(connection.id) != nil else { return }
        statistics.openConnections = registry.count
        submit(.disconnected(connection.id))
        flushTouched()
    }

    /// The first byte of a connection is not a CONNECT's: the engine never hears of its bytes, only that
    /// the connection ends.
    func notMQTT(_ connection: ConnectionHandler, firstByte: UInt8) {
        sink?.trace(transport: .notAConnect(connection.id, firstByte: firstByte), at: .now())
    }

    // MARK: TLS and the wire

    func tlsClientHello(_ hello: TLSClientHello, on id: ConnectionID) {
        sink?.trace(transport: .tlsClientHello(id, hello), at: .now())
    }

    func tlsHandshakeCompleted(_ summary: TLSHandshakeSummary, usesIdentity: Bool, on id: ConnectionID) {
        sink?.trace(transport: .tlsHandshakeCompleted(id, summary), at: .now())
        guard let connection = registry[id] else { return }
        // The engine learns of the connection now, and of its certificate's identity before any packet.
        connection.tlsReady()
        guard usesIdentity else { return }
        connection.certificateIdentity = summary.identity
        submit(.certificateIdentity(id, username: summary.identity))
    }

    func tlsHandshakeFailed(_ failure: TLSHandshakeFailure, on id: ConnectionID) {
        sink?.trace(transport: .tlsHandshakeFailed(id, failure), at: .now())
    }

    func wire(_ bytes: [UInt8], direction: BrokerWireRecord.Direction, on id: ConnectionID, isTLS: Bool, remote: String, localPort: Int) {
        sink?.trace(wire: BrokerWireRecord(time: .now(), connection: id, direction: direction, bytes: bytes, isTLS: isTLS,
                                           remote: remote, localPort: localPort))
    }

    func closeTimedOut(_ connection: ConnectionHandler) {
        sink?.trace(transport: .closeTimedOut(connection.id, clientID: connection.clientID), at: .now())
    }

    // MARK: Input

    /// A whole, valid packet. The caller flushes at the end of its read burst.
    func received(_ packet: Packet, bytes: [UInt8], from connection: ConnectionHandler) {
        var packet = packet
        if connection.usesCertificateIdentity, case .connect(var connect) = packet {
            // use_identity_as_username: the certificate names the user; what the CONNECT says is ignored
            // (the trace below still shows the bytes the client sent).
            connect.username = connection.certificateIdentity
            connect.password = nil
            packet = .connect(connect)
        }
        // An untraced PUBLISH after CONNECT comes through `received(_ publish:…)` instead (the forwarding
        // path); a traced one stays a model here, since the trace shows each outgoing packet as one.
        if let sink {
            sink.trace(packet: BrokerPacketRecord(
                time: .now(), connection: connection.id, clientID: connection.clientID ?? Self.announcedID(packet),
                direction: .incoming, bytes: bytes, version: connection.version, packet: packet))
        }
        submit(.packet(connection.id, packet, size: bytes.count))
    }

    /// A valid PUBLISH on the untraced path (the caller checked `isTracing`): the engine may forward its
    /// bytes rather than have every delivery re-encoded.
    func received(_ publish: Publish, bytes: [UInt8], from connection: ConnectionHandler) {
        if let wire = PublishWire(bytes: bytes, version: connection.version, publish: publish) {
            submit(.publish(connection.id, publish, wire: wire))
        } else {
            submit(.packet(connection.id, .publish(publish), size: bytes.count))
        }
    }

    /// Bytes that are not a valid packet.
    func refused(_ error: MalformedPacket, bytes: [UInt8], isComplete: Bool, from connection: ConnectionHandler) {
        if let sink {
            sink.trace(packet: BrokerPacketRecord(
                time: .now(), connection: connection.id, clientID: connection.clientID, direction: .incoming, bytes: bytes,
                version: connection.version, packet: nil, error: error, isComplete: isComplete))
        }
        submit(.malformed(connection.id, error))
    }

    func tick() {
        submit(.tick)
        flushTouched()
    }

    private static func announcedID(_ packet: Packet) -> String? {
        if case .connect(let connect) = packet, !connect.clientID.isEmpty { return connect.clientID }
        return nil
    }

    private func submit(_ input: BrokerInput) {
        if storeWriteInFlight {
            deferredInputs.append(input)
            return
        }
        guard !handlingInputs else {
            inputs.append(input)
            return
        }
        handlingInputs = true
        // The input itself is handled without a trip through the queue (this runs for every packet).
        handle(input)
        var index = 0
        while index < inputs.count {
            handle(inputs[index])
            index += 1
        }
        inputs.removeAll(keepingCapacity: true)
        handlingInputs = false
    }

    private func handle(_ input: BrokerInput) {
        engine.handle(input, at: now(), actions: &actions)
        if case .packet(let id, .connect, _) = input, let connection = registry[id] {
            connection.clientID = engine.clientID(of: id) ?? connection.clientID
        }
        perform()
    }

    // MARK: Output

    private func perform() {
        guard !actions.isEmpty else {
            observerAdapter?.flushAll()
            return
        }
        // Swap in the spare array instead of copying: `let batch = actions` followed by
        // `removeAll(keepingCapacity:)` would allocate a fresh buffer on every input.
        var batch = spareActions
        swap(&batch, &actions)
        defer {
            batch.removeAll(keepingCapacity: true)
            spareActions = batch
        }
        // The number the engine gave the first action of this batch.
        var number = engine.actionsAppended - batch.count
        // Consecutive actions mostly go to the same connection (a burst of forwards to one subscriber, an
        // acknowledgement after a delivery): the last lookup is kept rather than hashing the id again.
        var last: (id: ConnectionID, connection: ConnectionHandler?)?
        func connection(_ id: ConnectionID) -> ConnectionHandler? {
            if let last, last.id == id { return last.connection }
            let found = registry[id]
            last = (id, found)
            return found
        }
        for action in batch {
            observerAdapter?.flush(before: number)
            number += 1
            switch action {
            case .send(let id, let packet):
                if let connection = connection(id) { send(packet, to: connection) }
            case .forward(let id, let forwarded):
                if let connection = connection(id) { forward(forwarded, to: connection) }
            case .close(let id):
                // Closing may remove connections from the registry: look up afresh after it.
                last = nil
                registry[id]?.closeAfterPendingWrites()
            }
        }
        // Cleared only when set: assigning nil to an optional tuple destroys the old value even when it
        // is already nil, and this runs for every input.
        if lastEncodedPublish != nil { lastEncodedPublish = nil }
        if lastForwarded != nil { lastForwarded = nil }
        observerAdapter?.flushAll()
    }

    private func send(_ packet: Packet, to connection: ConnectionHandler) {
        guard !connection.closing, connection.context != nil else { return }
        if sink == nil, let (firstByte, packetID) = packet.shortAcknowledgement {
            // Most of QoS 1 and 2 traffic: four bytes, written without building an array.
            connection.writeShortAcknowledgement(firstByte: firstByte, packetID: packetID)
            wrote(4, to: connection)
            return
        }
        if case .publish(let publish) = packet, publish.qos == .atMostOnce, !connection.isWritable {
            dropForSlowConsumer(connection, topic: publish.topic)
            return
        }
        guard let bytes = encode(packet, version: connection.version) else { return }
        if let sink {
            sink.trace(packet: BrokerPacketRecord(
                time: .now(), connection: connection.id, clientID: connection.clientID, direction: .outgoing, bytes: bytes,
                version: connection.version, packet: packet))
        }
        connection.write(bytes)
        wrote(bytes.count, to: connection)
    }

    /// A PUBLISH made of received bytes: copied into the connection's outgoing buffer in pieces — no
    /// model, no encoding.
    private func forward(_ forwarded: ForwardedPublish, to connection: ConnectionHandler) {
        guard !connection.closing, connection.context != nil else { return }
        if forwarded.qos == .atMostOnce, !connection.isWritable {
            if sink == nil {
                dropForSlowConsumer(connection, topic: nil)
            } else if case .publish(let publish)? = forwarded.decoded(version: connection.version) {
                dropForSlowConsumer(connection, topic: publish.topic)
            }
            return
        }
        if let sink, let packet = forwarded.decoded(version: connection.version) {
            // Reached only if a trace was attached while forwarded messages were in flight.
            sink.trace(packet: BrokerPacketRecord(
                time: .now(), connection: connection.id, clientID: connection.clientID, direction: .outgoing,
                bytes: forwarded.encoded(), version: connection.version, packet: packet))
        }
        if forwarded.packetID == nil && forwarded.encodedCount >= Self.sharedForwardSize {
            // A big QoS 0 message to many subscribers: one buffer shared by all of them (NIO's ByteBuffer is
            // copy-on-write), not a copy in every subscriber's burst.
            let buffer: ByteBuffer
            if let cached = lastForwarded, cached.forwarded == forwarded {
                buffer = cached.buffer
            } else {
                var fresh = ByteBufferAllocator().buffer(capacity: forwarded.encodedCount)
                ConnectionHandler.write(forwarded, into: &fresh)
                buffer = fresh
                lastForwarded = (forwarded, buffer)
            }
            connection.write(shared: buffer)
        } else {
            connection.write(forwarded)
        }
        wrote(forwarded.encodedCount, to: connection)
    }

    /// The client does not read fast enough: its socket buffer is over the high water mark. QoS 0 promises
    /// at most once, so the message is dropped rather than queued without bound (QoS 1 and 2 are bounded by
    /// the engine's in-flight window).
    private func dropForSlowConsumer(_ connection: ConnectionHandler, topic: String?) {
        statistics.droppedForSlowConsumers += 1
        if let sink, let topic {
            sink.trace(transport: .droppedForSlowConsumer(connection.id, clientID: connection.clientID, topic: topic), at: .now())
        }
    }

    private func wrote(_ byteCount: Int, to connection: ConnectionHandler) {
        statistics.packetsWritten += 1
        // For `$SYS/broker/bytes/sent`: only the transport knows encoded sizes.
        engine.noteBytesSent(byteCount)
        if !connection.needsFlush {
            connection.needsFlush = true
            touched.append(connection)
        }
    }

    private func encode(_ packet: Packet, version: ProtocolVersion) -> [UInt8]? {
        let isPublish: Bool
        if case .publish = packet { isPublish = true } else { isPublish = false }
        if isPublish, let cached = lastEncodedPublish, cached.version == version, cached.packet == packet {
            return cached.bytes
        }
        let bytes: [UInt8]
        do {
            bytes = try packet.encode(version: version)
        } catch {
            statistics.encodeFailures += 1
            return nil
        }
        if isPublish { lastEncodedPublish = (packet, version, bytes) }
        return bytes
    }

    /// A connection's read burst ended. The flush waits for the end of this turn of the event loop (NIO
    /// runs tasks after the I/O events of one wake-up): when 50 publishers are ready at once, their common
    /// subscriber gets one write system call, not 50.
    func readBurstEnded() {
        guard !flushScheduled else { return }
        flushScheduled = true
        eventLoop.assumeIsolated().execute { [self] in
            flushScheduled = false
            flushTouched()
        }
    }

    /// Flushes every connection written to since the last flush, once each.
    func flushTouched() {
        // While inputs are being handled the outermost caller flushes when they are done; a flush can
        // close a socket, whose input is then handled and may touch more connections: loop until none.
        guard !flushing, !handlingInputs, !storeWriteInFlight else { return }
        if let store = configuration.store {
            let changes = engine.takeDurableChanges()
            if !changes.isEmpty {
                startStoreWrite(changes, to: store)
                return
            }
        }
        flushing = true
        while !touched.isEmpty {
            let batch = touched
            touched.removeAll(keepingCapacity: true)
            for connection in batch where connection.needsFlush {
                connection.needsFlush = false
                connection.flush()
                statistics.flushes += 1
            }
        }
        flushing = false
    }

    // MARK: Durability

    private func startStoreWrite(_ changes: DurableChanges, to store: any DurableStore) {
        storeWriteInFlight = true
        writing = changes
        statistics.storeWrites += 1
        let core = NIOLoopBound(self, eventLoop: eventLoop)
        let loop = eventLoop
        store.write(changes) { result in
            loop.execute { core.value.storeWriteCompleted(result) }
        }
    }

    private func storeWriteCompleted(_ result: Result<Void, any Error>) {
        storeWriteInFlight = false
        let written = writing
        writing = nil
        if case .failure(let error) = result {
            // The acknowledgements are still sent: the broker keeps running on its in-memory state, and
            // says loudly that durability is lost rather than stopping a class.
            statistics.storeFailures += 1
            sink?.trace(transport: .storeFailed(String(describing: error)), at: .now())
            // The batch rolled back: the next one writes everything again, so the store can catch up.
            engine.durableWriteFailed(written ?? DurableChanges())
        }
        flushTouched()
        let waiting = deferredInputs
        deferredInputs.removeAll(keepingCapacity: true)
        for input in waiting { submit(input) }
        flushTouched()
        if !storeWriteInFlight {
            let promises = storeIdlePromises
            storeIdlePromises.removeAll()
            promises.forEach { $0.succeed() }
        }
    }

    /// Completes when no write is in flight (for shutdown: the last changes reach the disk).
    private func storeIdle() -> EventLoopFuture<Void> {
        guard storeWriteInFlight else { return eventLoop.makeSucceededVoidFuture() }
        let promise = eventLoop.makePromise(of: Void.self)
        storeIdlePromises.append(promise)
        return promise.futureResult
    }

    // MARK: Shutdown

    /// Tells the engine, sends what it says (5.0 clients get DISCONNECT 0x8B), closes every connection
    /// after its last packets, and completes when all are closed. Only the first call does the work.
    func shutdown(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let open = registry.all
        let allClosed = EventLoopFuture.andAllComplete(open.map { $0.channel.closeFuture }, on: eventLoop)
        guard !isShuttingDown else { return allClosed }
        isShuttingDown = true
        tickTask?.cancel()
        tickTask = nil
        // Let a write in flight finish first, so the shutdown's own changes are the last batch.
        // Everything here runs on the broker's loop (the core lives there), hence `assumeIsolated`.
        return storeIdle().assumeIsolated().flatMap { [self] in
            let waiting = deferredInputs
            deferredInputs.removeAll()
            for input in waiting { submit(input) }
            engine.shutdown(at: now(), actions: &actions)
            perform()
            if let store = configuration.store {
                let changes = engine.takeDurableChanges()
                if !changes.isEmpty { startStoreWrite(changes, to: store) }
            }
            return storeIdle().assumeIsolated().flatMap { [self] in
                for connection in open { connection.closeAfterPendingWrites() }
                flushTouched()
                return allClosed
            }.nonisolated()
        }.nonisolated()
    }

    func currentStatistics() -> BrokerServerStatistics {
        var result = statistics
        result.engine = engine.statistics
        return result
    }
}
