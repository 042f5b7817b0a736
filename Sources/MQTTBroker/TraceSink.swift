import MQTTBrokerCore
import MQTTCodec

/// Receives what the broker does, packet by packet, for a live trace (the `broker` command's output,
/// exercise checkers, tests).
///
/// Every method is called on the broker's event loop, in the order things happen: an incoming packet,
/// the engine's events about it, then the packets it caused. Implementations must not block: render,
/// then hand the text to another thread. With no sink attached the broker builds no record at all.
public protocol BrokerTraceSink: AnyObject {
    /// A packet received from or sent to a client, with its bytes.
    func trace(packet record: BrokerPacketRecord)
    /// Something the engine decided, in the words a learner needs.
    func trace(event: BrokerEvent, at time: BrokerWallClock)
    /// Something the network layer did on its own: accepted or refused a socket, dropped a message for a
    /// client that does not read.
    func trace(transport: BrokerTransportEvent, at time: BrokerWallClock)
}

extension BrokerTraceSink {
    public func trace(transport: BrokerTransportEvent, at time: BrokerWallClock) {}
}

/// One packet on the wire, as the trace shows it.
public struct BrokerPacketRecord: Sendable {
    public enum Direction: Sendable, Equatable {
        /// From the client to the broker (`→`).
        case incoming
        /// From the broker to the client (`←`).
        case outgoing
    }

    /// Wall-clock time, for display only.
    public var time: BrokerWallClock
    public var connection: ConnectionID
    /// The client id, once the CONNECT told it (nil before, or when the broker is to assign one).
    public var clientID: String?
    public var direction: Direction
    /// The packet's bytes, fixed header included. For a packet refused from its fixed header (too large,
    /// bad remaining length) only the bytes seen so far, at most a few.
    public var bytes: [UInt8]
    /// The rules the packet was read or written with.
    public var version: ProtocolVersion
    /// The decoded packet; nil when the bytes were refused.
    public var packet: Packet?
    /// Why the bytes were refused (incoming only).
    public var error: MalformedPacket?
    /// True when `bytes` is the whole packet; false when it was refused from its fixed header.
    public var isComplete: Bool

    public init(
        time: BrokerWallClock, connection: ConnectionID, clientID: String?, direction: Direction, bytes: [UInt8],
        version: ProtocolVersion, packet: Packet?, error: MalformedPacket? = nil, isComplete: Bool = true
    ) {
        self.time = time
        self.connection = connection
        self.clientID = clientID
        self.direction = direction
        self.bytes = bytes
        self.version = version
        self.packet = packet
        self.error = error
        self.isComplete = isComplete
    }
}

/// What the network layer does without the engine.
public enum BrokerTransportEvent: Sendable, Equatable {
    /// A TCP connection was accepted and handed to the engine.
    case accepted(ConnectionID, remote: String)
    /// A TCP connection was closed at once: `limit` connections are already open.
    case refusedOverLimit(remote: String, limit: Int)
    /// A QoS 0 PUBLISH for this client was dropped: its socket does not take more bytes (the client reads
    /// too slowly), and the broker does not queue QoS 0 without bound.
    case droppedForSlowConsumer(ConnectionID, clientID: String?, topic: String)
    /// The first byte of a connection is not a CONNECT's (0x1_): not an MQTT client (an HTTP request, a
    /// typo'd port); closed without an answer [MQTT-3.1.0-1].
    case notAConnect(ConnectionID, firstByte: UInt8)
    /// A connection the broker was closing did not take its last packets in time and was cut.
    case closeTimedOut(ConnectionID, clientID: String?)
    /// Writing to the durable store failed: the broker goes on in memory only.
    case storeFailed(String)
}
