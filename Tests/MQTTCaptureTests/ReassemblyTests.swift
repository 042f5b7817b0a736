import XCTest

@testable import MQTTCapture

/// TCP reassembly: order, repeats, wrap-around, several connections, reuse, limits.
final class ReassemblyTests: XCTestCase {
    private let flow = Address.conversation4()

    func testHandshakeThenDataInOrderBothDirections() throws {
        let capture = try CaptureReader.read(
            rawCapture([
                flow.syn(), flow.synAck(),
                flow.data(fromClient: true, offset: 0, "CONNECT"),
                flow.data(fromClient: false, offset: 0, "CONNACK"),
                flow.data(fromClient: true, offset: 7, "PUBLISH"),
                flow.packet(fromClient: true, sequence: flow.clientISN &+ 15, flags: [.fin, .ack]),
            ])
        )
        XCTAssertEqual(capture.warnings, [])
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "CONNECTPUBLISH")
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: false), "CONNACK")
        XCTAssertEqual(capture.chunks.map(\.frameNumber), [3, 4, 5])
        XCTAssertEqual(capture.chunks[1].source, TCPEndpoint(address: "198.51.100.20", port: 1883))
        XCTAssertFalse(capture.chunks[1].fromInitiator)
    }

    func testOutOfOrderSegmentsAreHeldUntilTheGapFills() throws {
        let capture = try CaptureReader.read(
            rawCapture([
                flow.syn(),
                flow.data(fromClient: true, offset: 10, "KLMNO"),
                flow.data(fromClient: true, offset: 5, "FGHIJ"),
                flow.data(fromClient: true, offset: 0, "ABCDE"),
                flow.data(fromClient: true, offset: 15, "PQ"),
            ])
        )
        XCTAssertEqual(capture.warnings, [])
        // Nothing is released before frame 4, which fills the gap; then everything held goes at once.
        XCTAssertEqual(capture.chunks.map(\.frameNumber), [4, 5])
        XCTAssertEqual(capture.chunks.map { String(decoding: $0.bytes, as: UTF8.self) }, ["ABCDEFGHIJKLMNO", "PQ"])
        XCTAssertEqual(capture.chunks[0].timestamp, 1_700_000_000.000_003, accuracy: 1e-9)
    }

    func testRetransmissionsAndOverlapsAreDeliveredOnce() throws {
        let capture = try CaptureReader.read(
            rawCapture([
                flow.syn(),
                flow.data(fromClient: true, offset: 0, "ABCDEF"),
                flow.data(fromClient: true, offset: 0, "ABCDEF"),  // exact retransmission
                flow.data(fromClient: true, offset: 3, "DEFGHI"),  // overlaps delivered bytes
                flow.data(fromClient: true, offset: 14, "OPQR"),  // held
                flow.data(fromClient: true, offset: 12, "MNOPQRST"),  // overlaps held bytes on both sides
                flow.data(fromClient: true, offset: 14, "OP"),  // repeats held bytes
                flow.data(fromClient: true, offset: 8, "IJKL"),  // fills the gap
                flow.data(fromClient: true, offset: 19, "T"),  // already delivered
                flow.data(fromClient: true, offset: 1, "BC"),  // long delivered
            ])
        )
        XCTAssertEqual(capture.warnings, [])
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "ABCDEFGHIJKLMNOPQRST")
        XCTAssertEqual(capture.chunks.map(\.frameNumber), [2, 4, 8])
    }

    func testOverlappingHeldSegmentsKeepTheFirstCopy() throws {
        let capture = try CaptureReader.read(
            rawCapture([
                flow.data(fromClient: true, offset: 0, "ab"),
                flow.data(fromClient: true, offset: 4, "EF"),
                flow.data(fromClient: true, offset: 3, "dxyg"),
                flow.data(fromClient: true, offset: 2, "c"),
            ])
        )
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "abcdEFg")
    }

    func testSequenceNumbersWrapAround() throws {
        var wrapping = flow
        wrapping.clientISN = UInt32.max - 4
        wrapping.serverISN = UInt32.max
        let capture = try CaptureReader.read(
            rawCapture([
                wrapping.syn(), wrapping.synAck(),
                wrapping.data(fromClient: true, offset: 0, "0123"),
                wrapping.data(fromClient: true, offset: 8, "89ab"),  // after the wrap, out of order
                wrapping.data(fromClient: true, offset: 4, "4567"),  // crosses 2^32
                wrapping.data(fromClient: false, offset: 0, "server"),  // starts at sequence 0
                wrapping.data(fromClient: true, offset: 2, "23"),  // old retransmission before the wrap
            ])
        )
        XCTAssertEqual(capture.warnings, [])
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "0123456789ab")
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: false), "server")
    }

    func testTwoInterleavedConnections() throws {
        let other = Address.conversation6(clientPort: 50_001)
        let capture = try CaptureReader.read(
            rawCapture([
                flow.syn(), other.syn(), other.synAck(), flow.synAck(),
                other.data(fromClient: true, offset: 0, "b1"),
                flow.data(fromClient: true, offset: 0, "a1"),
                other.data(fromClient: false, offset: 0, "B1"),
                flow.data(fromClient: true, offset: 2, "a2"),
                other.data(fromClient: true, offset: 2, "b2"),
            ])
        )
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "a1a2")
        XCTAssertEqual(capture.text(connection: 2, fromInitiator: true), "b1b2")
        XCTAssertEqual(capture.text(connection: 2, fromInitiator: false), "B1")
        XCTAssertEqual(capture.chunks.map(\.connection), [2, 1, 2, 1, 2])
        XCTAssertEqual(capture.chunks.map(\.frameNumber), [5, 6, 7, 8, 9])
        XCTAssertEqual(capture.chunks[0].source.description, "[2001:db8::a]:50001")
    }

    func testMidStreamStartUsesTheFirstSegmentSeen() throws {
        var late = flow
        late.clientISN = 777_777
        late.serverISN = 123
        let capture = try CaptureReader.read(
            rawCapture([
                late.packet(fromClient: false, sequence: 124 + 50, flags: [.ack]),  // bare ACK: does not fix the start
                late.data(fromClient: false, offset: 60, "server first"),
                late.data(fromClient: true, offset: 5_000, "client"),
                late.data(fromClient: false, offset: 72, "!"),
                late.data(fromClient: false, offset: 59, "x"),  // before the start we picked: dropped
            ])
        )
        XCTAssertEqual(capture.warnings, [])
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "server first!")
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: false), "client")
        // Without a SYN, the side seen first counts as the initiator.
        XCTAssertEqual(capture.chunks.first?.source.port, 1883)
        XCTAssertTrue(capture.chunks.first?.fromInitiator == true)
    }

    func testSynAckSeenFirstStillNamesTheClientAsInitiator() throws {
        let capture = try CaptureReader.read(
            rawCapture([
                flow.synAck(),
                flow.data(fromClient: false, offset: 0, "hello"),
                flow.data(fromClient: true, offset: 0, "hi"),
            ])
        )
        let serverChunk = try XCTUnwrap(capture.chunks.first)
        XCTAssertFalse(serverChunk.fromInitiator)
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "hi")
    }

    func testSynDataAndRetransmittedSynAndKeepAlive() throws {
        let syn = flow.packet(fromClient: true, sequence: flow.clientISN, flags: [.syn], payload: Array("fast".utf8))  // TCP Fast Open
        let capture = try CaptureReader.read(
            rawCapture([
                syn, syn,  // the retransmitted SYN is the same connection
                flow.synAck(),
                flow.data(fromClient: true, offset: 4, "open"),
                flow.data(fromClient: true, offset: 7, "X", flags: [.ack]),  // keep-alive: one old byte
                flow.packet(fromClient: true, sequence: flow.clientISN &+ 9, flags: [.rst], payload: Array("reset reason".utf8)),
            ])
        )
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "fastopen")
        XCTAssertEqual(Set(capture.chunks.map(\.connection)), [1])
    }

    func testANewSynOnTheSameAddressPairStartsANewConnection() throws {
        var second = flow
        second.clientISN = 90_000
        second.serverISN = 40
        let capture = try CaptureReader.read(
            rawCapture([
                flow.syn(), flow.synAck(),
                flow.data(fromClient: true, offset: 0, "first"),
                flow.data(fromClient: true, offset: 20, "lost tail"),  // waits behind a gap that never fills
                flow.packet(fromClient: true, sequence: flow.clientISN &+ 30, flags: [.fin, .ack]),
                second.syn(), second.synAck(),
                second.data(fromClient: true, offset: 0, "second"),
                second.data(fromClient: false, offset: 0, "reply"),
            ])
        )
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "firstlost tail")
        XCTAssertEqual(capture.text(connection: 2, fromInitiator: true), "second")
        XCTAssertEqual(capture.text(connection: 2, fromInitiator: false), "reply")
        // The old connection's held bytes are released (after a gap) when the new SYN arrives.
        XCTAssertEqual(capture.chunks.map(\.connection), [1, 1, 2, 2])
        XCTAssertEqual(capture.chunks[1].missingBytesBefore, 15)
        XCTAssertEqual(capture.warnings.count, 1)
        XCTAssertEqual(capture.warnings.first?.frameNumber, 4)
        XCTAssertTrue(
            capture.warnings.first?.message.hasPrefix(
                "connection 1 (192.0.2.10:50000 -> 198.51.100.20:1883): 15 bytes at stream offset 5 never appeared"
            ) == true,
            "\(capture.warnings)"
        )
    }

    func testASynFromTheFormerResponderStartsANewConnectionWithRolesSwapped() throws {
        var swapped = flow
        swapped.serverISN = 70_000
        let capture = try CaptureReader.read(
            rawCapture([
                flow.syn(),
                flow.data(fromClient: true, offset: 0, "old"),
                // Now the former server opens a connection on the same address pair.
                swapped.packet(fromClient: false, sequence: swapped.serverISN, flags: [.syn]),
                swapped.data(fromClient: false, offset: 0, "new"),
            ])
        )
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "old")
        XCTAssertEqual(capture.text(connection: 2, fromInitiator: true), "new")
        XCTAssertEqual(capture.chunks.last?.source.port, 1883)
    }

    func testConnectionsWithoutDataStillTakeANumber() throws {
        let empty = Address.conversation4(clientPort: 40_000)
        let capture = try CaptureReader.read(
            rawCapture([
                empty.syn(), empty.packet(fromClient: false, sequence: 0, flags: [.rst, .ack]),
                flow.syn(), flow.data(fromClient: true, offset: 0, "data"),
            ])
        )
        XCTAssertEqual(capture.chunks.map(\.connection), [2])
    }

    func testGapAtTheEndIsReportedAndTheRestDelivered() throws {
        let capture = try CaptureReader.read(
            rawCapture([
                flow.syn(),
                flow.data(fromClient: true, offset: 0, "head"),
                flow.data(fromClient: true, offset: 10, "tail"),
                flow.data(fromClient: true, offset: 20, "end"),
            ])
        )
        XCTAssertEqual(capture.chunks.map { String(decoding: $0.bytes, as: UTF8.self) }, ["head", "tail", "end"])
        XCTAssertEqual(capture.chunks.map(\.missingBytesBefore), [0, 6, 6])
        XCTAssertEqual(capture.chunks.map(\.frameNumber), [2, 3, 4])
        XCTAssertEqual(capture.warnings.map(\.frameNumber), [3, 4])
    }

    func testHoldLimitGivesUpOnAGap() throws {
        var packets = [flow.syn(), flow.data(fromClient: true, offset: 0, "start")]
        // Bytes 5..<10 never come; 100-byte segments pile up behind the gap.
        for index in 0..<5 {
            let filler = [UInt8](repeating: UInt8(ascii: "a") + UInt8(index), count: 100)
            packets.append(flow.data(fromClient: true, offset: 10 + index * 100, filler))
        }
        let capture = try CaptureReader.read(rawCapture(packets), holdLimit: 250)
        XCTAssertEqual(capture.warnings.count, 1)
        XCTAssertEqual(capture.warnings.first?.frameNumber, 5)
        XCTAssertTrue(
            capture.warnings.first?.message.contains("gave up waiting for 5 missing bytes at stream offset 5 after holding more than 250") == true,
            "\(capture.warnings)"
        )
        // Frame 5 pushed the held bytes to 300 > 250: the three held segments go out at once, after the gap.
        XCTAssertEqual(capture.chunks.map(\.frameNumber), [2, 5, 6, 7])
        XCTAssertEqual(capture.chunks.map(\.missingBytesBefore), [0, 5, 0, 0])
        XCTAssertEqual(capture.chunks.map(\.bytes.count), [5, 300, 100, 100])
        XCTAssertEqual(capture.stream(connection: 1, fromInitiator: true).count, 505)
    }

    func testManySegmentsInReverseOrder() throws {
        let payload = (0..<3_000).map { UInt8(truncatingIfNeeded: $0 * 31) }
        var packets = [flow.syn()]
        for start in stride(from: 2_990, through: 0, by: -10) {
            packets.append(flow.data(fromClient: true, offset: start, Array(payload[start..<(start + 10)])))
        }
        let capture = try CaptureReader.read(rawCapture(packets))
        XCTAssertEqual(capture.chunks.count, 1)
        XCTAssertEqual(capture.chunks.first?.bytes, payload)
    }

    func testStreamDirectionCountsHeldBytes() {
        var direction = TCPStreamDirection()
        direction.start(initialSequence: 99)
        let frame = FrameStamp(number: 1, timestamp: 0)
        XCTAssertEqual(direction.receive(sequence: 110, payload: [1, 2, 3][...], declaredLength: 3, frame: frame), [])
        XCTAssertEqual(direction.heldBytes, 3)
        XCTAssertEqual(direction.receive(sequence: 109, payload: [0, 1, 2, 3, 4][...], declaredLength: 5, frame: frame), [])
        XCTAssertEqual(direction.heldBytes, 5)
        let released = direction.receive(sequence: 100, payload: Array(repeating: 9, count: 9)[...], declaredLength: 9, frame: frame)
        XCTAssertEqual(released.map(\.bytes.count), [14])
        XCTAssertEqual(direction.heldBytes, 0)
        XCTAssertEqual(direction.streamOffset, 14)
    }
}
