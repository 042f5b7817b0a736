import Foundation
import MQTTBrokerCore

/// How a snapshot becomes the bytes of a `snapshot` BLOB, and back.
///
/// JSON (UTF-8), keys sorted, slashes unescaped: a student can read a session with
/// `sqlite3 broker.db "SELECT CAST(snapshot AS TEXT) FROM session"`, and the format does not depend on a
/// platform's property-list implementation. The cost is size: a payload (`[UInt8]`) is an array of numbers,
/// about 3–4 characters a byte; acceptable for a teaching broker's queues. Strings keep their exact Unicode
/// scalars, so "é" and "e" + U+0301 come back byte for byte.
enum SnapshotCoding {
    static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        try makeEncoder().encode(value)
    }

    /// One encoder for many values (a batch): making one per value showed in the profile.
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        try JSONDecoder().decode(type, from: data)
    }
}
