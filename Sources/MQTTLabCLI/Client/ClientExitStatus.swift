import MQTTClient
import MQTTCodec

/// The exit statuses of `mqttlab pub|sub|rr`: Mosquitto's clients' (libmosquitto's error numbers, or the
/// CONNACK code when the broker refuses).
enum ClientExitStatus {
    static let success: Int32 = 0
    /// Usage errors, and failures to open the connection (refused, unknown host).
    static let failure: Int32 = 1
    /// MOSQ_ERR_PROTOCOL: what mosquitto_pub gives when a TLS port answers its plain CONNECT.
    static let protocolError: Int32 = 2
    /// MOSQ_ERR_CONN_LOST.
    static let connectionLost: Int32 = 7
    /// MOSQ_ERR_KEEPALIVE: the broker stopped answering PINGREQ.
    static let keepAlive: Int32 = 19
    /// MOSQ_ERR_TIMEOUT: `-W` ran out.
    static let timeout: Int32 = 27

    /// The status and the message Mosquitto's clients print for a failed connection or a lost one.
    static func describe(_ error: MQTTClientError) -> (status: Int32, message: String) {
        switch error {
        case .connectFailed(let why): return (failure, "Error: \(why)")
        // A handshake that fails (unknown CA, host name mismatch, certificate required) is a failure to
        // connect for Mosquitto's clients: status 1, not MOSQ_ERR_TLS.
        case .tls: return (failure, "Unable to connect (A TLS error occurred.).")
        // Plain MQTT to a TLS port: mosquitto_pub 2.0.11's status and words (measured); `report` adds why.
        case .tlsExpected: return (protocolError, "Error: A network protocol error occurred when communicating with the broker.")
        case .connectionRefused(let code, let version):
            return (Int32(code.rawValue), "Connection error: " + refusalText(code, version: version))
        case .connectTimeout: return (connectionLost, "Error: The connection was lost.")
        case .keepAliveTimeout: return (keepAlive, "Error: The broker did not answer PINGREQ within the keep alive.")
        case .disconnectedByBroker(let code):
            let reason = code.map { $0.name(in: .disconnect, version: .v5_0).en } ?? "connection closed"
            return (connectionLost, "Error: The broker disconnected: \(reason).")
        case .connectionLost, .closed, .queueFull, .cancelled: return (connectionLost, "Error: The connection was lost.")
        case .qosNotSupported: return (success, "Error: Message QoS not supported on broker, try a lower QoS.")
        case .protocolViolation(let why): return (connectionLost, "Error: Protocol error: \(why)")
        case .invalidPacket(let why): return (failure, "Error: \(why)")
        }
    }

    /// libmosquitto's `mosquitto_connack_string` (3.1.1) and reason strings (5.0).
    static func refusalText(_ code: ReasonCode, version: ProtocolVersion) -> String {
        guard !version.isV5 else { return code.name(in: .connack, version: version).en }
        switch code.rawValue {
        case 1: return "Connection Refused: unacceptable protocol version."
        case 2: return "Connection Refused: identifier rejected."
        case 3: return "Connection Refused: broker unavailable."
        case 4: return "Connection Refused: bad user name or password."
        case 5: return "Connection Refused: not authorised."
        default: return "Connection Refused: unknown reason."
        }
    }
}
