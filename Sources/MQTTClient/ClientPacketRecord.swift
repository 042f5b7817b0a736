import MQTTCodec

/// One packet the client sent or received, for the client-side trace: the same information the
/// broker's `BrokerPacketRecord` carries, so one renderer serves both sides.
public struct ClientPacketRecord: Sendable {
    public enum Direction: Sendable, Equatable {
        /// From this client to the broker.
        case sent
        /// From the broker to this client.
        case received
    }

    /// Wall-clock time in nanoseconds since 1970, for display only.
    public var nanosecondsSince1970: UInt64
    /// The client id in use (the assigned one once the CONNACK named it).
    public var clientID: String
    public var direction: Direction
    /// The whole packet, fixed header included.
    public var bytes: [UInt8]
    public var version: ProtocolVersion
    /// The decoded packet; nil when received bytes broke the protocol.
    public var packet: Packet?
    public var error: MalformedPacket?
}

/// Receives every packet the client sends and receives, on the connection's event loop, in order.
/// Implementations must not block (render, then hand the text to another thread).
public protocol ClientTraceSink: AnyObject, Sendable {
    func trace(_ record: ClientPacketRecord)
}
