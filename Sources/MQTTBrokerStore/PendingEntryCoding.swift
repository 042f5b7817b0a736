import Foundation
import GRDB
import MQTTBrokerCore
import MQTTCodec

/// How a pending message maps onto a `pending` row: one column per field, the payload as a BLOB of its
/// exact bytes, JSON only for what is usually absent (5.0 properties, subscription identifiers).
///
/// Columns rather than one JSON document: every pending message is written once or twice in its life
/// (queued, then in flight), and JSONEncoder cost about 10 µs per entry — more than the broker spends
/// on the message — while binding columns costs next to nothing (`PendingRowStatements` binds them).
/// They also read better with `sqlite3`.
enum PendingEntryCoding {
    static let upsertSQL = """
        INSERT OR REPLACE INTO pending(clientID, sequence, stage, packetID, topic, payload, qos, retain, expiresInSeconds,
                                       properties, subscriptionIdentifiers, updatedAt)
        VALUES (CAST(? AS TEXT), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static let selectSQL = """
        SELECT CAST(clientID AS BLOB), sequence, stage, packetID, topic, payload, qos, retain, expiresInSeconds,
               properties, subscriptionIdentifiers, updatedAt
        FROM pending ORDER BY clientID, sequence
        """

    /// The entry of a row read with `selectSQL` (columns 2 to 10).
    static func entry(from row: Row) throws -> SessionSnapshot.MessageEntry {
        let qosValue: Int64 = row[6] ?? -1
        guard let qos = QoS(rawValue: UInt8(clamping: qosValue)), (0...2).contains(qosValue) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "qos \(qosValue) is not 0, 1 or 2"))
        }
        let stage: String = row[2] ?? ""
        guard ["queued", "awaitingPuback", "awaitingPubrec", "awaitingPubcomp"].contains(stage) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown stage \(stage.debugDescription)"))
        }
        let payload: Data = row[5] ?? Data()
        var properties: Properties = []
        if let json: String = row[9] { properties = try JSONDecoder().decode(Properties.self, from: Data(json.utf8)) }
        var identifiers: [UInt32] = []
        if let json: String = row[10] { identifiers = try JSONDecoder().decode([UInt32].self, from: Data(json.utf8)) }
        let expires: Int64? = row[8]
        return SessionSnapshot.MessageEntry(
            topic: row[4] ?? "", payload: Array(payload), qos: qos, retain: row[7] ?? false, properties: properties,
            expiresInSeconds: expires.map { UInt32(clamping: $0) }, subscriptionIdentifiers: identifiers,
            packetID: UInt16(clamping: row[3] ?? Int64(0)), stage: stage)
    }
}
