/// CONNECT: the first packet a client sends on a connection.
public struct Connect: Sendable, Equatable {
    /// The last will: published by the broker if the connection ends without a proper DISCONNECT.
    public struct Will: Sendable, Equatable {
        public var topic: String
        public var payload: [UInt8]
        public var qos: QoS
        public var retain: Bool
        /// 5.0 only: the will properties in CONNECT's payload.
        public var properties: Properties

        public init(topic: String, payload: [UInt8], qos: QoS = .atMostOnce, retain: Bool = false, properties: Properties = []) {
            self.topic = topic
            self.payload = payload
            self.qos = qos
            self.retain = retain
            self.properties = properties
        }
    }

    public var version: ProtocolVersion
    public var clientID: String
    /// Clean Session (3.1.1) or Clean Start (5.0).
    public var cleanStart: Bool
    public var keepAlive: UInt16
    public var will: Will?
    public var username: String?
    public var password: [UInt8]?
    public var properties: Properties

    public init(
        version: ProtocolVersion = .v3_1_1, clientID: String, cleanStart: Bool = true, keepAlive: UInt16 = 60,
        will: Will? = nil, username: String? = nil, password: [UInt8]? = nil, properties: Properties = []
    ) {
        self.version = version
        self.clientID = clientID
        self.cleanStart = cleanStart
        self.keepAlive = keepAlive
        self.will = will
        self.username = username
        self.password = password
        self.properties = properties
    }
}
