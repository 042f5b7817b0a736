/// AUTH (5.0 only): one step of an extended authentication exchange.
public struct Auth: Sendable, Equatable {
    public var reasonCode: ReasonCode
    public var properties: Properties

    public init(reasonCode: ReasonCode = .success, properties: Properties = []) {
        self.reasonCode = reasonCode
        self.properties = properties
    }
}
