import MQTTCodec

/// The broker's protocol logic as a state machine: inputs (packets, connections, time) in, actions
/// (packets to send, connections to close) and events out. It does no I/O and reads no clock, so every
/// rule can be tested packet by packet, and the transport decides threads and sockets.
///
/// Not thread-safe by design: the transport drives it from a single event loop.
public final class BrokerEngine {
    public let configuration: BrokerConfiguration
    /// Receives semantic events; nil on the untraced path (then no event is built).
    public weak var observer: (any BrokerObserver)?

    var connections = ConnectionTable<ClientConnection>()
    var sessions = SessionTable()
    var subscriptions = SubscriptionStore()
    var retained = RetainedStore()
    var pendingWills: [PendingWill] = []
    var nextAssignedID: UInt64 = 1
    /// Sequence numbers of pending messages, for the durable store (`PendingMessagesChange`).
    var nextQueueSequence: UInt64 = 1
    public internal(set) var statistics = BrokerStatistics()
    var now = BrokerInstant(nanoseconds: 0)
    var startedAt: BrokerInstant?
    var lastSysPublish: BrokerInstant?
    var sysLoad = SysLoad()
    /// `route`'s working array, kept between messages so routing one does not allocate it.
    var spareRouteTargets: [RouteTarget] = []

    public init(configuration: BrokerConfiguration = BrokerConfiguration()) {
        self.configuration = configuration
    }

    /// Handles one input at time `now`, appending the resulting actions in the order they must happen.
    public func handle(_ input: BrokerInput, at now: BrokerInstant, actions: inout [BrokerAction]) {
        self.now = max(self.now, now)
        if startedAt == nil { startedAt = now }
        switch input {
        case .connected(let id, let remote):
            connections[id] = ClientConnection(id: id, remote: remote, lastActivity: self.now)
            statistics.connectionsTotal += 1
            statistics.maximumConnected = max(statistics.maximumConnected, connections.count)
        case .packet(let id, let packet, let size):
            guard connections[id] != nil else { return }
            connections[id]?.lastActivity = self.now
            statistics.packetsReceived += 1
            statistics.bytesReceived += size
            handlePacket(packet, from: id, size: size, actions: &actions)
        case .publish(let id, let publish, let wire):
            guard let connection = connections[id] else { return }
            connection.lastActivity = self.now
            statistics.packetsReceived += 1
            statistics.bytesReceived += wire.bytes.count
            if let clientID = connection.clientID {
                handlePublish(publish, from: connection, clientID: clientID, wire: wire, actions: &actions)
            } else {
                // Before CONNECT: the general rules answer it.
                handlePacket(.publish(publish), from: id, size: wire.bytes.count, actions: &actions)
            }
        case .malformed(let id, let error):
            handleViolation(error, on: id, actions: &actions)
        case .disconnected(let id):
            connectionLost(id, reason: .socketClosed, actions: &actions)
        case .tick:
            tick(actions: &actions)
            publishSysTopicsIfDue(actions: &actions)
        case .certificateIdentity(let id, let username):
            connections[id]?.certificateLogin = username.map(CertificateLogin.identity) ?? .missing
        }
    }

    /// Convenience for tests: the actions of one input.
    public func handle(_ input: BrokerInput, at now: BrokerInstant) -> [BrokerAction] {
        var actions: [BrokerAction] = []
        handle(input, at: now, actions: &actions)
        return actions
    }

    /// The transport reports what it wrote, for `$SYS/broker/bytes/sent`.
    public func noteBytesSent(_ count: Int) { statistics.bytesSent += count }

    /// The protocol version a connection speaks, once its CONNECT was accepted or read.
    public func version(of id: ConnectionID) -> ProtocolVersion? { connections[id]?.version }

    /// The client id behind a connection, once known.
    public func clientID(of id: ConnectionID) -> String? { connections[id]?.clientID?.text }

    /// The largest packet a client said it accepts (5.0 Maximum Packet Size), if any.
    public func maximumPacketSize(of id: ConnectionID) -> Int? { connections[id]?.maximumPacketSize }

    /// Closes every connection for a shutdown (5.0 clients get DISCONNECT 0x8B Server shutting down).
    public func shutdown(at now: BrokerInstant, actions: inout [BrokerAction]) {
        self.now = max(self.now, now)
        for (id, _) in connections.sortedByID {
            if connections[id]?.version?.isV5 == true, connections[id]?.clientID != nil {
                append(.send(id, .disconnect(Disconnect(reasonCode: .serverShuttingDown))), to: &actions)
            }
            append(.close(id), to: &actions)
            connectionLost(id, reason: .serverShutdown, actions: &actions)
        }
    }

    /// Actions appended since the engine started. An observer that shows events among the packets reads
    /// it when an event arrives: the event belongs before the action with that number, so a trace can
    /// print "DISCONNECT sent" before "connection closed" although the engine decided both at once.
    public private(set) var actionsAppended = 0

    func append(_ action: BrokerAction, to actions: inout [BrokerAction]) {
        actionsAppended += 1
        actions.append(action)
    }

    func emit(_ event: @autoclosure () -> BrokerEvent) {
        observer?.broker(event())
    }
}

/// Counters for `$SYS` and the benchmark.
public struct BrokerStatistics: Sendable, Equatable {
    public var connectionsTotal = 0
    public var packetsReceived = 0
    public var packetsSent = 0
    public var bytesReceived = 0
    /// Counted by the transport, which alone knows encoded sizes (`noteBytesSent`).
    public var bytesSent = 0
    public var maximumConnected = 0
    public var messagesReceived = 0
    public var messagesSent = 0
    public var messagesDropped = 0

    public init() {}
}
