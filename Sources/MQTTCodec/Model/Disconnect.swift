/// DISCONNECT: a deliberate end of the connection (5.0: from either side, with a reason).
public struct Disconnect: Sendable, Equatable {
    public var reasonCode: ReasonCode
    public var properties: Properties

    public init(reasonCode: ReasonCode = .success, properties: Properties = []) {
        self.reasonCode = reasonCode
        self.properties = properties
    }
}
