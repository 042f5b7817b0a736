/// PUBACK, PUBREC, PUBREL and PUBCOMP share one layout: packet id, then (5.0) an optional reason code
/// and optional properties.
public struct PublishAck: Sendable, Equatable {
    public var packetID: UInt16
    public var reasonCode: ReasonCode
    public var properties: Properties

    public init(packetID: UInt16, reasonCode: ReasonCode = .success, properties: Properties = []) {
        self.packetID = packetID
        self.reasonCode = reasonCode
        self.properties = properties
    }
}
