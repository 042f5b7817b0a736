import MQTTCodec
import NIOCore

/// Everything the client needs to open a session: where, which protocol, who, and how.
public struct MQTTClientConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var version: ProtocolVersion
    /// Empty: the broker assigns one (3.1.1 only allows it with a clean session).
    public var clientID: String
    /// Clean Session (3.1.1) / Clean Start (5.0).
    public var cleanStart: Bool
    /// Seconds; 0 turns keep alive off.
    public var keepAlive: UInt16
    /// 5.0: how long the broker keeps the session after the connection ends (nil: property not sent).
    public var sessionExpiry: UInt32?
    public var username: String?
    public var password: [UInt8]?
    public var will: Connect.Will?
    /// 5.0 CONNECT properties besides Session Expiry (user properties, Receive Maximum, Topic Alias
    /// Maximum, Maximum Packet Size, Request Response/Problem Information…).
    public var connectProperties: Properties
    /// How many QoS 1/2 PUBLISHes may await their acknowledgement at once; the broker's Receive
    /// Maximum (5.0) lowers it further.
    public var maximumInflight: Int
    /// Publishes waiting for a free in-flight slot beyond this are refused (`queueFull`).
    public var maximumQueuedPublishes: Int
    /// Received messages the application has not read yet; beyond it the client stops reading the
    /// socket (TCP then slows the broker down) instead of buffering without bound.
    public var inboxCapacity: Int
    public var connectTimeout: TimeAmount
    public var tls: MQTTClientTLS?

    public init(
        host: String = "localhost", port: Int = 1883, version: ProtocolVersion = .v3_1_1, clientID: String = "",
        cleanStart: Bool = true, keepAlive: UInt16 = 60, sessionExpiry: UInt32? = nil, username: String? = nil,
        password: [UInt8]? = nil, will: Connect.Will? = nil, connectProperties: Properties = [],
        maximumInflight: Int = 20, maximumQueuedPublishes: Int = 100_000, inboxCapacity: Int = 1_000,
        connectTimeout: TimeAmount = .seconds(10), tls: MQTTClientTLS? = nil
    ) {
        self.host = host
        self.port = port
        self.version = version
        self.clientID = clientID
        self.cleanStart = cleanStart
        self.keepAlive = keepAlive
        self.sessionExpiry = sessionExpiry
        self.username = username
        self.password = password
        self.will = will
        self.connectProperties = connectProperties
        self.maximumInflight = maximumInflight
        self.maximumQueuedPublishes = maximumQueuedPublishes
        self.inboxCapacity = inboxCapacity
        self.connectTimeout = connectTimeout
        self.tls = tls
    }

    /// The CONNECT packet this configuration sends.
    public var connectPacket: Connect {
        var properties: Properties = []
        if version.isV5 {
            if let sessionExpiry { properties.append(.sessionExpiryInterval(sessionExpiry)) }
            properties += connectProperties
        }
        var will = self.will
        if !version.isV5 { will?.properties = [] }
        return Connect(
            version: version, clientID: clientID, cleanStart: cleanStart, keepAlive: keepAlive, will: will,
            username: username, password: password, properties: properties
        )
    }

    /// The largest packet this client accepts: the 5.0 Maximum Packet Size it announced, else the
    /// protocol's limit. The framer refuses anything larger from its fixed header, before buffering it.
    var maximumIncomingPacketSize: Int {
        let announced = version.isV5
            ? connectProperties.firstValue { if case .maximumPacketSize(let value) = $0 { Int(value) } else { nil } }
            : nil
        return announced ?? 268_435_455 + 5
    }

    /// The Topic Alias Maximum this client announced: the broker may use aliases up to it.
    var topicAliasMaximum: UInt16 {
        connectProperties.firstValue { if case .topicAliasMaximum(let value) = $0 { value } else { nil } } ?? 0
    }

    /// How many QoS 2 messages the broker may leave unreleased (PUBREC sent, PUBREL not yet received): the
    /// 5.0 Receive Maximum this client announced (65,535 when absent [MQTT-3.1.2-22]); in 3.1.1 the
    /// packet-identifier space bounds it the same way.
    var receiveMaximum: Int {
        let announced = version.isV5
            ? connectProperties.firstValue { if case .receiveMaximum(let value) = $0 { Int(value) } else { nil } }
            : nil
        return announced ?? Int(UInt16.max)
    }
}
