/// UNSUBACK: in 5.0 one reason code per filter; in 3.1.1 just the packet id.
public struct UnsubAck: Sendable, Equatable {
    public var packetID: UInt16
    public var reasonCodes: [ReasonCode]
    public var properties: Properties

    public init(packetID: UInt16, reasonCodes: [ReasonCode] = [], properties: Properties = []) {
        self.packetID = packetID
        self.reasonCodes = reasonCodes
        self.properties = properties
    }
}
