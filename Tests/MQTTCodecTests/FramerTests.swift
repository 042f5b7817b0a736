import MQTTCodec
import XCTest

/// The framer's own rules: when it waits, when it cuts, and the two errors it can raise.
final class FramerTests: XCTestCase {
    func testWaitsForTheFixedHeaderAndTheBody() throws {
        var framer = PacketFramer()
        XCTAssertNil(try framer.next())
        framer.append([0x32])
        XCTAssertNil(try framer.next(), "type byte only")
        framer.append([0x09])
        XCTAssertNil(try framer.next(), "header complete, body missing")
        framer.append(hex("00 03 61 2F 62 00 0A 68"))
        XCTAssertNil(try framer.next(), "one body byte missing")
        XCTAssertEqual(framer.bufferedCount, 10)
        framer.append([0x69, 0xC0])
        XCTAssertEqual(try framer.next(), hex("32 09 00 03 61 2F 62 00 0A 68 69"))
        XCTAssertNil(try framer.next(), "PINGREQ's second byte has not arrived")
        XCTAssertEqual(framer.bufferedCount, 1)
        XCTAssertEqual(framer.consumed, 11)
        framer.append([0x00])
        XCTAssertEqual(try framer.next(), hex("C0 00"))
        XCTAssertEqual(framer.consumed, 13)
        XCTAssertEqual(framer.bufferedCount, 0)
    }

    /// A stream that ends in the middle of the Remaining Length waits for more bytes (checklist §1.3).
    func testWaitsInTheMiddleOfTheRemainingLength() throws {
        var framer = PacketFramer()
        framer.append([0x30, 0xFF, 0xFF, 0xFF])
        XCTAssertNil(try framer.next())
    }

    /// The size limit is checked from the fixed header alone: feed only the header, get the error.
    func testMaximumPacketSizeIsEnforcedFromTheHeaderAlone() {
        var framer = PacketFramer(maximumPacketSize: 100)
        framer.append([0x30, 0x62])  // Remaining Length 98: 1 + 1 + 98 = 100 bytes, allowed
        XCTAssertNoThrow(XCTAssertNil(try framer.next()))

        var tooBig = PacketFramer(maximumPacketSize: 100)
        tooBig.append([0x30, 0x63])  // 1 + 1 + 99 = 101 bytes
        XCTAssertThrowsError(try tooBig.next()) { error in
            assertFailure(error, .packetTooLarge(size: 101, maximum: 100), offset: 0)
        }
    }

    /// A 256 MB announcement is refused at its fifth byte, long before 256 MB arrive.
    func testHugeAnnouncementIsRefusedBeforeTheBody() {
        var framer = PacketFramer(maximumPacketSize: 1024)
        framer.append([0x30, 0xFF, 0xFF, 0xFF])
        XCTAssertNoThrow(XCTAssertNil(try framer.next()), "the length is not known yet")
        framer.append([0x7F])
        XCTAssertThrowsError(try framer.next()) { error in
            assertFailure(error, .packetTooLarge(size: 5 + 268_435_455, maximum: 1024), offset: 0)
        }
    }

    /// Error offsets count from the start of the stream, not of the packet.
    func testErrorOffsetsCountFromTheStreamStart() throws {
        var framer = PacketFramer(maximumPacketSize: 10)
        framer.append(hex("C0 00 D0 00 30 80 01"))
        XCTAssertEqual(try framer.next(), hex("C0 00"))
        XCTAssertEqual(try framer.next(), hex("D0 00"))
        XCTAssertThrowsError(try framer.next()) { error in
            assertFailure(error, .packetTooLarge(size: 131, maximum: 10), offset: 4)
        }

        var long = PacketFramer()
        long.append(hex("C0 00 30 FF FF FF FF 01"))
        XCTAssertEqual(try long.next(), hex("C0 00"))
        XCTAssertThrowsError(try long.next()) { error in
            // The Remaining Length starts at stream offset 3 (the byte after the first header byte).
            assertFailure(error, .remainingLengthTooLong, offset: 3)
        }
    }

    /// Four bytes at most: a fourth byte with the continuation bit is an error, even before a fifth
    /// byte arrives [MQTT-1.5.5] / 3.1.1 §2.2.3.
    func testFiveByteRemainingLengthIsRefused() {
        var framer = PacketFramer()
        framer.append([0x30, 0x80, 0x80, 0x80, 0x80])
        XCTAssertThrowsError(try framer.next()) { error in
            assertFailure(error, .remainingLengthTooLong, offset: 1)
        }
    }

    /// The largest legal packet fits the default limit: the framer waits for its body instead of failing.
    func testDefaultLimitAcceptsTheLargestLegalHeader() {
        var framer = PacketFramer()
        framer.append([0x30, 0xFF, 0xFF, 0xFF, 0x7F])
        XCTAssertNoThrow(XCTAssertNil(try framer.next()))
    }

    /// The framer does not judge the Remaining Length encoding: 3.1.1 allows non-minimal forms, and the
    /// decoder (which knows the version) decides.
    func testNonMinimalRemainingLengthIsFramed() throws {
        var framer = PacketFramer()
        framer.append(hex("C0 80 00"))
        XCTAssertEqual(try framer.next(), hex("C0 80 00"))
    }

    /// What is left of a stream that ends mid-packet (or cannot be framed) can be taken out whole; the
    /// framer is then empty, its stream offset moves past those bytes, and it frames what comes next.
    func testTakeBufferedReturnsTheRestAndResets() throws {
        var framer = PacketFramer()
        framer.append(hex("C0 00 32 09 00 03 61"))
        XCTAssertEqual(try framer.next(), hex("C0 00"))
        XCTAssertNil(try framer.next())
        XCTAssertEqual(framer.takeBuffered(), hex("32 09 00 03 61"))
        XCTAssertEqual(framer.bufferedCount, 0)
        XCTAssertEqual(framer.consumed, 7)
        XCTAssertEqual(framer.takeBuffered(), [])
        XCTAssertEqual(framer.consumed, 7)
        framer.append(hex("D0 00 30 FF FF FF FF"))
        XCTAssertEqual(try framer.next(), hex("D0 00"))
        XCTAssertThrowsError(try framer.next()) { error in
            // Offsets keep counting from the very start of the stream.
            assertFailure(error, .remainingLengthTooLong, offset: 10)
        }
        XCTAssertEqual(framer.takeBuffered(), hex("30 FF FF FF FF"))
        XCTAssertEqual(framer.consumed, 14)
        XCTAssertNil(try framer.next())
    }

    /// Thousands of packets through one framer: the consumed bytes are dropped as it goes (the buffer
    /// never grows with the stream) and no packet is lost or altered across a compaction.
    func testLongStreamsStayCorrectAcrossCompaction() throws {
        var framer = PacketFramer()
        var stream: [UInt8] = []
        var expected: [[UInt8]] = []
        for index in 0..<3000 {
            let payload = (0..<(index % 37)).map { UInt8(truncatingIfNeeded: $0 &+ index) }
            let packet = Wire.packet(0x30, Wire.string("t/\(index)") + payload)
            stream += packet
            expected.append(packet)
        }
        var received: [[UInt8]] = []
        var position = 0
        var maximumBuffered = 0
        while position < stream.count {
            let end = min(stream.count, position + 1000)
            framer.append(stream[position..<end])
            position = end
            maximumBuffered = max(maximumBuffered, framer.bufferedCount)
            while let packet = try framer.next() { received.append(packet) }
        }
        XCTAssertEqual(received, expected)
        XCTAssertEqual(framer.consumed, stream.count)
        XCTAssertLessThan(maximumBuffered, 1000 + 100)
    }

    private func assertFailure(_ error: any Error, _ violation: Violation, offset: Int, file: StaticString = #filePath, line: UInt = #line) {
        guard let failure = error as? PacketFramer.Failure else { return XCTFail("not a framer failure: \(error)", file: file, line: line) }
        XCTAssertEqual(failure.violation, violation, file: file, line: line)
        XCTAssertEqual(failure.offset, offset, file: file, line: line)
    }
}
