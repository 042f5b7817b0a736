import Foundation
import MQTTBroker
import MQTTBrokerCore
import MQTTCodec
@testable import MQTTLabCLI
import XCTest

/// `mqttlab broker --trace-json FILE` and `--pcap FILE`, end to end: the real binary, raw clients, and
/// the files read back by JSON parsing, tshark and `mqttlab decode --pcap`.
final class BrokerRecordingTests: BrokerInteropTestCase {
    static let packetKeys: Set<String> = [
        "kind", "time", "connection", "client", "direction", "version", "type", "size", "hex", "error", "fields",
    ]
    static let fieldKeys: Set<String> = ["key", "name", "offset", "length", "mask", "raw", "value", "meaning", "children"]
    static let errorKeys: Set<String> = ["offset", "rule", "spec", "reason_code", "message"]
    static let timePattern = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$"#

    /// CONNECT 3.1.1 with a user name and a password.
    static func connectWithPassword(clientID: String, user: String, password: String) -> [UInt8] {
        RawMQTT.packet(0x10, RawMQTT.string("MQTT") + [4, 0xC2] + RawMQTT.u16(60)
            + RawMQTT.string(clientID) + RawMQTT.string(user) + RawMQTT.string(password))
    }

    /// Every line of the file, parsed; fails the test on a line that is not a JSON object.
    /// The file's JSON lines. `whileWriting`: the broker may be in the middle of a line (it writes in
    /// chunks), so an unfinished last line is left out, not failed; once the broker stopped, every line
    /// must be whole. (Polling with the strict form failed CI once, on a line caught half written.)
    func jsonLines(_ url: URL, whileWriting: Bool = false, file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        guard let data = try? Data(contentsOf: url) else { return [] }
        var text = String(decoding: data, as: UTF8.self)
        if whileWriting, !text.hasSuffix("\n") {
            text = text.lastIndex(of: "\n").map { String(text[...$0]) } ?? ""
        }
        var objects: [[String: Any]] = []
        for (index, row) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !row.isEmpty {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(row.utf8))) as? [String: Any] else {
                XCTFail("line \(index + 1) is not a JSON object: \(row.prefix(200))", file: file, line: line)
                continue
            }
            objects.append(object)
        }
        XCTAssertTrue(text.isEmpty || text.hasSuffix("\n"), "the file ends with a whole line", file: file, line: line)
        return objects
    }

    func checkShapes(_ lines: [[String: Any]], file: StaticString = #filePath, line: UInt = #line) {
        let time = try? NSRegularExpression(pattern: Self.timePattern)
        for object in lines {
            let stamp = object["time"] as? String ?? ""
            XCTAssertNotNil(time?.firstMatch(in: stamp, range: NSRange(stamp.startIndex..., in: stamp)),
                            "time \(stamp)", file: file, line: line)
            switch object["kind"] as? String {
            case "packet":
                XCTAssertEqual(Set(object.keys), Self.packetKeys, file: file, line: line)
                XCTAssertTrue(["in", "out"].contains(object["direction"] as? String ?? ""), file: file, line: line)
                let fields = object["fields"] as? [[String: Any]] ?? []
                XCTAssertFalse(fields.isEmpty, "fields of \(object["type"] ?? "?")", file: file, line: line)
                for field in fields { XCTAssertEqual(Set(field.keys), Self.fieldKeys, file: file, line: line) }
                if let error = object["error"] as? [String: Any] {
                    XCTAssertEqual(Set(error.keys), Self.errorKeys, file: file, line: line)
                }
            case "event":
                XCTAssertNotNil(object["event"] as? String, file: file, line: line)
                XCTAssertTrue(object.keys.contains("connection") && object.keys.contains("client"), file: file, line: line)
            default:
                XCTFail("unknown kind in \(object)", file: file, line: line)
            }
        }
    }

    /// "in CONNECT" / "out CONNACK" / "event session_started" for one client, in file order.
    func sequence(_ lines: [[String: Any]], client: String) -> [String] {
        lines.filter { $0["client"] as? String == client }.map { object in
            if object["kind"] as? String == "packet" {
                return "\(object["direction"] as? String ?? "?") \(object["type"] as? String ?? "?")"
            }
            return "event \(object["event"] as? String ?? "?")"
        }
    }

    func testTraceJSONAndPcapTogetherRecordTheSameSessionForToolsAndTshark() throws {
        let folder = try directory()
        let jsonURL = folder.appendingPathComponent("trace.jsonl")
        let pcapURL = folder.appendingPathComponent("trace.pcap")
        let broker = try startBroker(["--trace", "summary", "--trace-json", jsonURL.path, "--pcap", pcapURL.path])

        let ana = try wire(broker, .v311)
        try ana.send(Self.connectWithPassword(clientID: "ana", user: "ana", password: "secreto"))
        _ = try ana.expect(2, "CONNACK for ana")
        try ana.subscribe([("casa/#", 1)])
        let bea = try wire(broker, .v311)
        try bea.connect(clientID: "bea")
        try bea.send(BrokerWire.publish(.v311, topic: "casa/luz", payload: Array("ON".utf8), qos: 1, id: 7))
        _ = try bea.expect(4, "PUBACK for bea")
        XCTAssertNotNil(try ana.nextPublish(), "ana gets the message (and acknowledges it)")
        try ana.send([0xE0, 0x00])
        try bea.send([0xE0, 0x00])

        // Lines arrive while the broker runs (a checker tailing the file sees them).
        XCTAssertTrue(eventually(timeout: 5) {
            self.sequence(self.jsonLines(jsonURL, whileWriting: true), client: "bea").contains("event connection_ended")
                && self.sequence(self.jsonLines(jsonURL, whileWriting: true), client: "ana").contains("event connection_ended")
        }, "the JSON lines were not written while the broker ran\n\(broker.outputTail())")
        XCTAssertTrue(broker.stop().isClean, broker.outputTail())

        let lines = jsonLines(jsonURL)
        checkShapes(lines)
        XCTAssertEqual(Array(sequence(lines, client: "ana").prefix(8)), [
            "in CONNECT", "event session_started", "out CONNACK",
            "in SUBSCRIBE", "event subscription_answered", "out SUBACK",
            "out PUBLISH", "in PUBACK",
        ])
        XCTAssertEqual(sequence(lines, client: "bea"), [
            "in CONNECT", "event session_started", "out CONNACK",
            "in PUBLISH", "event routed", "out PUBACK",
            "in DISCONNECT", "event connection_ended", "event session_ended",
        ])
        let routed = try XCTUnwrap(lines.first { $0["event"] as? String == "routed" })
        XCTAssertEqual(routed["topic"] as? String, "casa/luz")
        let delivered = routed["delivered"] as? [[String: Any]] ?? []
        XCTAssertEqual(delivered.first?["client"] as? String, "ana")
        XCTAssertEqual(delivered.first?["filter"] as? String, "casa/#")
        XCTAssertEqual((delivered.first?["qos"] as? NSNumber)?.intValue, 1)
        XCTAssertTrue(lines.contains { $0["event"] as? String == "accepted" }, "transport events are recorded too")

        // The password is masked in the hex and in the fields.
        let raw = try String(contentsOf: jsonURL, encoding: .utf8)
        XCTAssertFalse(raw.contains("secreto"))
        XCTAssertFalse(raw.contains("7365637265746f"), "the password's bytes in hex")
        XCTAssertTrue(raw.contains("••••"))

        // The text trace is on at the same time.
        XCTAssertTrue(broker.stdout.contains("→ CONNECT"), broker.outputTail())

        // The pcap: `mqttlab decode` finds every packet the JSON trace has, without errors.
        let packets = lines.filter { $0["kind"] as? String == "packet" }
        let mqttlab = try XCTUnwrap(try requireMQTTLab())
        let decoded = try InteropProcess.run(
            mqttlab, ["decode", "--pcap", pcapURL.path, "--port", String(broker.port), "--json"],
            label: "decode-pcap", directory: folder, timeout: 20)
        XCTAssertEqual(decoded.status, 0, decoded.stderr)
        let decodedLines = decoded.stdoutText.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        XCTAssertEqual(decodedLines.count, packets.count, decoded.stdoutText.prefix(2000) + "")
        for object in decodedLines { XCTAssertTrue(object["error"] is NSNull, "decode error: \(object["error"] ?? "?")") }
        XCTAssertEqual(decodedLines.compactMap { $0["type"] as? String }.sorted(),
                       packets.compactMap { $0["type"] as? String }.sorted())

        // tshark dissects the same MQTT packets.
        guard let tshark = InteropTools.find("tshark") else {
            throw XCTSkip("tshark is not installed: the pcap was checked with mqttlab decode only (apt-get install -y tshark)")
        }
        let fields = try InteropProcess.run(
            tshark, ["-r", pcapURL.path, "-d", "tcp.port==\(broker.port),mqtt", "-T", "fields", "-e", "mqtt.msgtype"],
            label: "tshark", directory: folder, timeout: 60)
        XCTAssertEqual(fields.status, 0, fields.stderr)
        let names = [1: "CONNECT", 2: "CONNACK", 3: "PUBLISH", 4: "PUBACK", 8: "SUBSCRIBE", 9: "SUBACK", 14: "DISCONNECT"]
        let tsharkTypes = fields.stdoutText.split(whereSeparator: { $0 == "\n" || $0 == "," })
            .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map { names[$0] ?? "type \($0)" }
        XCTAssertEqual(tsharkTypes.sorted(), packets.compactMap { $0["type"] as? String }.sorted(), fields.stdoutText)
    }

    func testAMalformedPacketAppearsWithItsErrorAndTheViolationEvent() throws {
        let folder = try directory()
        let jsonURL = folder.appendingPathComponent("malformed.jsonl")
        let broker = try startBroker(["--trace-json", jsonURL.path])  // text trace off
        let carla = try wire(broker, .v311)
        try carla.connect(clientID: "carla")
        // PUBLISH with QoS 3: malformed [MQTT-3.3.1-4].
        try carla.send([0x36, 0x05, 0x00, 0x01, 0x74, 0x00, 0x01])
        XCTAssertTrue(try carla.collectUntilClose().closed, "the broker closes the connection")
        XCTAssertTrue(eventually(timeout: 5) {
            self.jsonLines(jsonURL, whileWriting: true).contains { $0["event"] as? String == "connection_ended" }
        }, broker.outputTail())
        XCTAssertTrue(broker.stop().isClean, broker.outputTail())

        let lines = jsonLines(jsonURL)
        checkShapes(lines)
        let bad = try XCTUnwrap(lines.first { $0["kind"] as? String == "packet" && !($0["error"] is NSNull) })
        XCTAssertEqual(bad["type"] as? String, "PUBLISH")
        XCTAssertEqual(bad["direction"] as? String, "in")
        XCTAssertEqual(bad["hex"] as? String, "3605000174 0001".replacingOccurrences(of: " ", with: ""))
        let error = try XCTUnwrap(bad["error"] as? [String: Any])
        XCTAssertEqual((error["offset"] as? NSNumber)?.intValue, 0)
        XCTAssertEqual((error["reason_code"] as? NSNumber)?.intValue, 0x81)
        XCTAssertEqual(error["spec"] as? String, "MQTT-3.3.1-4")
        XCTAssertFalse((error["message"] as? String ?? "").isEmpty)
        let fields = bad["fields"] as? [[String: Any]] ?? []
        XCTAssertFalse(fields.isEmpty, "the malformed packet is dissected as far as it is valid")
        XCTAssertEqual(Array(sequence(lines, client: "carla").suffix(4)),
                       ["in PUBLISH", "event violation", "event connection_ended", "event session_ended"])
        let violation = try XCTUnwrap(lines.first { $0["event"] as? String == "violation" })
        XCTAssertEqual(Set((violation["error"] as? [String: Any] ?? [:]).keys), Self.errorKeys)
    }

    func testShowSecretsKeepsThePasswordInTheJSONTrace() throws {
        let folder = try directory()
        let jsonURL = folder.appendingPathComponent("secrets.jsonl")
        let broker = try startBroker(["--trace-json", jsonURL.path, "--show-secrets"])
        let ana = try wire(broker, .v311)
        try ana.send(Self.connectWithPassword(clientID: "ana", user: "ana", password: "secreto"))
        _ = try ana.expect(2, "CONNACK for ana")
        XCTAssertTrue(eventually(timeout: 5) { self.jsonLines(jsonURL, whileWriting: true).count >= 4 }, broker.outputTail())
        XCTAssertTrue(broker.stop().isClean, broker.outputTail())
        let raw = try String(contentsOf: jsonURL, encoding: .utf8)
        XCTAssertTrue(raw.contains("secreto"), raw.prefix(2000) + "")
        XCTAssertTrue(raw.contains("7365637265746f"))
    }

    func testAnUnwritableFileIsRefusedAtStart() throws {
        let mqttlab = try XCTUnwrap(try requireMQTTLab())
        let folder = try directory()
        for option in ["--trace-json", "--pcap"] {
            let outcome = try InteropProcess.run(
                mqttlab, ["broker", "-p", "0", option, "/nonexistent-mqttlab-folder/x"],
                label: "refused\(option)", directory: folder, timeout: 10)
            XCTAssertEqual(outcome.status, 73, "\(option): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains("/nonexistent-mqttlab-folder/x"), outcome.stderr)
        }
    }

    func testAWriterThatFallsBehindDropsLinesAndSaysHowMany() throws {
        let url = try directory().appendingPathComponent("bounded.jsonl")
        // 100 bytes of room: lines are queued before the writer starts, so the rest must be dropped.
        let output = try BrokerTraceJSONOutput.open(path: url.path, limitBytes: 100)
        for index in 0..<10 { output.enqueue("{\"kind\":\"event\",\"n\":\(index),\"pad\":\"0123456789\"}") }
        output.start()
        output.finish()
        let lines = jsonLines(url)
        let kept = lines.filter { $0["kind"] as? String == "event" }
        XCTAssertEqual(kept.map { ($0["n"] as? NSNumber)?.intValue }, [0, 1], "42 bytes each: two fit")
        let marker = try XCTUnwrap(lines.last)
        XCTAssertEqual(marker["kind"] as? String, "dropped")
        XCTAssertEqual((marker["lines"] as? NSNumber)?.intValue, 8)
        XCTAssertNotNil(marker["time"] as? String)
    }

    func testEveryEventBecomesOneFlatJSONObject() throws {
        let renderer = BrokerTraceJSONRenderer(language: .en, showSecrets: false, emit: { _ in })
        let time = BrokerWallClock(seconds: 1_795_609_889, nanoseconds: 304_020_123)
        XCTAssertEqual(BrokerTraceJSONRenderer.time(time), "2026-11-25T12:31:29.304020Z")
        let queued = JSONWriter.render(renderer.eventValue(.queued(clientID: "ana", topic: "casa/luz", queueLength: 3), at: time))
        XCTAssertEqual(queued, #"{"kind":"event","time":"2026-11-25T12:31:29.304020Z","event":"queued","connection":null,"#
            + #""client":"ana","topic":"casa/luz","queue_length":3}"#)
        let dropped = JSONWriter.render(renderer.eventValue(
            .dropped(clientID: "ana", topic: "t", reason: .queueFull(limit: 2)), at: time))
        XCTAssertTrue(dropped.hasSuffix(#""event":"dropped","connection":null,"client":"ana","topic":"t","reason":"queue_full","limit":2}"#), dropped)
        let slow = JSONWriter.render(renderer.transportValue(
            .droppedForSlowConsumer(ConnectionID(4), clientID: "bea", topic: "t"), at: time))
        XCTAssertTrue(slow.hasSuffix(#""event":"dropped_for_slow_consumer","connection":4,"client":"bea","topic":"t"}"#), slow)
    }
}
