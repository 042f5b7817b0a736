import Foundation
import MQTTBroker
import MQTTBrokerCore
import MQTTCodec
import XCTest

/// `--pcap` at the server level (a capture file shared by every connection, closed after shutdown) and
/// the fan-out that lets `--trace` and `--trace-json` run together.
final class RecordingOptionsTests: BrokerServerTestCase {
    func testPcapRecordsEveryConnectionsBytesAsTCPFrames() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mqttlab-\(UUID().uuidString).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let capture = try BrokerPacketCapture(path: path)
        let server = try await startServer { $0.pcap = capture }
        let ana = try client(server, id: "ana")
        try subscribe(ana, "casa/#")
        let bea = try client(server, id: "bea")
        try bea.send(Self.publish("casa/luz", "ON"))
        guard case .publish = try ana.receive() else { return XCTFail("expected PUBLISH") }
        ana.close()
        bea.close()
        try await server.shutdown()
        try await capture.close()

        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertGreaterThan(bytes.count, 24)
        // The classic pcap header, little endian: magic a1b2c3d4, version 2.4.
        XCTAssertEqual(Array(bytes.prefix(6)), [0xD4, 0xC3, 0xB2, 0xA1, 0x02, 0x00])
        // Every MQTT packet's bytes appear in the file (as TCP payloads): the CONNECT of each client, the
        // PUBLISH in and out.
        let publishBytes = try Self.publish("casa/luz", "ON").encode(version: .v3_1_1)
        XCTAssertEqual(Self.occurrences(of: publishBytes, in: bytes), 2, "PUBLISH from bea and to ana")
        XCTAssertEqual(Self.occurrences(of: Array("ana".utf8), in: bytes) >= 1, true)
        XCTAssertEqual(Self.occurrences(of: Array("bea".utf8), in: bytes) >= 1, true)
    }

    func testAnUnwritablePcapPathIsAnErrorNamingTheFile() {
        XCTAssertThrowsError(try BrokerPacketCapture(path: "/nonexistent-folder-mqttlab/x.pcap")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent-folder-mqttlab/x.pcap"), "\(error)")
        }
    }

    func testFanOutGivesEverySinkTheSameRecordsInOrder() async throws {
        let first = RecordingSink()
        let second = RecordingSink()
        let combined = try XCTUnwrap(BrokerTraceFanOut.combining([first, second]))
        XCTAssertNil(BrokerTraceFanOut.combining([]), "no sink: the untraced path")
        XCTAssertTrue(BrokerTraceFanOut.combining([first]) === first, "one sink is used as it is")

        let configuration = BrokerServerConfiguration(host: "127.0.0.1", port: 0)
        let server = try await BrokerServer.start(configuration: configuration, traceSink: combined)
        addTeardownBlock { try? await server.shutdown() }
        let ana = try client(server, id: "ana")
        try subscribe(ana, "t")
        XCTAssertTrue(first.waitUntil { $0.packets.count >= 4 })
        XCTAssertTrue(second.waitUntil { $0.packets.count >= 4 })
        XCTAssertEqual(first.order, second.order)
        XCTAssertEqual(first.events, second.events)
        XCTAssertEqual(first.transport, second.transport)
    }

    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> Int {
        guard !needle.isEmpty, haystack.count >= needle.count else { return 0 }
        var count = 0
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            count += 1
        }
        return count
    }
}
