import MQTTClient
import MQTTCodec

/// Which Mosquitto client a command mirrors: it decides the flags accepted, the defaults and the text
/// of errors ("Use 'mosquitto_sub --help'…" becomes "Use 'mqttlab sub --help'…").
enum ClientTool: String, Sendable {
    case pub, sub, rr

    var commandName: String { "mqttlab \(rawValue)" }
}

/// Where the message of `pub`/`rr` comes from (`-m`, `-f`, `-l`, `-n`, `-s`).
enum MessageSource: Equatable, Sendable {
    case text([UInt8])
    case file(String)
    case lines
    case empty
    case standardInput
}

/// The trace the client prints: Mosquitto's `-d` lines, or mqttlab's explained packets (`--trace`).
enum ClientTraceChoice: String, Sendable, CaseIterable {
    case summary, fields, hex
}

/// Every flag of `mqttlab pub|sub|rr`, as `mosquitto_pub|sub|rr` 2.0 name them.
struct ClientOptions: Sendable {
    var tool: ClientTool
    // Connection
    var host = "localhost"
    var port: Int?
    var version: ProtocolVersion = .v3_1_1
    var clientID: String?
    var clientIDPrefix: String?
    var keepAlive: UInt16 = 60
    var cleanSession = true
    var sessionExpiry: UInt32?
    var username: String?
    var password: String?
    var maxInflight = 20
    // TLS
    var caFile: String?
    var caPath: String?
    var certFile: String?
    var keyFile: String?
    var insecure = false
    // Will
    var willTopic: String?
    var willPayload: [UInt8]?
    var willQoS: QoS = .atMostOnce
    var willRetain = false
    // 5.0 properties given with -D, by packet
    var properties: [ClientPropertyArgument.Command: Properties] = [:]
    // Messages
    var topics: [String] = []
    var qos: QoS = .atMostOnce
    var retain = false
    var message: MessageSource?
    var repeatCount = 1
    var repeatDelay: Double = 0
    var responseTopic: String?
    // Subscriber output and exit
    var filterOut: [String] = []
    var unsubscribeTopics: [String] = []
    var verbose = false
    var count: Int?
    var timeout: Int?
    var exitAfterSubscribe = false
    var skipRetained = false
    var retainedOnly = false
    var removeRetained = false
    var noEOL = false
    var format: String?
    var pretty = false
    // Diagnostics
    var debug = false
    var quiet = false
    var trace: ClientTraceChoice?
    var lang: String?
    var color: String?
    var help = false

    init(tool: ClientTool) {
        self.tool = tool
        if tool == .rr { version = .v5_0 }
    }

    var usesTLS: Bool { caFile != nil || caPath != nil }

    /// The port: the one given, else 8883 with TLS and 1883 without, as Mosquitto's clients do.
    var effectivePort: Int { port ?? (usesTLS ? 8883 : 1883) }
}
