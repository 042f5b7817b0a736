import Foundation
import MQTTBrokerCore
import MQTTCodec

/// How a pending message (`pending.entry`) becomes bytes, and back: JSON like the snapshots, but the
/// payload is written as `payloadText` when it is UTF-8 (what a student reads with `sqlite3`) and as
/// `payloadBase64` otherwise. The snapshots' encoding writes a payload as an array of numbers, one per
/// byte; at half a microsecond a byte that was most of `--store`'s cost once every pending message became
/// a row of its own.
enum PendingEntryCoding {
    private struct Row: Codable {
        var topic: String
        var payloadText: String?
        var payloadBase64: String?
        var qos: QoS
        var retain: Bool
        var properties: Properties
        var expiresInSeconds: UInt32?
        var subscriptionIdentifiers: [UInt32]
        var packetID: UInt16
        var stage: String
    }

    static func encode(_ entry: SessionSnapshot.MessageEntry, with encoder: JSONEncoder) throws -> Data {
        let text = String(validating: entry.payload, as: UTF8.self)
        return try encoder.encode(Row(
            topic: entry.topic, payloadText: text, payloadBase64: text == nil ? Data(entry.payload).base64EncodedString() : nil,
            qos: entry.qos, retain: entry.retain, properties: entry.properties, expiresInSeconds: entry.expiresInSeconds,
            subscriptionIdentifiers: entry.subscriptionIdentifiers, packetID: entry.packetID, stage: entry.stage))
    }

    static func decode(_ data: Data) throws -> SessionSnapshot.MessageEntry {
        let row = try JSONDecoder().decode(Row.self, from: data)
        let payload: [UInt8]
        if let text = row.payloadText {
            payload = Array(text.utf8)
        } else if let base64 = row.payloadBase64, let bytes = Data(base64Encoded: base64) {
            payload = Array(bytes)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "no payloadText or valid payloadBase64"))
        }
        return SessionSnapshot.MessageEntry(
            topic: row.topic, payload: payload, qos: row.qos, retain: row.retain, properties: row.properties,
            expiresInSeconds: row.expiresInSeconds, subscriptionIdentifiers: row.subscriptionIdentifiers,
            packetID: row.packetID, stage: row.stage)
    }
}
