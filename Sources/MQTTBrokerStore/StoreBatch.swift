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
    var queueChanges: [(clientID: String, change: QueueChange)] = []

    /// An upsert is keyed by the snapshot's own `clientID` / `topic` (what `load()` will check the row
    /// against); a delete by the dictionary key.
    init(_ changes: DurableChanges) {
        for (clientID, snapshot) in changes.sessions {
            if let snapshot { sessionUpserts.append(snapshot) } else { sessionDeletes.append(clientID.text) }
        }
        for (topic, snapshot) in changes.retained {
            if let snapshot { retainedUpserts.append(snapshot) } else { retainedDeletes.append(topic.text) }
        }
        for (clientID, change) in changes.queues { queueChanges.append((clientID.text, change)) }
    }

    /// Runs inside the caller's transaction. Deletes first, so a batch can never delete what it upserts;
    /// a deleted session's queued rows go with it (after the queue changes, so none is left behind).
    func apply(to db: Database) throws {
        let now = Date()
        try applyQueueChanges(db, now: now)
        // Keys are bound as BLOBs of their UTF-8 bytes and cast to TEXT: byte-exact, NUL-safe.
        let deleteSession = try db.cachedStatement(sql: "DELETE FROM session WHERE clientID = CAST(? AS TEXT)")
        let deleteQueue = try db.cachedStatement(sql: "DELETE FROM queued WHERE clientID = CAST(? AS TEXT)")
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

    /// Each session's queue: delete what was sent (or everything), then add the new tail.
    private func applyQueueChanges(_ db: Database, now: Date) throws {
        guard !queueChanges.isEmpty else { return }
        let deleteAll = try db.cachedStatement(sql: "DELETE FROM queued WHERE clientID = CAST(? AS TEXT)")
        let deleteBelow = try db.cachedStatement(sql: "DELETE FROM queued WHERE clientID = CAST(? AS TEXT) AND sequence < ?")
        let insert = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO queued(clientID, sequence, entry, updatedAt) VALUES (CAST(? AS TEXT), ?, ?, ?)"
        )
        for (clientID, change) in queueChanges {
            let key = Data(clientID.utf8)
            if change.replacesAll {
                try deleteAll.execute(arguments: [key])
            } else if change.removeBelow > 0 {
                try deleteBelow.execute(arguments: [key, Int64(clamping: change.removeBelow)])
            }
            for entry in change.added {
                try insert.execute(arguments: [key, Int64(clamping: entry.sequence), try SnapshotCoding.encode(entry.message), now])
            }
        }
    }
}
