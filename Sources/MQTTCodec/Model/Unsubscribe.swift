/// UNSUBSCRIBE: filters to remove, compared character for character with the subscribed ones.
public struct Unsubscribe: Sendable, Equatable {
    public var packetID: UInt16
    public var filters: [String]
    public var properties: Properties

    public init(packetID: UInt16, filters: [String], properties: Properties = []) {
        self.packetID = packetID
        self.filters = filters
        self.properties = properties
    }
}
