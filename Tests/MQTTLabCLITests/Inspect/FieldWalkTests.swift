import MQTTCodec
import XCTest

@testable import MQTTLabCLI

/// The walk visits every byte of every packet exactly once, in order, and every bit of every flag byte.
final class FieldWalkTests: XCTestCase {
    func testEveryPacketTypeInBothVersionsIsWalkedByteByByteExactlyOnce() {
        for version in [ProtocolVersion.v3_1_1, .v5_0] {
            let packets = InspectFixtures.everyType(version)
            let types = Set(packets.map(\.packet.type))
            XCTAssertEqual(types, Set(PacketType.allCases.filter { version.isV5 || $0 != .auth }), "every type of \(version)")
            for (name, packet) in packets {
                let bytes = InspectFixtures.bytes(packet, version)
                let dissection = PacketDecoder.dissect(bytes, version: version)
                XCTAssertNil(dissection.error, "\(version) \(name)")
                assertWalkCoversEveryByteOnce(FieldWalk(dissection), "\(version) \(name)")
            }
        }
    }

    func testAMalformedPacketIsWalkedUpToTheBreakAndTheRestIsOneStep() {
        // PUBLISH with QoS 3 [MQTT-3.3.1-4], and a SUBSCRIBE cut short.
        for bytes: [UInt8] in [[0x36, 0x05, 0x00, 0x01, 0x74, 0x00, 0x01], [0x82, 0x09, 0x00, 0x01, 0x00, 0x03, 0x61]] {
            let dissection = PacketDecoder.dissect(bytes, version: .v3_1_1)
            XCTAssertNotNil(dissection.error)
            let walk = FieldWalk(dissection)
            assertWalkCoversEveryByteOnce(walk, Hex.spaced(bytes))
            XCTAssertNotNil(walk.stepIndex(coveringByte: dissection.error!.offset < bytes.count ? dissection.error!.offset : 0))
        }
    }

    func testFlagBytesAreFollowedByEachOfTheirBits() throws {
        let connect = InspectFixtures.everyType(.v3_1_1)[0].packet
        let walk = FieldWalk(PacketDecoder.dissect(InspectFixtures.bytes(connect, .v3_1_1), version: .v3_1_1))
        let flagsStep = try XCTUnwrap(walk.steps.firstIndex { $0.field.kind == .connectFlags })
        let bits = walk.steps[(flagsStep + 1)...].prefix { $0.isBitField }.map(\.field.kind)
        XCTAssertEqual(bits, [.usernameFlag, .passwordFlag, .willRetainFlag, .willQoSFlag, .willFlag, .cleanStartFlag, .connectReservedFlag])
        XCTAssertTrue(walk.steps[(flagsStep + 1)...].prefix { $0.isBitField }.allSatisfy { $0.flagByte?.kind == .connectFlags })
        // The fixed header: type and flags, then packet type, DUP, QoS, RETAIN for a PUBLISH.
        let publish = FieldWalk(PacketDecoder.dissect([0x3B, 0x07, 0x00, 0x01, 0x74, 0x00, 0x05, 0x68, 0x69], version: .v3_1_1))
        XCTAssertEqual(publish.steps.prefix(5).map(\.field.kind), [.packetTypeAndFlags, .packetType, .dupFlag, .qos, .retain])
        XCTAssertEqual(publish.steps.prefix(5).map(\.field.mask), [nil, 0xF0, 0x08, 0x06, 0x01])
    }

    func testPropertiesAreWalkedWithTheirGroupsAsPath() throws {
        let publish = InspectFixtures.everyType(.v5_0)[3].packet
        let walk = FieldWalk(PacketDecoder.dissect(InspectFixtures.bytes(publish, .v5_0), version: .v5_0))
        let expiry = try XCTUnwrap(walk.steps.first { $0.field.kind == .propertyNumber(.messageExpiryInterval) })
        XCTAssertEqual(expiry.path.map(\.kind), [.properties, .property(.messageExpiryInterval)])
        let title = FieldExplanation(language: .en, style: Style(enabled: false)).title(expiry)
        XCTAssertEqual(title, "properties › Message Expiry Interval › Message Expiry Interval")
        XCTAssertEqual(expiry.field.value, .integer(60))
    }

    private func assertWalkCoversEveryByteOnce(_ walk: FieldWalk, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let bytes = walk.dissection.bytes
        var seen = [Int](repeating: 0, count: bytes.count)
        var next = 0
        for step in walk.leafSteps {
            XCTAssertEqual(step.field.offset, next, "\(name): \(step.field.key) starts where the previous step ended", file: file, line: line)
            XCTAssertGreaterThan(step.field.length, 0, "\(name): \(step.field.key)", file: file, line: line)
            for offset in step.field.range where offset < seen.count { seen[offset] += 1 }
            next = step.field.offset + step.field.length
        }
        XCTAssertEqual(seen, [Int](repeating: 1, count: bytes.count), "\(name): every byte exactly once", file: file, line: line)
        XCTAssertEqual(walk.leafSteps.map(\.leafIndex), Array(0..<walk.leafSteps.count), name, file: file, line: line)
        for (index, step) in walk.steps.enumerated() where step.isBitField {
            let mask = step.field.mask ?? 0
            XCTAssertNotEqual(mask, 0, name, file: file, line: line)
            XCTAssertEqual(step.field.offset, step.flagByte?.offset, "\(name): a bit lives in its flag byte", file: file, line: line)
            XCTAssertTrue(index > 0 && (walk.steps[index - 1].isBitField || walk.steps[index - 1].field == step.flagByte),
                          "\(name): bits follow their byte", file: file, line: line)
        }
        // Together the bits of each flag byte read all 8 bits, each once.
        for step in walk.leafSteps where step.field.children.contains(where: { $0.mask != nil }) {
            let masks = step.field.children.compactMap(\.mask)
            XCTAssertEqual(masks.reduce(0, |), 0xFF, "\(name): \(step.field.key) bits", file: file, line: line)
            XCTAssertEqual(masks.map(\.nonzeroBitCount).reduce(0, +), 8, "\(name): \(step.field.key) bits once", file: file, line: line)
        }
    }
}
