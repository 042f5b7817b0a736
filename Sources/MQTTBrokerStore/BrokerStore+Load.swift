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
                let sessions = try Self.decodeRows(
                    db, table: "session", key: "clientID", as: SessionSnapshot.self, path: path, keyOf: \.clientID
                )
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
}
