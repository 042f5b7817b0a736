import MQTTCodec

/// Identifies one network connection for the life of the broker process. Assigned by the transport.
public struct ConnectionID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public static func < (lhs: ConnectionID, rhs: ConnectionID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "#\(rawValue)" }
}

/// Monotonic time in nanoseconds, supplied by the caller so the engine is deterministic under test.
public struct BrokerInstant: Hashable, Sendable, Comparable {
    public var nanoseconds: UInt64
    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }
    public static func seconds(_ seconds: Double) -> BrokerInstant { BrokerInstant(nanoseconds: UInt64(seconds * 1e9)) }
    public static func < (lhs: BrokerInstant, rhs: BrokerInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
    public func adding(seconds: Double) -> BrokerInstant { BrokerInstant(nanoseconds: nanoseconds &+ UInt64(max(0, seconds) * 1e9)) }
    public func seconds(since earlier: BrokerInstant) -> Double {
        nanoseconds >= earlier.nanoseconds ? Double(nanoseconds - earlier.nanoseconds) / 1e9 : 0
    }
}

/// What happens to the broker: the transport turns sockets into these.
public enum BrokerInput: Sendable {
    /// A TCP connection was accepted.
    case connected(ConnectionID, remote: String)
    /// A whole, valid packet arrived. `size` is its length on the wire (for limits and statistics).
    case packet(ConnectionID, Packet, size: Int)
    /// A whole, valid PUBLISH with the bytes it arrived in: handled exactly like `.packet`, and the
    /// engine may forward those bytes (`BrokerAction.forward`) instead of asking for a new encoding.
    /// The untraced transport uses it; a trace wants every outgoing packet as a model anyway.
    case publish(ConnectionID, Publish, wire: PublishWire)
    /// The bytes did not form a valid packet: the connection must be closed (after a CONNACK or
    /// DISCONNECT with the violation's reason code where the version allows one).
    case malformed(ConnectionID, MalformedPacket)
    /// The peer closed the connection, or it failed.
    case disconnected(ConnectionID)
    /// Time passes: keep alive, will delay, session and message expiry are checked.
    case tick
    /// The connection came through a TLS listener with `use_identity_as_username`: its client certificate's
    /// Common Name is its user name (nil: it presented no certificate). Sent before its first packet.
    case certificateIdentity(ConnectionID, username: String?)
}

/// What the engine asks the transport to do, in order.
public enum BrokerAction: Sendable, Equatable {
    /// Encode and send a packet with the connection's protocol version.
    case send(ConnectionID, Packet)
    /// Send a PUBLISH made from received bytes (only for connections of the same protocol family, and
    /// only when the bytes carry exactly what this subscriber must get). Never appears unless the input
    /// was `.publish(_, _, wire:)`.
    case forward(ConnectionID, ForwardedPublish)
    /// Close the connection after the packets sent before this action.
    case close(ConnectionID)
}

/// A receiver of the engine's semantic events (the trace, exercise checkers). The engine builds
/// events only when an observer is attached, so the untraced path allocates none.
public protocol BrokerObserver: AnyObject {
    func broker(_ event: BrokerEvent)
}
