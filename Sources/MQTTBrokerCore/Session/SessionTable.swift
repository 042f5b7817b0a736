import MQTTCodec

/// Where a session sits in the `SessionTable`: stable for as long as the session exists. The
/// subscription index keeps it next to each subscriber, so routing a message reaches the subscriber's
/// session by an array index instead of hashing its client id three or four times per delivery (the
/// profile of the routing path: hashing and the session copies that dictionary reads make were a
/// quarter of the broker's time).
struct SessionHandle: Hashable, Sendable {
    let index: Int
}

/// The sessions by client id, remembering which ones changed since the durable store last asked, so
/// only those are written (`--store`). Reads and writes by client id look like a dictionary's; the hot
/// path reads and changes sessions in place through their `SessionHandle`.
///
/// Sessions live in an array of slots, and a dictionary maps client ids to slots. An array's element
/// is read where it is stored: a dictionary's subscript hands out a copy of the whole session, retaining
/// and releasing each of its collections on every read.
struct SessionTable: Sequence {
    private var slots: [Session?] = []
    private var handles: [ClientIdentifier: Int] = [:]
    /// Slots emptied by removed sessions, reused before the array grows.
    private var freeSlots: [Int] = []
    /// Off unless a store is attached: the untraced, undurable path pays nothing.
    var tracksChanges = false
    private(set) var changed: Set<ClientIdentifier> = []

    subscript(key: ClientIdentifier) -> Session? {
        _read {
            if let index = handles[key] { yield slots[index] } else { yield nil }
        }
        set {
            if tracksChanges { changed.insert(key) }
            if let newValue { insert(newValue, for: key) } else { remove(key) }
        }
        // Mutations like `sessions[id]?.queue.append(m)` happen in place. With only get/set they would copy
        // the session out and back, and the queue's storage with it: every delivery would copy the whole
        // queue (measured: QoS 1 cost grew linearly with the subscriber's queue length).
        _modify {
            if tracksChanges { changed.insert(key) }
            if let index = handles[key] {
                yield &slots[index]
                if slots[index] == nil { remove(key) }
            } else {
                var added: Session?
                yield &added
                if let added { insert(added, for: key) }
            }
        }
    }

    private mutating func insert(_ session: Session, for key: ClientIdentifier) {
        if let index = handles[key] {
            slots[index] = session
        } else if let index = freeSlots.popLast() {
            slots[index] = session
            handles[key] = index
        } else {
            handles[key] = slots.count
            slots.append(session)
        }
    }

    @discardableResult
    private mutating func remove(_ key: ClientIdentifier) -> Session? {
        guard let index = handles.removeValue(forKey: key) else { return nil }
        let session = slots[index]
        slots[index] = nil
        freeSlots.append(index)
        return session
    }

    // MARK: By handle (the routing path)

    func handle(of key: ClientIdentifier) -> SessionHandle? { handles[key].map(SessionHandle.init) }

    /// The session at `handle`, if it is still the one of `client` (a handle outlives nothing: its slot is
    /// reused once the session is removed, so callers that kept one across inputs say whose it was).
    func handle(_ handle: SessionHandle, isStillOf client: ClientIdentifier) -> Bool {
        handle.index < slots.count && slots[handle.index]?.clientID == client
    }

    func version(at handle: SessionHandle) -> ProtocolVersion? { slots[handle.index]?.version }

    func connectionID(at handle: SessionHandle) -> ConnectionID? { slots[handle.index]?.connection }

    func username(at handle: SessionHandle) -> String? { slots[handle.index]?.username }

    /// Runs `body` on the session in place (no copy of its queues); nil when the slot is empty.
    @discardableResult
    mutating func mutate<Result>(at handle: SessionHandle, _ body: (inout Session) -> Result) -> Result? {
        guard slots[handle.index] != nil else { return nil }
        if tracksChanges, let key = slots[handle.index]?.clientID { changed.insert(key) }
        return body(&slots[handle.index]!)
    }

    // MARK: By client id

    // Reads of one field: through `handles` and the slot, never a copy of the session.

    func version(of key: ClientIdentifier) -> ProtocolVersion? { handles[key].flatMap { slots[$0]?.version } }

    func connectionID(of key: ClientIdentifier) -> ConnectionID? { handles[key].flatMap { slots[$0]?.connection } }

    func username(of key: ClientIdentifier) -> String? { handles[key].flatMap { slots[$0]?.username } }

    func options(of key: ClientIdentifier, for filter: FilterKey) -> SubscriptionOptions? {
        handles[key].flatMap { slots[$0]?.subscriptions[filter] }
    }

    /// Runs `body` on the session in place (no copy of its queues); nil when there is none.
    @discardableResult
    mutating func mutate<Result>(_ key: ClientIdentifier, _ body: (inout Session) -> Result) -> Result? {
        guard let index = handles[key] else { return nil }
        return mutate(at: SessionHandle(index: index), body)
    }

    /// The session is written (or deleted, when there is none) at the next batch.
    mutating func markChanged(_ key: ClientIdentifier) {
        if tracksChanges { changed.insert(key) }
    }

    /// Changes bookkeeping that is not session state (what the store was last given): not a change to write.
    mutating func mutateUntracked<Result>(_ key: ClientIdentifier, _ body: (inout Session) -> Result) -> Result? {
        guard let index = handles[key] else { return nil }
        return body(&slots[index]!)
    }

    @discardableResult
    mutating func removeValue(forKey key: ClientIdentifier) -> Session? {
        if tracksChanges { changed.insert(key) }
        return remove(key)
    }

    var values: [Session] { slots.compactMap { $0 } }
    var keys: Dictionary<ClientIdentifier, Int>.Keys { handles.keys }
    var count: Int { handles.count }

    func makeIterator() -> AnyIterator<(key: ClientIdentifier, value: Session)> {
        var inner = handles.makeIterator()
        let slots = slots
        return AnyIterator {
            guard let (key, index) = inner.next(), let session = slots[index] else { return nil }
            return (key, session)
        }
    }

    mutating func takeChanged() -> Set<ClientIdentifier> {
        defer { changed.removeAll(keepingCapacity: true) }
        return changed
    }
}
