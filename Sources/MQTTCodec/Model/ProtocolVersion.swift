/// The protocol level byte of CONNECT. MQTT 3.1 (level 3, protocol name `MQIsdp`) predates the
/// OASIS standards; it decodes with the 3.1.1 rules, which it shares on the wire.
public enum ProtocolVersion: UInt8, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case v3_1 = 3
    case v3_1_1 = 4
    case v5_0 = 5

    /// True for 5.0: properties, reason codes and AUTH exist only there.
    public var isV5: Bool { self == .v5_0 }

    /// The protocol name a CONNECT of this level must carry [MQTT-3.1.2-1].
    public var protocolName: String { self == .v3_1 ? "MQIsdp" : "MQTT" }

    public var description: String {
        switch self {
        case .v3_1: "3.1"
        case .v3_1_1: "3.1.1"
        case .v5_0: "5.0"
        }
    }

    /// Parses what a user types: "3.1", "3.1.1", "311", "mqttv311", "5", "5.0", "mqttv5".
    public init?(userText: String) {
        var text = userText.lowercased()
        if text.hasPrefix("mqttv") { text.removeFirst(5) }
        switch text {
        case "3.1", "31", "3": self = .v3_1
        case "3.1.1", "311", "4": self = .v3_1_1
        case "5", "5.0", "50": self = .v5_0
        default: return nil
        }
    }
}
