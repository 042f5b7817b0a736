import MQTTCodec
import XCTest

/// The Variable Byte Integer (checklist §1.3): Remaining Length, property length, property ids and
/// the Subscription Identifier all use it.
final class VariableByteIntegerTests: XCTestCase {
    /// The §11 samples and the §1.3 range table, byte for byte.
    static let samples: [(value: UInt32, bytes: String)] = [
        (0, "00"), (127, "7F"), (128, "80 01"), (321, "C1 02"), (16_383, "FF 7F"), (16_384, "80 80 01"),
        (2_097_151, "FF FF 7F"), (2_097_152, "80 80 80 01"), (268_435_455, "FF FF FF 7F"),
    ]

    func testEncodesTheChecklistSamples() {
        for sample in Self.samples {
            var bytes: [UInt8] = []
            VariableByteInteger.encode(sample.value, into: &bytes)
            XCTAssertEqual(hexString(bytes), sample.bytes, "\(sample.value)")
            XCTAssertEqual(VariableByteInteger.size(of: sample.value), hex(sample.bytes).count, "\(sample.value)")
        }
        XCTAssertEqual(VariableByteInteger.maximum, 268_435_455)
    }

    /// The framer reads the Remaining Length: its size error reports 1 + length bytes + value.
    func testTheFramerReadsTheChecklistSamples() {
        for sample in Self.samples {
            var framer = PacketFramer(maximumPacketSize: -1)
            let header = [0x30] + hex(sample.bytes)
            framer.append(header)
            XCTAssertThrowsError(try framer.next(), "\(sample.value)") { error in
                XCTAssertEqual((error as? PacketFramer.Failure)?.violation,
                               .packetTooLarge(size: header.count + Int(sample.value), maximum: -1), "\(sample.value)")
            }
        }
    }

    /// The 3.1.1 document's own decode pseudo-code rejects every valid 4-byte length (checklist §1.3,
    /// §10.13): a 2,097,152-byte Remaining Length must decode, and encode back as `80 80 80 01`.
    func testFourByteRemainingLengthDecodesAndEncodes() throws {
        let payloadCount = 2_097_152 - 3
        var bytes = hex("30 80 80 80 01 00 01 78")
        bytes += [UInt8](repeating: 0x41, count: payloadCount)
        for version in [ProtocolVersion.v3_1_1, .v5_0] {
            var body = bytes
            if version.isV5 {
                // Make room for the empty property block inside the same Remaining Length.
                body.removeLast()
                body.insert(0x00, at: 8)
            }
            let packet = try PacketDecoder.decode(body, version: version)
            guard case .publish(let publish) = packet else { return XCTFail("not a PUBLISH") }
            XCTAssertEqual(publish.topic, "x")
            XCTAssertEqual(publish.payload.count, version.isV5 ? payloadCount - 1 : payloadCount)
            let encoded = try packet.encode(version: version)
            XCTAssertEqual(Array(encoded.prefix(5)), hex("30 80 80 80 01"))
            XCTAssertEqual(encoded, body)
        }
    }

    /// 5.0 requires the shortest form [MQTT-1.5.5-1]; 3.1.1 has no such rule and stays lenient
    /// (checklist §1.3): every padded form of Remaining Length 0 is a PINGREQ in 3.1.1.
    func testNonMinimalRemainingLength() {
        for padded in ["80 00", "80 80 00", "80 80 80 00"] {
            let bytes = [0xC0] + hex(padded)
            XCTAssertEqual(try decodeOutcome(bytes, .v3_1_1).get(), .pingreq, padded)
        }
        for padded in ["80 00", "80 80 00", "80 80 80 00", "FF 00", "81 80 00"] {
            let bytes = [0x30] + hex(padded)
            let error = decodeError(bytes, .v5_0)
            XCTAssertEqual(error?.violation, .nonMinimalVariableByteInteger, padded)
            XCTAssertEqual(error?.offset, 1, padded)
            XCTAssertEqual(error?.specID, "MQTT-1.5.5-1", padded)
        }
        // A non-minimal Remaining Length in a real 3.1.1 packet: 5 written as 85 00.
        XCTAssertEqual(try decodeOutcome(hex("30 85 00 00 01 78 68 69"), .v3_1_1).get(),
                       .publish(Publish(topic: "x", payload: Array("hi".utf8))))
    }

    /// Non-minimal VBIs inside a 5.0 packet: property length, property identifier, Subscription Identifier.
    func testNonMinimalVariableByteIntegersInsideA5Packet() {
        let cases: [(name: String, bytes: [UInt8], offset: Int)] = [
            ("property length 0 as 80 00", hex("E0 03 00 80 00"), 3),
            ("property id 0x1F as 9F 00", hex("E0 07 00 05 9F 00 00 01 78"), 4),
            ("subscription identifier 7 as 87 00", hex("82 0A 00 01 03 0B 87 00 00 01 78 00"), 6),
        ]
        for testCase in cases {
            let error = decodeError(testCase.bytes, .v5_0)
            XCTAssertEqual(error?.violation, .nonMinimalVariableByteInteger, testCase.name)
            XCTAssertEqual(error?.offset, testCase.offset, testCase.name)
        }
    }

    /// A VBI inside the packet is also limited to 4 bytes (unnumbered prose, both in §1.5.5 of 5.0).
    func testFiveByteVariableByteIntegerInsideA5Packet() {
        let cases: [(name: String, bytes: [UInt8], offset: Int)] = [
            ("property length", hex("E0 06 00 80 80 80 80 01"), 3),
            ("subscription identifier", hex("82 0D 00 01 06 0B FF FF FF FF 01 00 01 78 00"), 6),
        ]
        for testCase in cases {
            let error = decodeError(testCase.bytes, .v5_0)
            XCTAssertEqual(error?.violation, .variableByteIntegerTooLong, testCase.name)
            XCTAssertEqual(error?.offset, testCase.offset, testCase.name)
            XCTAssertNil(error?.specID, testCase.name)
            assertWellFormedDissection(PacketDecoder.dissect(testCase.bytes, version: .v5_0), testCase.name)
        }
    }

    /// Subscription Identifiers at every VBI size boundary, written by hand and decoded, then encoded back.
    func testSubscriptionIdentifierBoundaries() throws {
        for value in [1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455] {
            let property = [0x0B] + Wire.vbi(value)
            let bytes = Wire.packet(0x30, Wire.string("t") + Wire.properties(property))
            let expected = Packet.publish(Publish(topic: "t", payload: [], properties: [.subscriptionIdentifier(UInt32(value))]))
            XCTAssertEqual(try PacketDecoder.decode(bytes, version: .v5_0), expected, "\(value)")
            XCTAssertEqual(try expected.encode(version: .v5_0), bytes, "\(value)")
        }
    }

    /// Property blocks of 128 bytes and more need a 2-byte property length.
    func testLongPropertyBlock() throws {
        let value = String(repeating: "v", count: 200)
        let packet = Packet.puback(PublishAck(packetID: 1, reasonCode: .success, properties: [.reasonString(value)]))
        let content = [0x1F] + Wire.string(value)
        let bytes = Wire.packet(0x40, Wire.u16(1) + [0x00] + Wire.properties(content))
        XCTAssertEqual(Array(bytes[6...7]), Wire.vbi(203))
        XCTAssertEqual(try PacketDecoder.decode(bytes, version: .v5_0), packet)
        XCTAssertEqual(try packet.encode(version: .v5_0), bytes)
    }
}
