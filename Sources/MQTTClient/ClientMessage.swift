import MQTTCodec

/// A message the broker delivered to this client.
public struct MQTTMessage: Sendable, Equatable {
    /// The topic, resolved from a topic alias when the broker used one.
    public var topic: String
    public var payload: [UInt8]
    public var qos: QoS
    public var retain: Bool
    public var dup: Bool
    /// The packet id it arrived with (0 for QoS 0).
    public var packetID: UInt16
    /// 5.0 properties as received (a Topic Alias among them when one was used).
    public var properties: Properties

    public init(topic: String, payload: [UInt8], qos: QoS, retain: Bool, dup: Bool = false, packetID: UInt16 = 0, properties: Properties = []) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.dup = dup
        self.packetID = packetID
        self.properties = properties
    }
}

/// What the broker answered to CONNECT.
public struct MQTTConnectResult: Sendable, Equatable {
    public var sessionPresent: Bool
    public var reasonCode: ReasonCode
    public var properties: Properties
    /// The client id in use: the configured one, or the one the broker assigned (5.0).
    public var clientID: String
}

/// How a QoS 1/2 PUBLISH ended: the reason code of its PUBACK or PUBREC (5.0; 0 in 3.1.1).
public struct MQTTPublishResult: Sendable, Equatable {
    public var packetID: UInt16
    public var reasonCode: ReasonCode
    public var properties: Properties
}
