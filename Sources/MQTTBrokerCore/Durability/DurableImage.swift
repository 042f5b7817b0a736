/// What a store holds after a series of `DurableChanges`, kept in memory: the meaning of a batch stated
/// once, in code. The SQLite store must load what this image restores (its tests compare the two), and
/// engine tests use it to restart an engine without a database.
public struct DurableImage: Sendable, Equatable {
    public private(set) var sessions: [DurableKey: SessionSnapshot] = [:]
    public private(set) var retained: [DurableKey: RetainedSnapshot] = [:]
    /// Each session's pending entries by sequence number.
    public private(set) var pending: [DurableKey: [UInt64: SessionSnapshot.MessageEntry]] = [:]

    public init() {}

    /// Applies one batch: pending message changes, then deletions (a deleted session's messages go with
    /// it), then upserts — the order `StoreBatch` uses.
    public mutating func apply(_ changes: DurableChanges) {
        for (key, change) in changes.pending {
            var entries = change.replacesAll ? [:] : pending[key] ?? [:]
            for sequence in change.removed { entries[sequence] = nil }
            for entry in change.upserted { entries[entry.sequence] = entry.message }
            pending[key] = entries
        }
        for (key, snapshot) in changes.sessions {
            if let snapshot {
                sessions[key] = snapshot
            } else {
                sessions[key] = nil
                pending[key] = nil
            }
        }
        for (key, snapshot) in changes.retained { retained[key] = snapshot }
    }

    /// The sessions as a restart gets them: each snapshot's own lists, then its stored entries in order,
    /// in flight or queued by their stage.
    public var restoredSessions: [SessionSnapshot] {
        sessions.sorted { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }.map { key, snapshot in
            var session = snapshot
            for (_, entry) in (pending[key] ?? [:]).sorted(by: { $0.key < $1.key }) { session.addPending(entry) }
            return session
        }
    }

    public var restoredRetained: [RetainedSnapshot] {
        retained.sorted { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }.map(\.value)
    }
}
