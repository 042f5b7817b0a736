import MQTTCodec
import XCTest

/// MQTT strings must be well-formed UTF-8 without U+0000 [MQTT-1.5.3-1], [MQTT-1.5.3-2] (3.1.1) /
/// [MQTT-1.5.4-1], [MQTT-1.5.4-2] (5.0). Checklist §12 lists the cases every validator must reject
/// (`C0 AF`, `ED A0 80`, `F4 90 80 80`, truncated `E2 82`, `00`) and keep (`EF BB BF`). Each is tried in
/// every kind of string field, and the error must point at the exact bad byte.
final class UTF8ValidationTests: XCTestCase {
    struct BadString {
        let name: String
        let bytes: [UInt8]
        let violation: Violation
        /// Index, within `bytes`, of the byte the error must point at.
        let index: Int
    }

    /// Each string starts with "a" so the bad byte is never the field's first byte.
    static let bad: [BadString] = [
        BadString(name: "overlong C0 AF ('/')", bytes: hex("61 C0 AF"), violation: .invalidUTF8, index: 1),
        BadString(name: "overlong C1 BF", bytes: hex("61 C1 BF"), violation: .invalidUTF8, index: 1),
        BadString(name: "overlong 3-byte E0 80 AF", bytes: hex("61 E0 80 AF"), violation: .invalidUTF8, index: 2),
        BadString(name: "overlong 4-byte F0 80 80 AF", bytes: hex("61 F0 80 80 AF"), violation: .invalidUTF8, index: 2),
        BadString(name: "surrogate ED A0 80 (U+D800)", bytes: hex("61 ED A0 80"), violation: .invalidUTF8, index: 2),
        BadString(name: "surrogate ED BF BF (U+DFFF)", bytes: hex("61 ED BF BF 62"), violation: .invalidUTF8, index: 2),
        BadString(name: "above U+10FFFF F4 90 80 80", bytes: hex("61 F4 90 80 80"), violation: .invalidUTF8, index: 2),
        BadString(name: "F5 never starts a character", bytes: hex("61 F5 80 80 80"), violation: .invalidUTF8, index: 1),
        BadString(name: "FF", bytes: hex("61 FF"), violation: .invalidUTF8, index: 1),
        BadString(name: "lone continuation byte 80", bytes: hex("61 80 62"), violation: .invalidUTF8, index: 1),
        BadString(name: "continuation replaced by ASCII E2 41", bytes: hex("61 E2 41 41"), violation: .invalidUTF8, index: 2),
        BadString(name: "third byte not a continuation E2 82 41", bytes: hex("61 E2 82 41"), violation: .invalidUTF8, index: 3),
        // Cut off by the end of the string: no byte inside the string is wrong by itself, so the error
        // points at the lead byte that promised more (never past the string, into the next field).
        BadString(name: "truncated E2 82 at the end", bytes: hex("61 E2 82"), violation: .invalidUTF8, index: 1),
        BadString(name: "truncated F0 9F 98 at the end", bytes: hex("61 F0 9F 98"), violation: .invalidUTF8, index: 1),
        BadString(name: "truncated lead byte C3 at the end", bytes: hex("61 C3"), violation: .invalidUTF8, index: 1),
        BadString(name: "U+0000", bytes: hex("61 00 62"), violation: .nullCharacter, index: 1),
        BadString(name: "U+0000 at the start", bytes: hex("00 61"), violation: .nullCharacter, index: 0),
    ]

    /// Well-formed strings that must come through byte for byte.
    static let good: [(name: String, bytes: [UInt8])] = [
        ("BOM EF BB BF is kept [MQTT-1.5.3-3]", hex("EF BB BF 61")),
        ("U+0080 C2 80", hex("C2 80")),
        ("U+07FF DF BF", hex("DF BF")),
        ("U+0800 E0 A0 80", hex("E0 A0 80")),
        ("U+D7FF ED 9F BF, just below the surrogates", hex("ED 9F BF")),
        ("U+E000 EE 80 80, just above the surrogates", hex("EE 80 80")),
        ("U+FFFF non-character (discouraged, not forbidden)", hex("EF BF BF")),
        ("U+10000 F0 90 80 80", hex("F0 90 80 80")),
        ("U+10FFFF F4 8F BF BF", hex("F4 8F BF BF")),
        ("control characters U+0001 and U+007F (discouraged, not forbidden)", hex("01 7F")),
        ("e + combining acute, not normalised", hex("65 CC 81")),
    ]

    /// A string field to put the bytes in: the packet around them and the offset of the string's
    /// first byte (after its length prefix).
    struct Carrier {
        let name: String
        let version: ProtocolVersion
        let build: @Sendable ([UInt8]) -> [UInt8]
        let textOffset: Int
    }

    static let carriers: [Carrier] = [
        Carrier(name: "3.1.1 PUBLISH topic", version: .v3_1_1, build: { Wire.packet(0x30, Wire.binary($0) + hex("70")) }, textOffset: 4),
        Carrier(name: "5.0 PUBLISH topic", version: .v5_0, build: { Wire.packet(0x30, Wire.binary($0) + hex("00 70")) }, textOffset: 4),
        Carrier(name: "3.1.1 protocol name", version: .v3_1_1, build: { Wire.packet(0x10, Wire.binary($0) + hex("04 02 00 3C 00 01 61")) },
                textOffset: 4),
        Carrier(name: "3.1.1 client id", version: .v3_1_1, build: { Wire.packet(0x10, Wire.mqttName + hex("04 02 00 3C") + Wire.binary($0)) },
                textOffset: 14),
        Carrier(name: "5.0 user name", version: .v5_0,
                build: { Wire.packet(0x10, Wire.mqttName + hex("05 82 00 3C 00 00 01 61") + Wire.binary($0)) }, textOffset: 18),
        Carrier(name: "5.0 will topic", version: .v5_0,
                build: { Wire.packet(0x10, Wire.mqttName + hex("05 06 00 3C 00 00 01 61 00") + Wire.binary($0) + hex("00 00")) },
                textOffset: 19),
        Carrier(name: "5.0 user property name", version: .v5_0,
                build: { Wire.packet(0x40, hex("00 01 00") + Wire.properties([0x26] + Wire.binary($0) + hex("00 00"))) }, textOffset: 9),
        Carrier(name: "5.0 user property value", version: .v5_0,
                build: { Wire.packet(0x40, hex("00 01 00") + Wire.properties(hex("26 00 00") + Wire.binary($0))) }, textOffset: 11),
        Carrier(name: "5.0 reason string", version: .v5_0,
                build: { Wire.packet(0xE0, hex("00") + Wire.properties([0x1F] + Wire.binary($0))) }, textOffset: 7),
        Carrier(name: "5.0 content type", version: .v5_0,
                build: { Wire.packet(0x30, hex("00 01 78") + Wire.properties([0x03] + Wire.binary($0))) }, textOffset: 9),
        Carrier(name: "5.0 response topic", version: .v5_0,
                build: { Wire.packet(0x30, hex("00 01 78") + Wire.properties([0x08] + Wire.binary($0))) }, textOffset: 9),
        Carrier(name: "3.1.1 SUBSCRIBE filter", version: .v3_1_1, build: { Wire.packet(0x82, hex("00 01") + Wire.binary($0) + hex("00")) },
                textOffset: 6),
        Carrier(name: "5.0 UNSUBSCRIBE filter", version: .v5_0, build: { Wire.packet(0xA2, hex("00 01 00") + Wire.binary($0)) }, textOffset: 7),
    ]

    func testEveryBadStringInEveryStringField() {
        for carrier in Self.carriers {
            for string in Self.bad {
                let bytes = carrier.build(string.bytes)
                let context = "\(string.name) in \(carrier.name): \(hexString(bytes))"
                let error = decodeError(bytes, carrier.version)
                XCTAssertEqual(error?.violation, string.violation, context)
                XCTAssertEqual(error?.offset, carrier.textOffset + string.index, context)
                let v5 = carrier.version.isV5
                let expectedID = switch string.violation {
                case .nullCharacter: v5 ? "MQTT-1.5.4-2" : "MQTT-1.5.3-2"
                default: v5 ? "MQTT-1.5.4-1" : "MQTT-1.5.3-1"
                }
                XCTAssertEqual(error?.specID, expectedID, context)
                XCTAssertEqual(error?.reasonCode, .malformedPacket, context)
                let dissection = PacketDecoder.dissect(bytes, version: carrier.version)
                XCTAssertEqual(dissection.error, error, context)
                assertWellFormedDissection(dissection, context)
            }
        }
    }

    /// The same bytes, well-formed this time, decode in every field (filters and topics may not hold
    /// these bytes' wildcards; none of the samples contain + or #).
    func testEveryGoodStringInEveryStringField() {
        for carrier in Self.carriers where carrier.name != "3.1.1 protocol name" {
            for string in Self.good {
                let bytes = carrier.build(string.bytes)
                let context = "\(string.name) in \(carrier.name)"
                XCTAssertNil(decodeError(bytes, carrier.version), context)
                let dissection = PacketDecoder.dissect(bytes, version: carrier.version)
                XCTAssertNil(dissection.error, context)
                assertWellFormedDissection(dissection, context)
            }
        }
    }

    /// Kept byte for byte: the decoded String's UTF-8 is exactly the bytes sent, BOM included, and
    /// encodes back to the same packet.
    func testGoodStringsRoundTripByteForByte() throws {
        for string in Self.good {
            let bytes = Wire.packet(0x30, Wire.binary(string.bytes) + hex("70"))
            let packet = try PacketDecoder.decode(bytes, version: .v3_1_1)
            guard case .publish(let publish) = packet else { return XCTFail(string.name) }
            XCTAssertEqual(Array(publish.topic.utf8), string.bytes, string.name)
            XCTAssertEqual(try packet.encode(version: .v3_1_1), bytes, string.name)
        }
    }

    /// Binary fields are not strings: a will payload, a password and Correlation Data may hold any
    /// bytes, NUL and invalid UTF-8 included.
    func testBinaryFieldsAreNotValidatedAsText() throws {
        let junk = hex("00 C0 AF ED A0 80 FF")
        let connect = Wire.packet(0x10, Wire.mqttName + hex("04 C6 00 3C 00 01 61") + Wire.string("w") + Wire.binary(junk)
                                  + Wire.string("u") + Wire.binary(junk))
        guard case .connect(let decoded) = try PacketDecoder.decode(connect, version: .v3_1_1) else { return XCTFail() }
        XCTAssertEqual(decoded.will?.payload, junk)
        XCTAssertEqual(decoded.password, junk)
        let publish = Wire.packet(0x30, hex("00 01 78") + Wire.properties([0x09] + Wire.binary(junk)) + junk)
        XCTAssertEqual(try PacketDecoder.decode(publish, version: .v5_0),
                       .publish(Publish(topic: "x", payload: junk, properties: [.correlationData(junk)])))
    }
}
