import XCTest

@testable import MQTTCapture

/// Classic pcap: both byte orders, both timestamp resolutions, and damaged files.
final class PcapFileTests: XCTestCase {
    private let flow = Address.conversation4()

    private func ethernetCapture(littleEndian: Bool, nanosecond: Bool, fraction: UInt32) -> [UInt8] {
        var pcap = PcapBuilder(linkType: 1, littleEndian: littleEndian, nanosecond: nanosecond)
        for packet in [flow.syn(), flow.synAck(), flow.data(fromClient: true, offset: 0, "hello")] {
            pcap.add(Packets.ethernet(packet, etherType: 0x0800), seconds: 1_700_000_123, fraction: fraction)
        }
        return pcap.bytes
    }

    func testReadsBothByteOrdersWithMicrosecondTimestamps() throws {
        for littleEndian in [true, false] {
            let capture = try CaptureReader.read(ethernetCapture(littleEndian: littleEndian, nanosecond: false, fraction: 250_000))
            XCTAssertEqual(capture.linkTypes, [1])
            XCTAssertEqual(capture.frameCount, 3)
            XCTAssertEqual(capture.warnings, [])
            XCTAssertEqual(capture.chunks.count, 1, "littleEndian: \(littleEndian)")
            let chunk = try XCTUnwrap(capture.chunks.first)
            XCTAssertEqual(chunk.bytes, Array("hello".utf8))
            XCTAssertEqual(chunk.frameNumber, 3)
            XCTAssertEqual(chunk.timestamp, 1_700_000_123.25, accuracy: 1e-9)
            XCTAssertEqual(chunk.source, TCPEndpoint(address: "192.0.2.10", port: 50_000))
            XCTAssertEqual(chunk.destination, TCPEndpoint(address: "198.51.100.20", port: 1883))
            XCTAssertEqual(chunk.source.description, "192.0.2.10:50000")
            XCTAssertTrue(chunk.fromInitiator)
            XCTAssertEqual(chunk.connection, 1)
        }
    }

    func testNanosecondMagicScalesTheFraction() throws {
        for littleEndian in [true, false] {
            let capture = try CaptureReader.read(ethernetCapture(littleEndian: littleEndian, nanosecond: true, fraction: 123_456_789))
            let chunk = try XCTUnwrap(capture.chunks.first)
            XCTAssertEqual(chunk.timestamp, 1_700_000_123.123_456_789, accuracy: 1e-6)
            // With microsecond scaling the fraction would be 123 s; make sure it was not.
            XCTAssertLessThan(chunk.timestamp, 1_700_000_124)
        }
    }

    func testKuznetsovRecordsAreSkippedCorrectly() throws {
        // The patched-libpcap format adds 8 bytes to each record header; build it by hand.
        var writer = ByteWriter(littleEndian: true)
        writer.u32(0xa1b2_cd34)
        writer.u16(2)
        writer.u16(4)
        writer.u32(0)
        writer.u32(0)
        writer.u32(65_535)
        writer.u32(101)
        for (index, packet) in [flow.syn(), flow.data(fromClient: true, offset: 0, "abc"), flow.data(fromClient: true, offset: 3, "def")].enumerated()
        {
            writer.u32(1_700_000_000 + UInt32(index))
            writer.u32(0)
            writer.u32(UInt32(packet.count))
            writer.u32(UInt32(packet.count))
            writer.append([0, 0, 0, 1, 0, 8, 0, 0])  // ifindex, protocol, packet type, padding
            writer.append(packet)
        }
        let capture = try CaptureReader.read(writer.bytes)
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "abcdef")
        XCTAssertEqual(capture.chunks.map(\.timestamp), [1_700_000_001, 1_700_000_002])
    }

    func testTruncatedLastRecordKeepsEarlierFramesAndWarns() throws {
        var pcap = PcapBuilder(linkType: 1)
        pcap.add(Packets.ethernet(flow.data(fromClient: true, offset: 0, "first"), etherType: 0x0800))
        pcap.add(Packets.ethernet(flow.data(fromClient: true, offset: 5, "second"), etherType: 0x0800))
        // Cut inside the data of the second record.
        let cut = Array(pcap.bytes.dropLast(3))
        let capture = try CaptureReader.read(cut)
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "first")
        XCTAssertEqual(capture.frameCount, 1)
        XCTAssertEqual(capture.warnings.count, 1)
        XCTAssertEqual(capture.warnings.first?.frameNumber, 2)
        XCTAssertTrue(capture.warnings.first?.message.contains("cut short") == true, "\(capture.warnings)")

        // Cut inside the second record's header instead.
        var one = PcapBuilder(linkType: 1)
        one.add(Packets.ethernet(flow.data(fromClient: true, offset: 0, "first"), etherType: 0x0800))
        let partial = try CaptureReader.read(one.bytes + [0x10, 0x20, 0x30, 0x40, 0, 0, 0, 0])
        XCTAssertEqual(partial.text(connection: 1, fromInitiator: true), "first")
        XCTAssertEqual(partial.warnings.count, 1)
        XCTAssertTrue(partial.warnings[0].message.contains("inside a record header at byte offset 99"), "\(partial.warnings)")
    }

    func testHeaderOnlyFileIsAnEmptyCapture() throws {
        let capture = try CaptureReader.read(PcapBuilder(linkType: 113).bytes)
        XCTAssertEqual(capture.chunks, [])
        XCTAssertEqual(capture.warnings, [])
        XCTAssertEqual(capture.linkTypes, [113])
    }

    func testTruncatedFileHeaderThrowsWithOffset() {
        let header = Array(PcapBuilder(linkType: 1).bytes.prefix(10))
        XCTAssertThrowsError(try CaptureReader.read(header)) { error in
            XCTAssertEqual(error as? CaptureError, .truncatedHeader(offset: 0, needed: 24, available: 10))
            XCTAssertEqual("\(error)", "truncated header at byte offset 0: needs 24 bytes, only 10 left")
        }
    }

    func testUnsupportedLinkTypeThrows() {
        XCTAssertThrowsError(try CaptureReader.read(PcapBuilder(linkType: 105).bytes)) { error in
            XCTAssertEqual(error as? CaptureError, .unsupportedLinkType(linkType: 105, offset: 20))
            XCTAssertTrue("\(error)".hasPrefix("unsupported link type 105 (IEEE 802.11) at byte offset 20"), "\(error)")
        }
    }

    func testUnsupportedVersionThrows() {
        XCTAssertThrowsError(try CaptureReader.read(PcapBuilder(linkType: 1, major: 3).bytes)) { error in
            XCTAssertEqual(error as? CaptureError, .unsupportedVersion(major: 3, minor: 4, offset: 4))
        }
    }

    func testFCSBitsInTheLinkTypeFieldAreIgnored() throws {
        // Bits 28-31 give an FCS length and bit 27 says they are valid; the link type is the low 16 bits.
        var pcap = PcapBuilder(linkType: 0x1000_0000 | 0x0800_0000 | 1)
        pcap.add(Packets.ethernet(flow.data(fromClient: true, offset: 0, "x"), etherType: 0x0800) + [1, 2, 3, 4])
        let capture = try CaptureReader.read(pcap.bytes)
        XCTAssertEqual(capture.linkTypes, [1])
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "x")
    }
}
