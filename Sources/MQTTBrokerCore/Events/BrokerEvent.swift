import MQTTCodec

/// Something that happened inside the broker, in the words a learner needs: the trace renders these,
/// exercise checkers watch them.
public enum BrokerEvent: Sendable, Equatable {
    /// A client's CONNECT was accepted: its session is new, or an earlier one was resumed.
    case sessionStarted(ConnectionID, clientID: String, resumed: Bool, persistent: Bool, assignedID: Bool)
    /// A CONNECT was refused with this code.
    case connectionRefused(ConnectionID, clientID: String?, reason: ReasonCode, version: ProtocolVersion)
    /// A CONNECT's user name or password was not accepted (followed by `connectionRefused`). The
    /// password itself is never in an event.
    case authenticationFailed(ConnectionID, clientID: String?, username: String?, failure: AuthenticationFailure)
    /// Another connection with the same client id took the session over; the old one is closed.
    case takenOver(old: ConnectionID, new: ConnectionID, clientID: String)
    /// The connection ended. `graceful` is a DISCONNECT (without 0x04); otherwise the will applies.
    case connectionEnded(ConnectionID, clientID: String?, graceful: Bool, reason: EndReason)
    /// The session is kept after the connection ended (persistent), for this many seconds (nil: forever).
    case sessionKept(clientID: String, expirySeconds: UInt32?)
    /// The session was discarded (clean session, expiry).
    case sessionEnded(clientID: String, expired: Bool)
    /// A PUBLISH was routed: how many subscribers got it now, how many were queued offline.
    case routed(topic: String, from: String?, delivered: [Delivery], queued: [String])
    /// A message was queued for an offline (or saturated) client.
    case queued(clientID: String, topic: String, queueLength: Int)
    /// A queued message was dropped: queue full, or expired.
    case dropped(clientID: String, topic: String, reason: DropReason)
    /// The retained message of a topic was stored, replaced or cleared.
    case retained(topic: String, cleared: Bool)
    /// A will message was published (or scheduled after its delay).
    case willPublished(clientID: String, topic: String)
    case willScheduled(clientID: String, topic: String, delaySeconds: UInt32)
    /// A subscription was granted at a lower QoS than requested, or refused.
    case subscriptionAnswered(clientID: String, filter: String, requested: QoS, result: ReasonCode)
    /// The ACL file refused a client a topic (a PUBLISH dropped, a will discarded, a message not delivered).
    case accessDenied(AccessDenial)
    /// A protocol violation closed the connection.
    case violation(ConnectionID, clientID: String?, MalformedPacket)

    public struct Delivery: Sendable, Equatable {
        public var clientID: String
        public var filter: String
        public var qos: QoS
        public init(clientID: String, filter: String, qos: QoS) {
            self.clientID = clientID
            self.filter = filter
            self.qos = qos
        }
    }

    public enum EndReason: Sendable, Equatable {
        case disconnectPacket(ReasonCode)
        case socketClosed
        case keepAliveExpired(seconds: Double)
        case takenOver
        /// The broker refused the CONNECT (a CONNACK with this code) and closed: a refusal, not a fault.
        case connectionRefused(ReasonCode)
        /// Malformed bytes (the `violation` event before it says which rule).
        case protocolViolation
        /// A well-formed packet that broke a rule where it came.
        case protocolError(ProtocolRule)
        case serverShutdown
    }

    public enum DropReason: Sendable, Equatable {
        case queueFull(limit: Int)
        case queueBytesFull(limit: Int)
        case expired
        case tooLargeForClient(size: Int, maximum: Int)
        /// The publisher's payload is over `message_size_limit`: the broker did not accept it.
        case overMessageSizeLimit(size: Int, limit: Int)
    }
}
