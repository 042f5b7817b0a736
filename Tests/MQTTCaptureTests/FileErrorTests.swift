import XCTest

@testable import MQTTCapture

/// Files that are not captures, and reading from disk.
final class FileErrorTests: XCTestCase {
    func testGarbageFileThrowsNotACaptureWithTheFirstBytes() {
        let text = Array("GET / HTTP/1.1\r\nHost: example\r\n\r\n".utf8)
        XCTAssertThrowsError(try CaptureReader.read(text)) { error in
            XCTAssertEqual(error as? CaptureError, .notACapture(firstBytes: Array(text.prefix(16))))
            XCTAssertEqual(
                "\(error)",
                #"not a pcap or pcapng file: first bytes are 47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a ("GET / HTTP/1.1..")"#
            )
        }
    }

    func testEmptyAndTinyFilesAreNotCaptures() {
        XCTAssertThrowsError(try CaptureReader.read([])) { error in
            XCTAssertEqual("\(error)", "not a pcap or pcapng file: the file is empty")
        }
        XCTAssertThrowsError(try CaptureReader.read([0xd4, 0xc3])) { error in
            XCTAssertEqual(error as? CaptureError, .notACapture(firstBytes: [0xd4, 0xc3]))
        }
    }

    func testRandomBytesNeverCrash() {
        // Deterministic pseudo-random garbage, also grafted after valid headers, must only ever
        // throw or warn.
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        func next() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        let prefixes: [[UInt8]] = [[], PcapBuilder(linkType: 1).bytes, PcapBuilder(linkType: 101, littleEndian: false).bytes, PcapNGBuilder().bytes]
        var readable = 0
        for round in 0..<400 {
            let prefix = prefixes[round % prefixes.count]
            let body = (0..<(round % 97 * 7)).map { _ in next() }
            if (try? CaptureReader.read(prefix + body)) != nil { readable += 1 }
        }
        // Everything after a valid header is tolerated (as warnings), so those rounds must succeed.
        XCTAssertGreaterThanOrEqual(readable, 300)
    }

    func testMutatedValidCapturesNeverCrash() throws {
        let flow = Address.conversation6()
        var pcapng = PcapNGBuilder()
        pcapng.interface(linkType: 1)
        for offset in stride(from: 0, to: 40, by: 8) {
            pcapng.enhancedPacket(Packets.ethernet(flow.data(fromClient: true, offset: offset, "12345678"), etherType: 0x86dd))
        }
        let original = pcapng.bytes
        XCTAssertEqual(try CaptureReader.read(original).text(connection: 1, fromInitiator: true).count, 40)
        for position in 0..<original.count {
            for value: UInt8 in [0x00, 0xff, 0x45] {
                var mutated = original
                mutated[position] = value
                _ = try? CaptureReader.read(mutated)
                _ = try? CaptureReader.read(Array(mutated.prefix(position)))
            }
        }
    }

    func testReadsFromAPathAndReportsMissingFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mqttcapture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("a.pcap")
        let bytes = rawCapture([Address.conversation4().data(fromClient: true, offset: 0, String(repeating: "z", count: 1400))])
        try Data(bytes).write(to: file)
        let capture = try CaptureReader.read(contentsOf: file.path)
        XCTAssertEqual(capture.stream(connection: 1, fromInitiator: true).count, 1400)

        let missing = directory.appendingPathComponent("missing.pcap").path
        XCTAssertThrowsError(try CaptureReader.read(contentsOf: missing)) { error in
            XCTAssertEqual("\(error)", "cannot read \(missing): No such file or directory")
        }
        XCTAssertThrowsError(try CaptureReader.read(contentsOf: directory.path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot read \(directory.path): "), "\(error)")
        }
    }

    func testReadsAFileLargerThanTheReadBuffer() throws {
        let flow = Address.conversation4()
        let payload = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var packets: [[UInt8]] = []
        for start in stride(from: 0, to: payload.count, by: 1_000) {
            packets.append(flow.data(fromClient: true, offset: start, Array(payload[start..<min(start + 1_000, payload.count)])))
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mqttcapture-\(UUID().uuidString).pcap").path
        try Data(rawCapture(packets)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertEqual(try CaptureReader.read(contentsOf: path).stream(connection: 1, fromInitiator: true), payload)
    }
}
