/// What a store holds after a series of `DurableChanges`, kept in memory: the meaning of a batch stated
/// once, in code. The SQLite store must load what this image restores (its tests compare the two), and
/// engine tests use it to restart an engine without a database.
public struct DurableImage: Sendable, Equatable {
    public private(set) var sessions: [DurableKey: SessionSnapshot] = [:]
    public private(set) var retained: [DurableKey: RetainedSnapshot] = [:]
    /// Each session's queued entries by sequence number.
    public private(set) var queues: [DurableKey: [UInt64: SessionSnapshot.MessageEntry]] = [:]

    public init() {}

    /// Applies one batch: queue changes, then deletions (a deleted session's queue goes with it), then
    /// upserts — the order `StoreBatch` uses.
    public mutating func apply(_ changes: DurableChanges) {
        for (key, change) in changes.queues {
            var entries = change.replacesAll ? [:] : queues[key] ?? [:]
            entries = entries.filter { $0.key >= change.removeBelow }
            for entry in change.added { entries[entry.sequence] = entry.message }
            queues[key] = entries
        }
        for (key, snapshot) in changes.sessions {
            if let snapshot {
                sessions[key] = snapshot
            } else {
                sessions[key] = nil
                queues[key] = nil
            }
        }
        for (key, snapshot) in changes.retained { retained[key] = snapshot }
    }

    /// The sessions as a restart gets them: each snapshot's own queue, then its stored entries in order.
    public var restoredSessions: [SessionSnapshot] {
        sessions.sorted { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }.map { key, snapshot in
            var session = snapshot
            session.queue += (queues[key] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
            return session
        }
    }

    public var restoredRetained: [RetainedSnapshot] {
        retained.sorted { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }.map(\.value)
    }
}
