import MQTTCodec
import XCTest

@testable import MQTTLabCLI

/// How a stream of bytes is cut into packets and which version's rules each is read with.
final class StreamDecoderTests: XCTestCase {
    func testAConnectSetsTheVersionForWhatFollows() throws {
        var stream = PacketStreamDecoder(version: nil)
        let connect: [UInt8] = [0x10, 0x10, 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x05, 0x02, 0x00, 0x3C, 0x00, 0x00, 0x03, 0x61, 0x62, 0x63]
        let packets = stream.feed(connect + [0xE0, 0x02, 0x8E, 0x00])
        XCTAssertEqual(packets.map(\.versionSource), [.connect, .connect])
        XCTAssertEqual(packets[1].dissection.packet, .disconnect(Disconnect(reasonCode: .sessionTakenOver)))
    }

    func testWithoutConnectItAssumes311AndGuesses5OnlyWhenNeeded() {
        var stream = PacketStreamDecoder(version: nil)
        let packets = stream.feed([0xE0, 0x00, 0xF0, 0x00])
        XCTAssertEqual(packets.map(\.versionSource), [.assumed, .guessed], "AUTH exists only in 5.0")
        XCTAssertEqual(packets[1].dissection.version, .v5_0)
    }

    func testLeftoverBytesAreReportedAsATruncatedPacket() {
        var stream = PacketStreamDecoder(version: .v3_1_1)
        XCTAssertEqual(stream.feed([0xC0, 0x00, 0x30, 0x05, 0x00]).count, 1)
        let rest = stream.finish()
        XCTAssertEqual(rest?.dissection.bytes, [0x30, 0x05, 0x00])
        guard case .truncated = rest?.dissection.error?.violation else {
            return XCTFail("expected a truncation, got \(String(describing: rest?.dissection.error))")
        }
    }

    func testHexInputForms() throws {
        XCTAssertEqual(try HexInput.parse(["30 0a", "00"]), [0x30, 0x0A, 0x00])
        XCTAssertEqual(try HexInput.parse(["0x30,0x5"]), [0x30, 0x05])
        XCTAssertEqual(try HexInput.parse(["30:0A\n"]), [0x30, 0x0A])
        XCTAssertThrowsError(try HexInput.parse(["3g"])) { XCTAssertEqual($0 as? HexInput.Problem, HexInput.Problem(text: "3g")) }
        XCTAssertThrowsError(try HexInput.parse(["300"])) { XCTAssertEqual($0 as? HexInput.Problem, HexInput.Problem(text: nil)) }
        XCTAssertTrue(HexInput.looksLikeHexText(Array("30 0a\n".utf8)))
        XCTAssertFalse(HexInput.looksLikeHexText([0x30, 0x0A]))
    }
}
