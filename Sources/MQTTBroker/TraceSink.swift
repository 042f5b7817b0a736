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
    /// The raw bytes of a connection as they cross the socket (before TLS decrypts them): the
    /// eavesdropper's view. Only called when `BrokerServerConfiguration.sniff` is on.
    func trace(wire record: BrokerWireRecord)
}

extension BrokerTraceSink {
    public func trace(transport: BrokerTransportEvent, at time: BrokerWallClock) {}
    public func trace(wire record: BrokerWireRecord) {}
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
    /// A client opened a TLS handshake on a TLS listener: what its ClientHello offers, in clear text.
    case tlsClientHello(ConnectionID, TLSClientHello)
    /// The TLS handshake finished: from here on the MQTT packets travel encrypted.
    case tlsHandshakeCompleted(ConnectionID, TLSHandshakeSummary)
    /// The TLS handshake failed: the connection is closed, the engine never saw it.
    case tlsHandshakeFailed(ConnectionID, TLSHandshakeFailure)
}

/// What a finished TLS handshake agreed on.
public struct TLSHandshakeSummary: Sendable, Equatable {
    /// Negotiated version (0x0304 = TLS 1.3) and cipher suite, read from the ServerHello.
    public var version: UInt16?
    public var cipherSuite: UInt16?
    /// The ALPN protocol agreed on, if any.
    public var applicationProtocol: String?
    /// Subject of the certificate the broker presented.
    public var serverSubject: String
    /// Subject of the certificate the client presented (nil: none).
    public var clientSubject: String?
    /// The user name taken from the client certificate (`use_identity_as_username`).
    public var identity: String?
}

/// Why a TLS handshake failed, as far as the bytes and the TLS stack tell.
public struct TLSHandshakeFailure: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// The client sent plain MQTT (a CONNECT, 0x10) to the TLS port.
        case plainMQTT
        /// The first byte is not a TLS handshake record (0x16): not a TLS client at all.
        case notTLS(firstByte: UInt8)
        /// The client offers only versions older than the listener's minimum.
        case versionTooOld(offered: [UInt16])
        /// `require_certificate true` and the client presented no certificate.
        case noClientCertificate
        /// The client's certificate was not signed by the listener's CA (or is expired, or unusable).
        case clientCertificateRejected
        /// The client refused the broker's certificate (its alert: unknown CA, bad or expired certificate,
        /// or a host name mismatch, which OpenSSL clients report as an internal error). `alert` is nil when
        /// the client broke the handshake off after the broker's certificate without a readable alert.
        case serverCertificateRejected(alert: String?)
        /// The connection ended during the handshake.
        case connectionClosed
        /// The handshake did not finish within `TLSHandshakeHandler.timeout` (a client that opened the TCP
        /// connection and said nothing, or too little).
        case timedOut
        case other
    }

    public var reason: Reason
    /// The TLS stack's own words, for those who want them.
    public var detail: String

    public init(reason: Reason, detail: String) {
        self.reason = reason
        self.detail = detail
    }
}

/// Raw bytes of one connection as they crossed the socket, for the eavesdropper's view (`--sniff`).
public struct BrokerWireRecord: Sendable {
    public enum Direction: Sendable, Equatable {
        case incoming
        case outgoing
    }

    public var time: BrokerWallClock
    public var connection: ConnectionID
    public var direction: Direction
    /// The bytes of one socket read or write (a read is at most 64 KB).
    public var bytes: [UInt8]
    /// True on a TLS listener: these bytes are TLS records.
    public var isTLS: Bool
    /// "127.0.0.1:51234" and the listener's port, for the first record of a connection.
    public var remote: String
    public var localPort: Int

    public init(time: BrokerWallClock, connection: ConnectionID, direction: Direction, bytes: [UInt8], isTLS: Bool, remote: String,
                localPort: Int) {
        self.time = time
        self.connection = connection
        self.direction = direction
        self.bytes = bytes
        self.isTLS = isTLS
        self.remote = remote
        self.localPort = localPort
    }
}
