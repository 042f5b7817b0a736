import MQTTCodec

/// The sessions by client id, remembering which ones changed since the durable store last asked, so
/// only those are written (`--store`). Reads and writes look like a dictionary's.
struct SessionTable: Sequence {
    private var storage: [ClientIdentifier: Session] = [:]
    /// Off unless a store is attached: the untraced, undurable path pays nothing.
    var tracksChanges = false
    private(set) var changed: Set<ClientIdentifier> = []

    subscript(key: ClientIdentifier) -> Session? {
        // Reads like `sessions[id]?.version` borrow the session where it is stored. A plain `get` would
        // return a copy of the whole session, retaining and releasing every one of its collections on
        // each read (the profile of the routing path: 20% of its time in retain/release).
        _read { yield storage[key] }
        set {
            storage[key] = newValue
            if tracksChanges { changed.insert(key) }
        }
        // Mutations like `sessions[id]?.queue.append(m)` happen in place. With only get/set they would copy
        // the session out and back, and the queue's storage with it: every delivery would copy the whole
        // queue (measured: QoS 1 cost grew linearly with the subscriber's queue length).
        _modify {
            if tracksChanges { changed.insert(key) }
            yield &storage[key]
        }
    }

    // Hot-path reads of one field. `sessions[id]?.version` goes through the subscript, which hands out
    // the whole session (retaining each of its collections); these read the field where it is stored.

    func version(of key: ClientIdentifier) -> ProtocolVersion? { storage[key]?.version }

    func connectionID(of key: ClientIdentifier) -> ConnectionID? { storage[key]?.connection }

    func username(of key: ClientIdentifier) -> String? { storage[key]?.username }

    func options(of key: ClientIdentifier, for filter: FilterKey) -> SubscriptionOptions? { storage[key]?.subscriptions[filter] }

    /// Runs `body` on the session in place (no copy of its queues); nil when there is none.
    @discardableResult
    mutating func mutate<Result>(_ key: ClientIdentifier, _ body: (inout Session) -> Result) -> Result? {
        guard storage[key] != nil else { return nil }
        if tracksChanges { changed.insert(key) }
        return body(&storage[key]!)
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
