/// The sessions by client id, remembering which ones changed since the durable store last asked, so
/// only those are written (`--store`). Reads and writes look like a dictionary's.
struct SessionTable: Sequence {
    private var storage: [ClientIdentifier: Session] = [:]
    /// Off unless a store is attached: the untraced, undurable path pays nothing.
    var tracksChanges = false
    private(set) var changed: Set<ClientIdentifier> = []

    subscript(key: ClientIdentifier) -> Session? {
        get { storage[key] }
        set {
            storage[key] = newValue
            if tracksChanges { changed.insert(key) }
        }
    }

    @discardableResult
    mutating func removeValue(forKey key: ClientIdentifier) -> Session? {
        if tracksChanges { changed.insert(key) }
        return storage.removeValue(forKey: key)
    }

    var values: Dictionary<ClientIdentifier, Session>.Values { storage.values }
    var keys: Dictionary<ClientIdentifier, Session>.Keys { storage.keys }
    var count: Int { storage.count }

    func makeIterator() -> Dictionary<ClientIdentifier, Session>.Iterator { storage.makeIterator() }

    mutating func takeChanged() -> Set<ClientIdentifier> {
        defer { changed.removeAll(keepingCapacity: true) }
        return changed
    }
}
