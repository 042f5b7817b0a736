@testable import MQTTLabCLI
import MQTTBroker
import MQTTBrokerCore
import MQTTCodec
import XCTest

/// The eavesdropper's view, fed with the bytes a socket would carry: the CONNECT's secrets are marked and
/// masked (or shown with --show-secrets), big reads are cut, and TLS records are found wherever the reads
/// split them.
final class SniffRendererTests: XCTestCase {
    /// CONNECT 3.1.1, client id "ana", user "ana", password "s3cret" (as mosquitto_pub -i ana -u ana -P s3cret sends it).
    private let connect: [UInt8] = [0x10, 0x1C, 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x04, 0xC2, 0x00, 0x3C,
                                     0x00, 0x03, 0x61, 0x6E, 0x61, 0x00, 0x03, 0x61, 0x6E, 0x61, 0x00, 0x06,
                                     0x73, 0x33, 0x63, 0x72, 0x65, 0x74]

    private func render(_ records: [(bytes: [UInt8], tls: Bool)], showSecrets: Bool, language: Language = .en) -> [String] {
        var lines: [String] = []
        let renderer = SniffRenderer(language: language, style: Style(enabled: false), showSecrets: showSecrets) { lines.append($0) }
        for record in records {
            renderer.trace(wire: BrokerWireRecord(time: BrokerWallClock(seconds: 0, nanoseconds: 0), connection: ConnectionID(1),
                                                  direction: .incoming, bytes: record.bytes, isTLS: record.tls,
                                                  remote: "127.0.0.1:50000", localPort: 1883))
        }
        return lines
    }

    func testTheCONNECTPasswordIsMaskedUnlessShown() throws {
        XCTAssertEqual(connect.count, 30)
        let masked = render([(connect, false)], showSecrets: false).joined(separator: "\n")
        XCTAssertTrue(masked.contains("#1 → :1883 · 127.0.0.1:50000 · plain TCP · 30 bytes"), masked)
        XCTAssertTrue(masked.contains("0010  61 00 03 61 6e 61 00 06 •• •• •• •• •• ••"), masked)
        XCTAssertTrue(masked.contains("an observer reads: CONNECT · v3.1.1 · client id \"ana\""), masked)
        XCTAssertTrue(masked.contains("user \"ana\" · password ••••"), masked)
        XCTAssertFalse(masked.contains("s3cret"), masked)
        XCTAssertFalse(masked.contains("73 33 63"), masked)

        let shown = render([(connect, false)], showSecrets: true, language: .es).joined(separator: "\n")
        XCTAssertTrue(shown.contains("0010  61 00 03 61 6e 61 00 06 73 33 63 72 65 74"), shown)
        XCTAssertTrue(shown.contains("usuario \"ana\" · contraseña \"s3cret\""), shown)
        XCTAssertTrue(shown.contains("usuario y contraseña cruzan la red sin cifrar"), shown)
    }

    func testABigReadShowsEightRowsAndCountsTheRest() {
        let lines = render([(connect, false), ([UInt8](repeating: 0x41, count: 300), false)], showSecrets: false)
        let second = lines.drop { !$0.contains("300 bytes") }
        XCTAssertEqual(second.filter { $0.contains("41 41 41 41") }.count, 8)
        XCTAssertTrue(second.contains { $0.hasSuffix("… 172 more bytes") }, "\(lines)")
    }

    func testTLSRecordsAreFoundAcrossReads() {
        let handshake: [UInt8] = [22, 3, 1, 0, 4, 1, 0, 0, 0]
        let data: [UInt8] = [23, 3, 3, 0, 20] + (0..<20).map { UInt8($0) }
        let alert: [UInt8] = [21, 3, 3, 0, 2, 1, 0]
        let stream = handshake + data + alert
        // Cut in the middle of the second header and of the second body.
        let reads = [Array(stream[0..<11]), Array(stream[11..<20]), Array(stream[20...])]
        let lines = render(reads.map { ($0, true) }, showSecrets: true).joined(separator: "\n")
        XCTAssertTrue(lines.contains("record: handshake (22) · TLS 1.0 · 4 bytes"), lines)
        // Its header completes in the second read, which holds the first 6 bytes of its body.
        XCTAssertTrue(lines.contains("record: encrypted application data (23) · TLS 1.2 · 20 bytes · unreadable: 00 01 02 03 04 05 …"), lines)
        XCTAssertTrue(lines.contains("record: alert (21) · TLS 1.2 · 2 bytes"), lines)
        XCTAssertFalse(lines.contains("an observer reads:"), lines)
    }
}
