import Foundation
import GRDB
import MQTTBrokerCore

/// One transaction's worth of upserts and deletes, as lists (so two byte-different keys never collapse
/// into one here, whatever the caller's container did).
struct StoreBatch: Sendable {
    var sessionUpserts: [SessionSnapshot] = []
    var sessionDeletes: [String] = []
    var retainedUpserts: [RetainedSnapshot] = []
    var retainedDeletes: [String] = []
    var pendingChanges: [(clientID: String, change: PendingMessagesChange)] = []

    /// An upsert is keyed by the snapshot's own `clientID` / `topic` (what `load()` will check the row
    /// against); a delete by the dictionary key.
    init(_ changes: DurableChanges) {
        for (clientID, snapshot) in changes.sessions {
            if let snapshot { sessionUpserts.append(snapshot) } else { sessionDeletes.append(clientID.text) }
        }
        for (topic, snapshot) in changes.retained {
            if let snapshot { retainedUpserts.append(snapshot) } else { retainedDeletes.append(topic.text) }
        }
        for (clientID, change) in changes.pending { pendingChanges.append((clientID.text, change)) }
    }

    /// Runs inside the caller's transaction. Deletes first, so a batch can never delete what it upserts;
    /// a deleted session's pending rows go with it (after the pending changes, so none is left behind).
    func apply(to db: Database) throws {
        let now = Date()
        try applyPendingChanges(db, now: now)
        // Keys are bound as BLOBs of their UTF-8 bytes and cast to TEXT: byte-exact, NUL-safe.
        let deleteSession = try db.cachedStatement(sql: "DELETE FROM session WHERE clientID = CAST(? AS TEXT)")
        let deleteQueue = try db.cachedStatement(sql: "DELETE FROM pending WHERE clientID = CAST(? AS TEXT)")
        for clientID in sessionDeletes {
            try deleteSession.execute(arguments: [Data(clientID.utf8)])
            try deleteQueue.execute(arguments: [Data(clientID.utf8)])
        }
        let deleteRetained = try db.cachedStatement(sql: "DELETE FROM retained WHERE topic = CAST(? AS TEXT)")
        for topic in retainedDeletes { try deleteRetained.execute(arguments: [Data(topic.utf8)]) }

        let upsertSession = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO session(clientID, snapshot, updatedAt) VALUES (CAST(? AS TEXT), ?, ?)"
        )
        for snapshot in sessionUpserts {
            try upsertSession.execute(arguments: [Data(snapshot.clientID.utf8), try SnapshotCoding.encode(snapshot), now])
        }
        let upsertRetained = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO retained(topic, snapshot, updatedAt) VALUES (CAST(? AS TEXT), ?, ?)"
        )
        for snapshot in retainedUpserts {
            try upsertRetained.execute(arguments: [Data(snapshot.topic.utf8), try SnapshotCoding.encode(snapshot), now])
        }
    }

    /// Each session's pending messages: delete what is gone (or everything), then write what is new.
    private func applyPendingChanges(_ db: Database, now: Date) throws {
        guard !pendingChanges.isEmpty else { return }
        let statements = try PendingRowStatements(db)
        let encoder = SnapshotCoding.makeEncoder()
        // Formatted once per batch, in GRDB's text format for dates (what `load()` reads back).
        let stamp = StoreTimestamp.text(for: now)
        for (clientID, change) in pendingChanges {
            let key = Array(clientID.utf8)
            if change.replacesAll {
                try statements.deleteAll(clientID: key)
            } else {
                for sequence in change.removed { try statements.delete(clientID: key, sequence: sequence) }
            }
            for entry in change.upserted {
                try statements.upsert(clientID: key, sequence: entry.sequence, entry: entry.message, stamp: stamp, encoder: encoder)
            }
        }
    }
}
