import MQTTBrokerCore

/// The open connections by id, and the ids themselves. Lives on the broker's event loop, inside
/// `BrokerCore`; ids are never reused in a process, so a late action for a closed connection finds
/// nothing instead of a newcomer.
struct ConnectionRegistry {
    private var handlers: [ConnectionID: ConnectionHandler] = [:]
    private var lastID: UInt64 = 0

    mutating func makeID() -> ConnectionID {
        lastID += 1
        return ConnectionID(lastID)
    }

    subscript(id: ConnectionID) -> ConnectionHandler? { handlers[id] }

    var count: Int { handlers.count }

    /// Every open connection, in id order (so shutdown closes them deterministically).
    var all: [ConnectionHandler] { handlers.keys.sorted().compactMap { handlers[$0] } }

    mutating func add(_ handler: ConnectionHandler) {
        handlers[handler.id] = handler
    }

    @discardableResult
    mutating func remove(_ id: ConnectionID) -> ConnectionHandler? {
        handlers.removeValue(forKey: id)
    }
}
