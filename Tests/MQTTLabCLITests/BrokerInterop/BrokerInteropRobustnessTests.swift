import Foundation
import XCTest

/// Misbehaving clients: each one is disconnected while a well-behaved subscriber keeps receiving and the broker
/// stays up. Plus a QoS 0 flood next to a QoS 1 stream.
final class BrokerInteropRobustnessTests: BrokerInteropTestCase {
    /// A broker, a subscriber on `rob/#` (QoS 1) and a way to prove both still work.
    private struct Fixture {
        let broker: MQTTLabBrokerProcess
        let subscriber: BrokerWireClient
        let version: WireVersion
    }

    private func fixture(_ version: WireVersion, _ brokerArguments: [String] = []) throws -> Fixture {
        let broker = try startBroker(brokerArguments)
        let subscriber = try wire(broker, version)
        XCTAssertEqual(try subscriber.connect(clientID: "good-sub").code, 0x00)
        XCTAssertEqual(try subscriber.subscribe([("rob/#", 1)]), [0x01])
        return Fixture(broker: broker, subscriber: subscriber, version: version)
    }

    /// Publishes `rob/probe` from a fresh well-behaved client and checks the subscriber gets exactly `expected`
    /// (anything else it received since, e.g. a will, comes first) and the broker is alive.
    @discardableResult
    private func assertStillServing(
        _ fixture: Fixture, after context: String, file: StaticString = #filePath, line: UInt = #line
    ) throws -> [WirePublish] {
        assertBrokerAlive(fixture.broker, context, file: file, line: line)
        let prober = try wire(fixture.broker, fixture.version)
        try prober.connect(clientID: "prober-\(nextLabel("p"))")
        try prober.send(BrokerWire.publish(fixture.version, topic: "rob/probe", payload: Array("after \(context)".utf8), qos: 1, id: 9))
        _ = try prober.expect(4, "probe PUBACK after \(context)")
        let received = try fixture.subscriber.publishes(quiet: 0.4)
        XCTAssertEqual(received.last?.topic, "rob/probe", "the subscriber stopped receiving after \(context): \(received)", file: file, line: line)
        XCTAssertEqual(received.last?.text, "after \(context)", file: file, line: line)
        return Array(received.dropLast())
    }

    /// Reads until close and checks: closed; 3.1.1 sends nothing; 5.0 sends only `v5Disconnect` (nil: nothing).
    private func assertClosed(
        _ client: BrokerWireClient, v5Disconnect: UInt8?, _ context: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let end = try client.collectUntilClose(timeout: 3)
        XCTAssertTrue(end.closed, "\(context): the broker must close the connection", file: file, line: line)
        if client.version == .v5, let reason = v5Disconnect {
            XCTAssertEqual(end.packets.map(\.firstByte), [0xE0], "\(context): expected DISCONNECT 0x\(String(reason, radix: 16)), got \(end.packets)", file: file, line: line)
            XCTAssertEqual(end.packets.first?.disconnectReason, reason, "\(context)", file: file, line: line)
        } else {
            XCTAssertTrue(end.packets.isEmpty, "\(context): nothing should be sent back, got \(end.packets)", file: file, line: line)
        }
    }

    // MARK: - Garbage and truncation

    /// Bytes that are not a CONNECT: closed without any answer [MQTT-3.1.0-1] [MQTT-4.8.0-1]: an HTTP request, a
    /// reserved packet type 0 with a 5-byte remaining length, and a PUBLISH before CONNECT.
    func testGarbageBeforeConnectIsDropped() throws {
        let fixture = try fixture(.v311)
        let garbage: [(String, [UInt8])] = [
            ("an HTTP request", Array("GET / HTTP/1.1\r\nHost: mqttlab\r\n\r\n".utf8)),
            ("type 0 and a 5-byte remaining length", [0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x01, 0x02]),
            ("PUBLISH before CONNECT", BrokerWire.publish(.v311, topic: "rob/early", payload: Array("early".utf8))),
        ]
        for (label, bytes) in garbage {
            let client = try wire(fixture.broker, .v311)
            try client.send(bytes)
            try assertClosed(client, v5Disconnect: nil, label)
        }
        XCTAssertEqual(try assertStillServing(fixture, after: "garbage").map(\.topic), [], "nothing from the garbage")
    }

    func testTruncatedPacketThenClose_v311() throws { try runTruncated(.v311) }
    func testTruncatedPacketThenClose_v5() throws { try runTruncated(.v5) }

    /// Half a PUBLISH, then the socket closes: nothing is delivered from it, the will is published (the connection
    /// ended without DISCONNECT [MQTT-3.1.2-8]), other clients are unaffected [MQTT-4.8.0-2].
    private func runTruncated(_ version: WireVersion) throws {
        let fixture = try fixture(version)
        let client = try wire(fixture.broker, version)
        try client.connect(clientID: "truncated", will: .init(topic: "rob/will", payload: Array("truncated died".utf8)))
        let publish = BrokerWire.publish(version, topic: "rob/partial", payload: [UInt8](repeating: 0x41, count: 100), qos: 1, id: 5)
        try client.send(Array(publish.prefix(12)))
        usleep(100_000)
        client.close()
        let before = try assertStillServing(fixture, after: "a truncated packet")
        XCTAssertEqual(before.map(\.text), ["truncated died"], "only the will: \(before)")
    }

    // MARK: - Size limit

    func testRemainingLengthAboveMaxPacketSize_v311() throws { try runOversized(.v311) }
    func testRemainingLengthAboveMaxPacketSize_v5() throws { try runOversized(.v5) }

    /// `--max-packet-size 1024`: 5.0 CONNACK announces Maximum Packet Size 1024; a packet just under the limit is
    /// delivered; a PUBLISH whose remaining length announces 1,000,000 bytes is refused as soon as its header arrives
    /// (no buffering) with a close, 5.0 DISCONNECT 0x95 (Packet too large) first (checklist §8.10, §8.18).
    private func runOversized(_ version: WireVersion) throws {
        let fixture = try fixture(version, ["--max-packet-size", "1024"])
        let client = try wire(fixture.broker, version)
        let connack = try client.connect(clientID: "big")
        if version == .v5 {
            XCTAssertEqual(connack.property(0x27), .integer(1024), "Maximum Packet Size in CONNACK: \(connack)")
        }
        let fits = BrokerWire.publish(version, topic: "rob/fits", payload: [UInt8](repeating: 0x61, count: 900), qos: 1, id: 1)
        XCTAssertLessThanOrEqual(fits.count, 1024)
        try client.send(fits)
        _ = try client.expect(4, "PUBACK for a packet under the limit")
        let delivered = try fixture.subscriber.publishes(quiet: 0.3)
        XCTAssertEqual(delivered.map(\.payload.count), [900])

        let header: [UInt8] = [0x30] + RawMQTT.varint(1_000_000) + RawMQTT.string("rob/huge")
        try client.send(header + [UInt8](repeating: 0x42, count: 200))
        try assertClosed(client, v5Disconnect: 0x95, "remaining length 1,000,000 over --max-packet-size 1024")
        XCTAssertEqual(try assertStillServing(fixture, after: "an oversized packet").map(\.topic), [])
    }

    // MARK: - Malformed packets and protocol violations

    func testMalformedPublishClosesConnection_v311() throws { try runMalformed(.v311) }
    func testMalformedPacketAfterConnackGetsDisconnect0x81_v5() throws { try runMalformed(.v5) }

    /// After CONNACK: a PUBLISH with QoS 3 [MQTT-3.3.1-4], and (5.0) a PUBLISH whose property length runs past the
    /// packet. The connection is closed [MQTT-4.8.0-1 (3.1.1) / MQTT-4.13.1-1 (5.0)], 5.0 with DISCONNECT 0x81
    /// (Malformed Packet) first; each sender's will is published (server-side close for a protocol error,
    /// [MQTT-3.1.2-8], pitfall §10.7); the subscriber keeps receiving.
    private func runMalformed(_ version: WireVersion) throws {
        let fixture = try fixture(version)
        var cases: [(String, [UInt8])] = [
            ("QoS 3 PUBLISH", RawMQTT.packet(0x36, RawMQTT.string("rob/q3") + RawMQTT.u16(1) + (version == .v5 ? [0x00] : []) + [0x41])),
        ]
        if version == .v5 {
            cases.append(("property length past the end", RawMQTT.packet(0x30, RawMQTT.string("rob/bad") + [50, 0x01, 0x01] + [0x41])))
        }
        for (index, (label, bytes)) in cases.enumerated() {
            let client = try wire(fixture.broker, version)
            try client.connect(clientID: "malformed\(index)", will: .init(topic: "rob/will", payload: Array("malformed \(index)".utf8)))
            try client.send(bytes)
            try assertClosed(client, v5Disconnect: 0x81, label)
            let before = try assertStillServing(fixture, after: label)
            XCTAssertEqual(before.map(\.text), ["malformed \(index)"], "\(label): the will must be published, nothing else: \(before)")
        }
    }

    func testSecondConnectIsAProtocolViolation_v311() throws { try runSecondConnect(.v311) }
    func testSecondConnectIsAProtocolViolation_v5() throws { try runSecondConnect(.v5) }

    /// A second CONNECT on an accepted connection closes it [MQTT-3.1.0-2] (5.0: DISCONNECT 0x82 Protocol Error
    /// first), and its will is published; the broker keeps serving.
    private func runSecondConnect(_ version: WireVersion) throws {
        let fixture = try fixture(version)
        let client = try wire(fixture.broker, version)
        try client.connect(clientID: "twice", will: .init(topic: "rob/will", payload: Array("twice died".utf8)))
        try client.send(BrokerWire.connect(version, clientID: "twice"))
        try assertClosed(client, v5Disconnect: 0x82, "second CONNECT")
        let before = try assertStillServing(fixture, after: "a second CONNECT")
        XCTAssertEqual(before.map(\.text), ["twice died"], "the will must be published: \(before)")
    }

    // MARK: - Flood

    func testQoS0FloodDoesNotDisturbQoS1Stream_v311() throws { try runFlood(.v311) }
    func testQoS0FloodDoesNotDisturbQoS1Stream_v5() throws { try runFlood(.v5) }

    private struct FloodResult: Decodable {
        var q1: [String]
        var q1QoS: [Int]
        var q0Count: Int
        var q0Unique: Int
        var floodConnack: String
    }

    /// One raw publisher writes 2,000 QoS 0 PUBLISHes in one go while a paho publisher sends 200 QoS 1 messages; a
    /// QoS 1 subscriber gets every QoS 1 message exactly once and in order [MQTT-4.5.0-1] [MQTT-4.6.0-6 (3.1.1) /
    /// MQTT-4.6.0-5 (5.0)]; QoS 0 messages may be dropped under load but never duplicated; the broker stays up.
    private func runFlood(_ version: WireVersion) throws {
        let broker = try startBroker()
        let result = try paho(broker).run(#"""
def scenario():
    sub = LabClient("flood-sub")
    sub.subscribe("flood/#", qos=1)
    flooder, connack = raw_connect("flooder")
    burst = b"".join(raw_publish("flood/q0", f"q0-{n}") for n in range(2000))
    qos1 = LabClient("steady-pub")
    def flood():
        flooder.sendall(burst)
    thread = threading.Thread(target=flood, daemon=True)
    thread.start()
    infos = [qos1.publish("flood/q1", str(n), qos=1, wait=False) for n in range(200)]
    for info in infos:
        info.wait_for_publish(15)
    thread.join(15)
    sub.wait(lambda: sum(1 for m in sub.messages if m["topic"] == "flood/q1") >= 200, "200 QoS 1 messages", 20)
    time.sleep(0.3)
    got = sub.received()
    flooder.sendall(b"\xe0\x00")
    flooder.close()
    q1 = [m for m in got if m["topic"] == "flood/q1"]
    q0 = [m["payload"] for m in got if m["topic"] == "flood/q0"]
    return {"q1": [m["payload"] for m in q1], "q1QoS": sorted(set(m["qos"] for m in q1)),
            "q0Count": len(q0), "q0Unique": len(set(q0)), "floodConnack": connack.hex()}
"""#, version: version, timeout: 40, as: FloodResult.self)
        XCTAssertTrue(result.floodConnack.hasPrefix("20"), "flooder CONNACK \(result.floodConnack)")
        XCTAssertEqual(result.q1, (0..<200).map(String.init), "every QoS 1 message, once, in order")
        XCTAssertEqual(result.q1QoS, [1])
        XCTAssertLessThanOrEqual(result.q0Count, 2000, "more QoS 0 messages than were published")
        XCTAssertEqual(result.q0Unique, result.q0Count, "QoS 0 messages must never be duplicated")
        assertBrokerAlive(broker, "the flood")
    }
}
