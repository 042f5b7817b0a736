import Foundation
import MQTTCodec
import XCTest

@testable import MQTTLabCLI

/// Captures, broker traces and hex become packet lists; damaged input is reported (with file and line)
/// and never crashes.
final class InspectInputTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mqttlab-inspect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
        super.tearDown()
    }

    private func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    private func bytes(_ packet: Packet) -> [UInt8] { InspectFixtures.bytes(packet, .v3_1_1) }

    private func traceLine(_ packet: Packet, direction: String, client: String?, connection: Int = 1, version: String = "3.1.1") -> String {
        let clientJSON = client.map { "\"\($0)\"" } ?? "null"
        return #"{"kind":"packet","time":"2026-11-25T12:31:29.304020Z","connection":\#(connection),"client":\#(clientJSON),"direction":"\#(direction)","version":"\#(version)","type":"X","size":0,"hex":"\#(Hex.compact(bytes(packet)))","error":null,"fields":[]}"#
    }

    // MARK: Broker traces

    func testATraceIsReadLineByLineEvenWhenLinesArriveInPieces() {
        let text = [
            traceLine(.connect(Connect(clientID: "ana")), direction: "in", client: "ana"),
            #"{"kind":"event","time":"2026-11-25T12:31:29.304020Z","event":"session_started","connection":1,"client":"ana"}"#,
            traceLine(.connack(ConnAck()), direction: "out", client: "ana"),
        ].joined(separator: "\n") + "\n"
        var reader = TraceJSONReader(path: "t.jsonl")
        var packets: [InspectedPacket] = []
        var problems: [String] = []
        for piece in Array(text.utf8).chunked(7) {
            let batch = reader.feed(piece)
            packets += batch.packets
            problems += batch.problems
        }
        XCTAssertEqual(problems, [])
        XCTAssertEqual(packets.map(\.type), [.connect, .connack])
        XCTAssertEqual(packets.map(\.direction), [.toBroker, .toClient])
        XCTAssertEqual(packets.map(\.client), ["ana", "ana"])
        XCTAssertEqual(packets.map(\.number), [1, 2])
        XCTAssertEqual(packets.map(\.origin), ["t.jsonl:1", "t.jsonl:3"])
        XCTAssertEqual(packets[0].time ?? 0, 1_795_609_889.304020, accuracy: 0.000001)
    }

    func testBadTraceLinesAreReportedWithFileAndLineAndSkipped() throws {
        let lines = [
            traceLine(.pingreq, direction: "in", client: "ana"),
            "this is not json",
            #"{"kind":"packet","version":"3.1.1","direction":"in"}"#,
            #"{"kind":"packet","version":"4.0","direction":"in","hex":"c000"}"#,
            #"{"kind":"packet","version":"3.1.1","direction":"in","hex":"zz"}"#,
            #"{"kind":"dropped","time":"2026-11-25T12:31:29.304020Z","lines":12}"#,
            #"{"no":"kind"}"#,
            "",
            traceLine(.pingresp, direction: "out", client: "ana"),
            // a last line cut by a crash: malformed bytes, still listed
            #"{"kind":"packet","version":"3.1.1","direction":"in","connection":1,"client":"ana","hex":"3605000174"}"#,
        ]
        let path = try write("broken.jsonl", Array(lines.joined(separator: "\n").utf8))
        let list = try TraceJSONInput.load(path: path)
        XCTAssertEqual(list.packets.map(\.type), [.pingreq, .pingresp, .publish])
        XCTAssertTrue(list.packets[2].isMalformed, "a malformed packet is listed, with its error")
        XCTAssertEqual(list.notes, [
            "\(path):2: not a JSON object (is this an mqttlab broker --trace-json file?)",
            "\(path):3: a packet line without \"hex\"",
            "\(path):4: \"version\" must be 3.1, 3.1.1 or 5.0, not \"4.0\"",
            "\(path):5: \"hex\" is not hexadecimal",
            "\(path):6: the broker dropped 12 trace lines here (it could not write them fast enough)",
            "\(path):7: no \"kind\" of packet, event or dropped: not a trace line",
        ])
    }

    func testAFollowedTraceIsReadAsItGrowsAndAfterARestart() throws {
        let path = folder.appendingPathComponent("live.jsonl").path
        var follower = TraceFollower(path: path)
        XCTAssertEqual(follower.poll().packets.count, 0, "the file does not exist yet")
        let first = traceLine(.connect(Connect(clientID: "ana")), direction: "in", client: "ana") + "\n"
        let second = traceLine(.pingreq, direction: "in", client: "ana")
        try Data((first + second.prefix(20)).utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(follower.poll().packets.map(\.type), [.connect], "the cut line waits")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((second.dropFirst(20) + "\n").utf8))
        try handle.close()
        XCTAssertEqual(follower.poll().packets.map(\.type), [.pingreq])
        XCTAssertEqual(follower.poll().packets.count, 0, "nothing new")
        try Data((traceLine(.pingresp, direction: "out", client: "ana") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let restarted = follower.poll()
        XCTAssertEqual(restarted.packets.map(\.type), [.pingresp])
        XCTAssertEqual(restarted.problems.count, 1, "the truncation is reported")
    }

    // MARK: Captures

    func testACaptureListsPacketsWithDirectionsClientsAndFlows() throws {
        var writer = PcapWriter()
        let exchange: [(Packet, Bool)] = [
            (.connect(Connect(clientID: "ana")), true), (.connack(ConnAck()), false),
            (.publish(Publish(topic: "casa/luz", payload: Array("ON".utf8), qos: .exactlyOnce, packetID: 3)), true),
            (.pubrec(PublishAck(packetID: 3)), false), (.pubrel(PublishAck(packetID: 3)), true), (.pubcomp(PublishAck(packetID: 3)), false),
        ]
        for (index, (packet, fromClient)) in exchange.enumerated() {
            writer.append(payload: bytes(packet), fromClient: fromClient, time: 1_795_609_889 + Double(index))
        }
        let path = try write("class.pcap", writer.bytes)
        let list = try CaptureInput.load(path: path, forcedPorts: [], version: nil)
        XCTAssertEqual(list.notes, [])
        XCTAssertEqual(list.title, "class.pcap")
        XCTAssertEqual(list.packets.map(\.type), [.connect, .connack, .publish, .pubrec, .pubrel, .pubcomp])
        XCTAssertEqual(list.packets.map(\.direction), [.toBroker, .toClient, .toBroker, .toClient, .toBroker, .toClient])
        XCTAssertEqual(Set(list.packets.compactMap(\.client)), ["ana"])
        XCTAssertEqual(ConversationLinker.link(list.packets).map(\.kind), [.connect, .qos2])
    }

    func testAFileThatIsNoCaptureIsRefusedWithItsName() throws {
        let path = try write("notes.pcap", Array("hello, not a capture".utf8))
        XCTAssertThrowsError(try CaptureInput.load(path: path, forcedPorts: [], version: nil)) { error in
            XCTAssertTrue("\(error)".contains(path), "\(error)")
            XCTAssertTrue("\(error)".contains("not a pcap or pcapng file"), "\(error)")
        }
    }

    func testACaptureCutShortAndAMalformedPacketAreReportedNotCrashedOn() throws {
        var writer = PcapWriter()
        writer.append(payload: bytes(.connect(Connect(clientID: "ana"))), fromClient: true, time: 1)
        writer.append(payload: [0x36, 0x05, 0x00, 0x01, 0x74, 0x00, 0x01], fromClient: true, time: 2)  // QoS 3
        writer.append(payload: bytes(.pingreq), fromClient: true, time: 3)
        let whole = writer.bytes
        let path = try write("cut.pcap", Array(whole.dropLast(1)))
        let list = try CaptureInput.load(path: path, forcedPorts: [], version: nil)
        XCTAssertEqual(list.packets.first?.type, .connect)
        let malformed = try XCTUnwrap(list.packets.first { $0.isMalformed })
        XCTAssertEqual(malformed.dissection.error?.specID, "MQTT-3.3.1-4")
        XCTAssertFalse(list.notes.isEmpty, "the cut record is reported")
        XCTAssertTrue(list.notes.allSatisfy { $0.hasPrefix(path) }, "\(list.notes)")
        // The malformed packet can still be walked, byte by byte.
        let walk = FieldWalk(malformed.dissection)
        XCTAssertEqual(walk.leafSteps.map(\.field.length).reduce(0, +), malformed.dissection.bytes.count)
    }

    // MARK: Hex and file sniffing

    func testHexIsCutIntoPacketsAndAFileIsRecognisedByItsFirstBytes() throws {
        let list = HexPacketInput.load(bytes(.pingreq) + bytes(.pingresp), version: nil, title: "hex")
        XCTAssertEqual(list.packets.map(\.type), [.pingreq, .pingresp])
        XCTAssertEqual(list.packets.map(\.origin), ["hex: byte 0", "hex: byte 2"])

        let pcap = try write("a.cap", PcapWriter().bytes)
        let trace = try write("a.log", Array((traceLine(.pingreq, direction: "in", client: nil) + "\n").utf8))
        let hexText = try write("a.txt", Array("c0 00\n".utf8))
        guard case .capture = try InspectSource.sniff(path: pcap, follow: false) else { return XCTFail("pcap") }
        guard case .traceJSON = try InspectSource.sniff(path: trace, follow: false) else { return XCTFail("trace") }
        guard case .bytes(let bytes, _) = try InspectSource.sniff(path: hexText, follow: false) else { return XCTFail("hex") }
        XCTAssertEqual(bytes, [0xC0, 0x00])
    }
}

private extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
