/// PUBLISH: an application message for a topic, in either direction.
public struct Publish: Sendable, Equatable {
    public var topic: String
    public var payload: [UInt8]
    public var qos: QoS
    public var retain: Bool
    /// Set on a resend of a QoS 1/2 message the receiver may have seen already.
    public var dup: Bool
    /// Present exactly when QoS > 0.
    public var packetID: UInt16?
    public var properties: Properties

    public init(
        topic: String, payload: [UInt8], qos: QoS = .atMostOnce, retain: Bool = false, dup: Bool = false,
        packetID: UInt16? = nil, properties: Properties = []
    ) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.dup = dup
        self.packetID = packetID
        self.properties = properties
    }
}
