import DequeModule
import MQTTCodec

/// What the broker keeps for one client id, across connections when the session is persistent:
/// subscriptions, messages in flight and waiting, and QoS 2 ids received but not yet released.
struct Session {
    var clientID: ClientIdentifier
    var subscriptions: [FilterKey: SubscriptionOptions] = [:]
    /// The connection currently using the session; nil while the client is away.
    var connection: ConnectionID?
    var version: ProtocolVersion
    /// Outgoing QoS 1/2 messages sent and not yet fully acknowledged, in send order.
    var inflight: [OutgoingMessage] = []
    /// Messages waiting: for a free slot in the in-flight window, or for the client to come back.
    var queue: Deque<OutgoingMessage> = []
    var queuedBytes = 0
    /// QoS 2 messages received (PUBREC sent) whose PUBREL has not come yet [MQTT-4.3.3-2].
    var receivedQoS2: Set<UInt16> = []
    var nextPacketID: UInt16 = 1
    /// Seconds the session outlives its connection; UInt32.max = forever.
    var expiryInterval: UInt32
    var disconnectedAt: BrokerInstant?
    /// The user name of its latest connection, for the ACL read check of messages delivered or queued to it
    /// (Mosquitto checks with the client's user name even while it is away).
    var username: String?
    /// `--store`: what the store was last given of this session's pending messages, so the next write
    /// carries only what changed (`PendingMessagesChange`).
    var stored = StoredPending()
    /// `--store`: the session's own row as last given to the store (nil: not yet, or to be written again).
    var storedSnapshot: SessionSnapshot?

    /// A packet identifier not used by any message in flight [MQTT-2.3.1-2].
    mutating func allocatePacketID() -> UInt16 {
        for _ in 0..<Int(UInt16.max) {
            let candidate = nextPacketID
            nextPacketID = nextPacketID == UInt16.max ? 1 : nextPacketID + 1
            if !inflight.contains(where: { $0.packetID == candidate }) { return candidate }
        }
        return nextPacketID
    }

    /// The client went away: its waiting messages keep their payloads, not also the packets they came in
    /// (which only serve forwarding to a connected client).
    mutating func dropWireBytes() {
        for index in inflight.indices where inflight[index].message.wire != nil {
            inflight[index].message = inflight[index].message.withoutWire()
        }
        for index in queue.indices where queue[index].message.wire != nil { queue[index].message = queue[index].message.withoutWire() }
    }

    /// When the session ends if its client stays away. A session asked to live forever still ends after
    /// `persistentClientExpiration`, when the broker sets one.
    func expiresAt(persistentClientExpiration: UInt32?) -> BrokerInstant? {
        guard let disconnectedAt else { return nil }
        guard expiryInterval != UInt32.max else {
            return persistentClientExpiration.map { disconnectedAt.adding(seconds: Double($0)) }
        }
        return disconnectedAt.adding(seconds: Double(expiryInterval))
    }
}

/// What the durable store holds of one session's pending messages: the in-flight entries with the stage
/// they were stored in, and the sequence numbers of the queued entries stored, in order (8 bytes per
/// queued message; sequence numbers are shared by all sessions, so a session's are not contiguous).
/// Every in-flight entry has a lower sequence number than every queued one: a message skips the queue
/// only when the queue is empty, and the queue drains in order.
struct StoredPending {
    struct InflightState: Equatable {
        var stage: OutgoingMessage.Stage
        var packetID: UInt16
    }

    /// The stored entries must be replaced whole at the next write: a new or restored session, or a queue
    /// that lost entries out of order.
    var needsRewrite = true
    var inflight: [UInt64: InflightState] = [:]
    var queue: Deque<UInt64> = []
}

/// A subscription's options as granted.
struct SubscriptionOptions: Sendable, Equatable {
    var qos: QoS
    var noLocal: Bool
    var retainAsPublished: Bool
    var retainHandling: Subscribe.Options.RetainHandling
    var identifier: UInt32?
}
