/// SUBACK: one return/reason code per requested filter, in the same order [MQTT-3.9.3-1].
public struct SubAck: Sendable, Equatable {
    public var packetID: UInt16
    public var reasonCodes: [ReasonCode]
    public var properties: Properties

    public init(packetID: UInt16, reasonCodes: [ReasonCode], properties: Properties = []) {
        self.packetID = packetID
        self.reasonCodes = reasonCodes
        self.properties = properties
    }
}
