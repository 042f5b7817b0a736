/// CONNACK: the broker's answer to CONNECT.
public struct ConnAck: Sendable, Equatable {
    public var sessionPresent: Bool
    /// 3.1.1: the return code 0–5. 5.0: the reason code.
    public var reasonCode: ReasonCode
    public var properties: Properties

    public init(sessionPresent: Bool = false, reasonCode: ReasonCode = .success, properties: Properties = []) {
        self.sessionPresent = sessionPresent
        self.reasonCode = reasonCode
        self.properties = properties
    }
}
