import Foundation
import GRDB
import MQTTBrokerCore

extension BrokerStore {
    /// Everything in the store, for restoring the engine at startup. Synchronous: call it once, before the
    /// server accepts connections. Rows come in byte order of their keys.
    ///
    /// - Throws: `BrokerStoreError.corruptRecord` when a row does not decode (the broker should not start
    ///   with part of its state silently dropped).
    public func load() throws -> (sessions: [SessionSnapshot], retained: [RetainedSnapshot]) {
        let path = self.path
        do {
            return try pool.read { db in
                var sessions = try Self.decodeRows(
                    db, table: "session", key: "clientID", as: SessionSnapshot.self, path: path, keyOf: \.clientID
                )
                try Self.addPendingRows(db, to: &sessions, path: path)
                let retained = try Self.decodeRows(
                    db, table: "retained", key: "topic", as: RetainedSnapshot.self, path: path, keyOf: \.topic
                )
                return (sessions, retained)
            }
        } catch let error as DatabaseError {
            throw StoreLocation.explain(error, path: path)
        }
    }

    private static func decodeRows<Snapshot: Decodable>(
        _ db: Database, table: String, key: String, as type: Snapshot.Type, path: String, keyOf: (Snapshot) -> String
    ) throws -> [Snapshot] {
        var snapshots: [Snapshot] = []
        // The key is read as a BLOB so that its exact bytes are compared with the snapshot's own key.
        let rows = try Row.fetchCursor(db, sql: "SELECT CAST(\(key) AS BLOB), snapshot FROM \(table) ORDER BY \(key)")
        while let row = try rows.next() {
            let keyBytes: Data = row[0] ?? Data()
            let keyText = String(decoding: keyBytes, as: UTF8.self)
            guard let data: Data = row[1] else {
                throw BrokerStoreError.corruptRecord(path: path, table: table, key: keyText, detail: "the snapshot is not a BLOB")
            }
            let snapshot: Snapshot
            do {
                snapshot = try SnapshotCoding.decode(type, from: data)
            } catch {
                throw BrokerStoreError.corruptRecord(path: path, table: table, key: keyText, detail: "\(error)")
            }
            guard Data(keyOf(snapshot).utf8) == keyBytes else {
                throw BrokerStoreError.corruptRecord(
                    path: path, table: table, key: keyText, detail: "the snapshot is for \(keyOf(snapshot).debugDescription)"
                )
            }
            snapshots.append(snapshot)
        }
        return snapshots
    }

    /// Appends each session's pending rows, in sequence order, to its in-flight list or queue by their
    /// stage, after what its snapshot itself holds (a v1 store kept them inside the snapshot). A message's
    /// Message Expiry counts down from when its row was written to the session's last write — the last
    /// moment the broker is known to have run — as it did when every write rewrote whole sessions. Rows
    /// of a session that is not there are ignored: the session row is the authority.
    private static func addPendingRows(_ db: Database, to sessions: inout [SessionSnapshot], path: String) throws {
        var indexByKey: [Data: Int] = [:]
        for (index, session) in sessions.enumerated() { indexByKey[Data(session.clientID.utf8)] = index }
        let sessionWritten = try Dictionary(
            Row.fetchAll(db, sql: "SELECT CAST(clientID AS BLOB), updatedAt FROM session").map { row -> (Data, Date?) in
                (row[0] ?? Data(), row[1])
            },
            uniquingKeysWith: { first, _ in first })
        let rows = try Row.fetchCursor(db, sql: PendingEntryCoding.selectSQL)
        while let row = try rows.next() {
            let keyBytes: Data = row[0] ?? Data()
            guard let index = indexByKey[keyBytes] else { continue }
            let sequence: Int64 = row[1] ?? 0
            var entry: SessionSnapshot.MessageEntry
            do {
                entry = try PendingEntryCoding.entry(from: row)
            } catch {
                let described = "\(String(decoding: keyBytes, as: UTF8.self)) #\(sequence)"
                throw BrokerStoreError.corruptRecord(path: path, table: "pending", key: described, detail: "\(error)")
            }
            if let seconds = entry.expiresInSeconds, let writtenAt: Date = row[11], let lastWrite = sessionWritten[keyBytes] ?? nil {
                let waited = max(0, lastWrite.timeIntervalSince(writtenAt))
                entry.expiresInSeconds = UInt32(max(0, Double(seconds) - waited.rounded(.down)))
            }
            sessions[index].addPending(entry)
        }
    }
}
