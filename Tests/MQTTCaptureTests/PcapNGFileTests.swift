import XCTest

@testable import MQTTCapture

/// pcapng: sections in both byte orders, interfaces, packet block kinds, timestamp units and damage.
final class PcapNGFileTests: XCTestCase {
    private let flow = Address.conversation4()

    private func frame(_ offset: Int, _ text: String) -> [UInt8] {
        Packets.ethernet(flow.data(fromClient: true, offset: offset, text), etherType: 0x0800)
    }

    func testReadsEnhancedPacketsInBothByteOrders() throws {
        for littleEndian in [true, false] {
            var file = PcapNGBuilder(littleEndian: littleEndian)
            file.interface(linkType: 1)
            file.enhancedPacket(frame(0, "abc"), ticks: 1_700_000_000_500_000)
            file.block(type: 5, body: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])  // interface statistics: skipped
            file.enhancedPacket(frame(3, "def"), ticks: 1_700_000_001_000_000)
            let capture = try CaptureReader.read(file.bytes)
            XCTAssertEqual(capture.warnings, [], "littleEndian: \(littleEndian)")
            XCTAssertEqual(capture.linkTypes, [1])
            XCTAssertEqual(capture.frameCount, 2)
            XCTAssertEqual(capture.chunks.map(\.bytes), [Array("abc".utf8), Array("def".utf8)])
            XCTAssertEqual(capture.chunks.map(\.frameNumber), [1, 2])
            XCTAssertEqual(capture.chunks.map(\.timestamp), [1_700_000_000.5, 1_700_000_001])
        }
    }

    func testInterfaceTimestampResolutionAndOffset() throws {
        var file = PcapNGBuilder()
        file.interface(linkType: 1, timestampResolution: 9)  // nanoseconds
        file.interface(linkType: 1, timestampResolution: 0x80 | 10)  // 1/1024 s
        file.interface(linkType: 1, secondsOffset: 1_000)  // default microseconds, shifted
        file.enhancedPacket(frame(0, "a"), interface: 0, ticks: 1_700_000_000_123_456_789)
        file.enhancedPacket(frame(1, "b"), interface: 1, ticks: 1_700_000_000 * 1024 + 512)
        file.enhancedPacket(frame(2, "c"), interface: 2, ticks: 1_700_000_000_250_000)
        let capture = try CaptureReader.read(file.bytes)
        XCTAssertEqual(capture.chunks.count, 3)
        XCTAssertEqual(capture.chunks[0].timestamp, 1_700_000_000.123_456_789, accuracy: 1e-6)
        XCTAssertEqual(capture.chunks[1].timestamp, 1_700_000_000.5, accuracy: 1e-9)
        XCTAssertEqual(capture.chunks[2].timestamp, 1_700_001_000.25, accuracy: 1e-9)
    }

    func testTimestampResolutionUnits() {
        XCTAssertEqual(TimestampResolution(optionByte: 9).seconds(1_700_000_000_000_000_001), 1_700_000_000, accuracy: 1e-6)
        XCTAssertEqual(TimestampResolution(optionByte: 3).seconds(1_500), 1.5)
        XCTAssertEqual(TimestampResolution(optionByte: 0).seconds(42), 42)
        XCTAssertEqual(TimestampResolution(optionByte: 0x80 | 1).seconds(3), 1.5)
        XCTAssertEqual(TimestampResolution(optionByte: 24).seconds(2_000_000_000_000_000_000), 2e-6, accuracy: 1e-12)
        XCTAssertEqual(TimestampResolution(optionByte: 0x80 | 70).seconds(UInt64(1) << 63), 0.007_812_5, accuracy: 1e-12)
    }

    func testPerInterfaceLinkTypes() throws {
        let flow6 = Address.conversation6(clientPort: 40_000)
        var file = PcapNGBuilder()
        file.interface(linkType: 1)
        file.interface(linkType: 276)
        file.interface(linkType: 101)
        file.enhancedPacket(frame(0, "eth"), interface: 0)
        file.enhancedPacket(Packets.sll2(flow6.data(fromClient: true, offset: 0, "sll2"), protocolType: 0x86dd), interface: 1)
        file.enhancedPacket(flow.data(fromClient: true, offset: 3, "raw"), interface: 2)
        let capture = try CaptureReader.read(file.bytes)
        XCTAssertEqual(capture.linkTypes, [1, 276, 101])
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "ethraw")
        XCTAssertEqual(capture.text(connection: 2, fromInitiator: true), "sll2")
        XCTAssertEqual(capture.chunks[1].source.description, "[2001:db8::a]:40000")
    }

    func testSimpleAndObsoletePacketBlocks() throws {
        var file = PcapNGBuilder(littleEndian: false)
        file.interface(linkType: 1, snapLength: 0)
        file.simplePacket(frame(0, "simple"))
        file.obsoletePacket(frame(6, "old"), ticks: 1_700_000_000_000_000)
        let capture = try CaptureReader.read(file.bytes)
        XCTAssertEqual(capture.warnings, [])
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "simpleold")
        // A simple packet block has no timestamp.
        XCTAssertEqual(capture.chunks.map(\.timestamp), [0, 1_700_000_000])
    }

    func testSimplePacketIsCutToTheInterfaceSnapLength() throws {
        let full = frame(0, "0123456789")
        var file = PcapNGBuilder()
        file.interface(linkType: 1, snapLength: UInt32(full.count - 4))
        // Writers store only snaplen bytes; the original length says how long it was.
        file.simplePacket(Array(full.prefix(full.count - 4)), originalLength: full.count)
        let capture = try CaptureReader.read(file.bytes)
        XCTAssertEqual(capture.chunks.first?.bytes, Array("012345".utf8))
        XCTAssertTrue(capture.warnings.contains { $0.message.contains("only 6 of 10 TCP payload bytes were captured") }, "\(capture.warnings)")
    }

    func testSeveralSectionsWithDifferentByteOrdersAndInterfaces() throws {
        var file = PcapNGBuilder(littleEndian: true)
        file.interface(linkType: 1)
        file.enhancedPacket(frame(0, "one-"))
        file.section(littleEndian: false)
        // The new section forgets interface 0 of the first: describe it again, as raw IP this time.
        file.interface(linkType: 101)
        file.enhancedPacket(flow.data(fromClient: true, offset: 4, "two"))
        let capture = try CaptureReader.read(file.bytes)
        XCTAssertEqual(capture.warnings, [])
        XCTAssertEqual(capture.linkTypes, [1, 101])
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "one-two")
        XCTAssertEqual(capture.chunks.map(\.frameNumber), [1, 2])
    }

    func testPacketOnAnUndescribedInterfaceIsSkippedWithAWarning() throws {
        var file = PcapNGBuilder()
        file.interface(linkType: 1)
        file.enhancedPacket(frame(0, "x"), interface: 3)
        file.enhancedPacket(frame(0, "y"), interface: 0)
        let capture = try CaptureReader.read(file.bytes)
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "y")
        XCTAssertEqual(capture.warnings.map(\.frameNumber), [1])
        XCTAssertTrue(capture.warnings[0].message.contains("interface 3"))
        XCTAssertEqual(capture.chunks.first?.frameNumber, 2)
    }

    func testUnsupportedInterfaceLinkTypeWarnsOnceAndKeepsOtherInterfaces() throws {
        var file = PcapNGBuilder()
        file.interface(linkType: 127)
        file.interface(linkType: 1)
        file.enhancedPacket([1, 2, 3, 4], interface: 0)
        file.enhancedPacket([5, 6, 7, 8], interface: 0)
        file.enhancedPacket(frame(0, "ok"), interface: 1)
        let capture = try CaptureReader.read(file.bytes)
        XCTAssertEqual(capture.linkTypes, [127, 1])
        XCTAssertEqual(capture.warnings.count, 1)
        XCTAssertTrue(capture.warnings[0].message.hasPrefix("frames with link type 127 (802.11 radiotap) are skipped"))
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "ok")
        XCTAssertEqual(capture.chunks.first?.frameNumber, 3)
    }

    func testTruncatedLastBlockKeepsEarlierPackets() throws {
        var file = PcapNGBuilder()
        file.interface(linkType: 1)
        file.enhancedPacket(frame(0, "kept"))
        let before = file.bytes.count
        file.enhancedPacket(frame(4, "lost"))
        for cut in [before + 6, before + 30, file.bytes.count - 1] {
            let capture = try CaptureReader.read(Array(file.bytes.prefix(cut)))
            XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "kept")
            XCTAssertEqual(capture.warnings.count, 1, "cut at \(cut)")
            XCTAssertTrue(capture.warnings[0].message.contains("cut short"), "\(capture.warnings)")
            XCTAssertTrue(capture.warnings[0].message.contains("byte offset \(before)"), "\(capture.warnings)")
            XCTAssertEqual(capture.warnings[0].frameNumber, 2)
        }
    }

    func testDamagedBlockLengthStopsReadingWithAWarning() throws {
        var file = PcapNGBuilder()
        file.interface(linkType: 1)
        file.enhancedPacket(frame(0, "kept"))
        let before = file.bytes.count
        file.enhancedPacket(frame(4, "lost"))
        var damaged = file.bytes
        damaged[before + 4] = 0x0d  // length no longer a multiple of 4
        let capture = try CaptureReader.read(damaged)
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "kept")
        XCTAssertTrue(capture.warnings.first?.message.contains("stopped reading at byte offset \(before)") == true, "\(capture.warnings)")

        var mismatched = file.bytes
        mismatched[mismatched.count - 4] ^= 0x04  // trailing length differs from the leading one
        let second = try CaptureReader.read(mismatched)
        XCTAssertEqual(second.text(connection: 1, fromInitiator: true), "kept")
        XCTAssertTrue(second.warnings.first?.message.contains("closing length") == true, "\(second.warnings)")
    }

    func testBadFirstSectionHeaderThrows() {
        var wrongMagic = PcapNGBuilder().bytes
        wrongMagic[8] = 0x00
        XCTAssertThrowsError(try CaptureReader.read(wrongMagic)) { error in
            guard case .malformedHeader(let offset, _) = error as? CaptureError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(offset, 8)
        }
        XCTAssertThrowsError(try CaptureReader.read(Array(PcapNGBuilder().bytes.prefix(10)))) { error in
            XCTAssertEqual(error as? CaptureError, .truncatedHeader(offset: 0, needed: 28, available: 10))
        }
        var futureVersion = PcapNGBuilder()
        futureVersion.section(littleEndian: true, major: 2)
        XCTAssertThrowsError(try CaptureReader.read(Array(futureVersion.bytes.suffix(28)))) { error in
            XCTAssertEqual(error as? CaptureError, .unsupportedVersion(major: 2, minor: 0, offset: 12))
        }
    }
}
