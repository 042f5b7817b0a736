import MQTTCodec

/// Why a connection or an operation failed.
public enum MQTTClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The TCP (or TLS) connection could not be opened.
    case connectFailed(String)
    /// The TLS handshake or configuration failed.
    case tls(String)
    /// The broker answered the plain CONNECT with a TLS record: the port expects TLS (a CA file was not
    /// given, or this is the broker's TLS port by mistake).
    case tlsExpected
    /// CONNACK refused the connection with this code (3.1.1 return code or 5.0 reason code).
    case connectionRefused(ReasonCode, ProtocolVersion)
    /// No CONNACK within the configured time.
    case connectTimeout
    /// The broker did not answer a PINGREQ within the keep alive: it is considered dead.
    case keepAliveTimeout
    /// The broker closed the connection (5.0: with a DISCONNECT and this reason code).
    case disconnectedByBroker(ReasonCode?)
    /// The connection ended unexpectedly.
    case connectionLost
    /// The broker sent bytes that break the protocol.
    case protocolViolation(String)
    /// The operation cannot be encoded (a topic or property too long).
    case invalidPacket(String)
    /// Too many publishes wait for an in-flight slot.
    case queueFull
    /// The broker's CONNACK allows this QoS at most (5.0 Maximum QoS): the PUBLISH was not sent
    /// [MQTT-3.2.2-11].
    case qosNotSupported(maximum: QoS)
    /// The client was closed by the application.
    case closed
    /// The task waiting (for a message) was cancelled; the connection itself is unaffected.
    case cancelled

    public var description: String {
        switch self {
        case .connectFailed(let why): "cannot connect: \(why)"
        case .tls(let why): "TLS error: \(why)"
        case .tlsExpected: "the broker answered in TLS: this port expects TLS"
        case .connectionRefused(let code, let version):
            "connection refused: \(code.name(in: .connack, version: version).en) (\(code.rawValue))"
        case .connectTimeout: "no CONNACK in time"
        case .keepAliveTimeout: "the broker did not answer PINGREQ in time (keep alive)"
        case .disconnectedByBroker(let code):
            code.map { "the broker disconnected: \($0.name(in: .disconnect, version: .v5_0).en) (\($0.rawValue))" }
                ?? "the broker closed the connection"
        case .connectionLost: "the connection was lost"
        case .protocolViolation(let why): "protocol error: \(why)"
        case .invalidPacket(let why): "invalid packet: \(why)"
        case .queueFull: "too many publishes waiting"
        case .qosNotSupported(let maximum): "the broker accepts QoS \(maximum.rawValue) at most"
        case .closed: "the client is closed"
        case .cancelled: "the wait was cancelled"
        }
    }
}
