import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starting and stopping the broker; CONNECT / CONNACK / PINGREQ / DISCONNECT; client identifiers; protocol level;
/// session take-over; keep-alive limits.
final class BrokerInteropConnectTests: BrokerInteropTestCase {
    // MARK: - Process contract

    /// The banner is the first stdout line; `--bind` is accepted; SIGINT ends the broker with status 0.
    func testBannerPortAndCleanExitOnSIGINT() throws {
        let broker = try startBroker(["--bind", "127.0.0.1"])
        if !broker.isReference {
            let pattern = #"^mqttlab broker 0\.1 · MQTT 3\.1\.1 and 5\.0 · listening on 127\.0\.0\.1:(\d+) · trace: off$"#
            XCTAssertNotNil(broker.banner.range(of: pattern, options: .regularExpression), "banner: \(broker.banner)")
        }
        XCTAssertTrue(InteropTools.canConnect(port: broker.port), "nothing accepts connections on \(broker.port)")
        let outcome = broker.stop(signal: SIGINT)
        XCTAssertTrue(outcome.isClean, "\(outcome)\n\(broker.outputTail())")
    }

    /// `--trace summary`: same banner with `trace: summary`, the broker still routes, and the trace names the clients.
    func testTraceSummaryStillRoutesAndNamesClients() throws {
        try XCTSkipIf(MQTTLabBrokerProcess.referenceMode, "mqttlab-only feature")
        let broker = try startBroker(["--trace", "summary"])
        XCTAssertTrue(broker.banner.contains("trace: summary"), "banner: \(broker.banner)")
        let clients = try mosquitto(broker, .v311)
        let subscriber = try startSubscriber(broker, .v311, clientID: "tracer-sub", ["-t", "trace/#", "-q", "1", "-C", "1", "-W", "8"])
        try clients.pub(["-t", "trace/t", "-m", "traced", "-q", "1", "-i", "tracer-pub"])
        XCTAssertEqual(subscriber.waitForExit(), 0, subscriber.process.stdout)
        XCTAssertEqual(subscriber.messages, [SubLine(topic: "trace/t", qos: 1, retain: false, payload: "traced")])
        XCTAssertTrue(eventually(timeout: 3) { broker.stdout.contains("tracer-pub") && broker.stdout.contains("tracer-sub") },
                      "the summary trace should name both clients\n\(broker.outputTail())")
    }

    // MARK: - CONNECT, PINGREQ, DISCONNECT

    func testConnectPingDisconnect_v311() throws { try runConnectPingDisconnect(.v311) }
    func testConnectPingDisconnect_v5() throws { try runConnectPingDisconnect(.v5) }

    /// CONNACK first and accepted [MQTT-3.2.0-1] [MQTT-3.1.4-4 (3.1.1) / MQTT-3.1.4-5 (5.0)], Session Present 0 for a
    /// clean session [MQTT-3.2.2-1 (3.1.1) / MQTT-3.2.2-2 (5.0)]; PINGREQ → PINGRESP [MQTT-3.12.4-1]; after DISCONNECT
    /// the broker closes the connection and sends nothing more; a real client connects and disconnects cleanly.
    private func runConnectPingDisconnect(_ version: WireVersion) throws {
        let broker = try startBroker()
        let client = try wire(broker, version)
        let connack = try client.connect(clientID: "hello-\(version.rawValue)")
        if version == .v311 {
            XCTAssertEqual(connack.raw.bytes, [0x20, 0x02, 0x00, 0x00], "\(connack)")
        } else {
            XCTAssertEqual(connack.raw.firstByte, 0x20)
            XCTAssertEqual(connack.raw.body.first, 0x00, "acknowledge flags (reserved bits 0, session present 0) [MQTT-3.2.2-1]")
            XCTAssertEqual(connack.code, 0x00, "\(connack)")
            XCTAssertNil(connack.property(0x12), "no Assigned Client Identifier when the client gave one")
        }
        try client.send(BrokerWire.pingreq)
        XCTAssertEqual(try client.expect(13, "PINGREQ").bytes, [0xD0, 0x00])
        try client.send(BrokerWire.disconnect)
        let end = try client.collectUntilClose(timeout: 3)
        XCTAssertTrue(end.closed, "the broker should close the connection after DISCONNECT")
        XCTAssertTrue(end.packets.isEmpty, "nothing may follow the client's DISCONNECT: \(end.packets)")

        let clients = try mosquitto(broker, version)
        let outcome = try clients.pub(["-t", "hello/t", "-m", "hi", "-q", "1", "-i", "hello-pub"])
        XCTAssertEqual(outcome.status, 0)
    }

    // MARK: - Client identifiers

    /// Zero-length id + clean session: accepted with a broker-made unique id [MQTT-3.1.3-6]; two such clients coexist.
    func testEmptyClientIDWithCleanSessionIsAccepted_v311() throws {
        let broker = try startBroker()
        let first = try wire(broker, .v311)
        XCTAssertEqual(try first.connect(clientID: "").raw.bytes, [0x20, 0x02, 0x00, 0x00])
        let second = try wire(broker, .v311)
        XCTAssertEqual(try second.connect(clientID: "").raw.bytes, [0x20, 0x02, 0x00, 0x00])
        XCTAssertEqual(try first.subscribe([("empty/id", 1)]), [0x01], "the anonymous session is usable")
        try first.send(BrokerWire.pingreq)
        XCTAssertEqual(try first.expect(13, "first anonymous client must not have been taken over").bytes, [0xD0, 0x00])
    }

    /// Zero-length id with CleanSession=0: CONNACK 0x02 (identifier rejected) [MQTT-3.1.3-8], Session Present 0
    /// [MQTT-3.2.2-4], then close [MQTT-3.2.2-5].
    func testEmptyClientIDWithoutCleanSessionIsRefused_v311() throws {
        let broker = try startBroker()
        let client = try wire(broker, .v311)
        try client.send(BrokerWire.connect(.v311, clientID: "", clean: false))
        let end = try client.collectUntilClose(timeout: 3)
        XCTAssertEqual(end.packets.map(\.bytes), [[0x20, 0x02, 0x00, 0x02]])
        XCTAssertTrue(end.closed, "the broker must close after a refusing CONNACK")
    }

    /// 5.0: zero-length id (even with Clean Start 0) is accepted with a new session and the broker returns the id it
    /// assigned [MQTT-3.1.3-6] [MQTT-3.1.3-7] [MQTT-3.2.2-16], unique per client.
    func testEmptyClientIDGetsAssignedIdentifier_v5() throws {
        let broker = try startBroker()
        var assigned: [String] = []
        for clean in [false, true] {
            let client = try wire(broker, .v5)
            let connack = try client.connect(clientID: "", clean: clean)
            XCTAssertEqual(connack.code, 0x00, "\(connack)")
            XCTAssertFalse(connack.sessionPresent, "an assigned id never has a stored session")
            guard case .string(let id)? = connack.property(0x12) else {
                XCTFail("CONNACK lacks Assigned Client Identifier (0x12): \(connack)")
                continue
            }
            XCTAssertFalse(id.isEmpty)
            assigned.append(id)
        }
        XCTAssertEqual(Set(assigned).count, assigned.count, "assigned ids must be unique: \(assigned)")
    }

    // MARK: - Protocol level

    /// A CONNECT with protocol name MQTT and an unsupported level gets the 3.1.1-format CONNACK `20 02 00 01`, then
    /// the connection is closed [MQTT-3.1.2-2] (pitfall §10.9: never a 5.0-format answer); the broker keeps serving.
    func testUnsupportedProtocolLevelGetsReturnCode1ThenClose() throws {
        let broker = try startBroker()
        for level: UInt8 in [6, 2] {
            let client = try wire(broker, .v311)
            try client.send(BrokerWire.connect(.v311, clientID: "level\(level)", level: level))
            let end = try client.collectUntilClose(timeout: 3)
            XCTAssertEqual(end.packets.map(\.bytes), [[0x20, 0x02, 0x00, 0x01]], "level \(level)")
            XCTAssertTrue(end.closed, "level \(level): the broker must close the connection")
        }
        let good = try wire(broker, .v311)
        XCTAssertEqual(try good.connect(clientID: "level4").code, 0x00)
    }

    // MARK: - Session take-over

    func testSessionTakeoverClosesOlderConnection_v311() throws { try runTakeover(.v311) }
    func testSessionTakeoverClosesOlderConnection_v5() throws { try runTakeover(.v5) }

    /// A second connection with the same client id takes over: the older one is closed [MQTT-3.1.4-2 (3.1.1)];
    /// 5.0 first sends it DISCONNECT 0x8E (Session taken over) [MQTT-3.1.4-3 (5.0)]. The new one keeps working.
    private func runTakeover(_ version: WireVersion) throws {
        let broker = try startBroker()
        let older = try wire(broker, version)
        XCTAssertEqual(try older.connect(clientID: "twin").code, 0x00)
        let newer = try wire(broker, version)
        XCTAssertEqual(try newer.connect(clientID: "twin").code, 0x00)
        let end = try older.collectUntilClose(timeout: 3)
        XCTAssertTrue(end.closed, "the older connection must be closed")
        if version == .v311 {
            XCTAssertTrue(end.packets.isEmpty, "3.1.1 has no server DISCONNECT: \(end.packets)")
        } else {
            XCTAssertEqual(end.packets.map(\.firstByte), [0xE0], "\(end.packets)")
            XCTAssertEqual(end.packets.first?.disconnectReason, 0x8E, "\(end.packets)")
        }
        try newer.send(BrokerWire.pingreq)
        XCTAssertEqual(try newer.expect(13, "the newer connection").bytes, [0xD0, 0x00])
    }

    // MARK: - Connection limit

    /// `--max-connections 2` (Mosquitto's `max_connections`): a third connection is closed without being accepted
    /// (no success CONNACK; at most a refusing one); once a client leaves, a new one gets in.
    func testMaxConnectionsRefusesTheConnectionOverTheLimit() throws {
        let broker = try startBroker(["--max-connections", "2"])
        let first = try wire(broker, .v311)
        XCTAssertEqual(try first.connect(clientID: "mc-1").code, 0x00)
        let second = try wire(broker, .v311)
        XCTAssertEqual(try second.connect(clientID: "mc-2").code, 0x00)
        let third = try wire(broker, .v311)
        try? third.send(BrokerWire.connect(.v311, clientID: "mc-3"))  // may fail: the broker can close at once
        let end = try third.collectUntilClose(timeout: 3)
        XCTAssertTrue(end.closed, "the connection over the limit must be closed")
        XCTAssertFalse(end.packets.contains { $0.type == 2 && $0.body.count >= 2 && $0.body[1] == 0x00 },
                       "the connection over the limit must not be accepted: \(end.packets)")
        try first.send(BrokerWire.disconnect)
        XCTAssertTrue(try first.collectUntilClose(timeout: 3).closed)
        var accepted = false
        for attempt in 1...10 where !accepted {
            let next = try wire(broker, .v311)
            try? next.send(BrokerWire.connect(.v311, clientID: "mc-4-\(attempt)"))
            if case .packet(let packet)? = try? next.next(timeout: 1), packet.bytes == [0x20, 0x02, 0x00, 0x00] {
                accepted = true
            } else {
                usleep(100_000)
            }
        }
        XCTAssertTrue(accepted, "a client should get in once another one left")
    }

    // MARK: - Keep alive limits

    /// `--max-keepalive 10`: a 5.0 client asking 60 s (or 0) is told Server Keep Alive 10 [MQTT-3.2.2-21]
    /// [MQTT-3.2.2-22]; a 3.1.1 client asking 60 s or 0 is still accepted with 0x00, never 0x02 (pitfall §10.5).
    func testMaxKeepAliveIsAnnouncedOrTolerated() throws {
        let broker = try startBroker(["--max-keepalive", "10"])
        for keepAlive in [60, 0] {
            let v5 = try wire(broker, .v5)
            let connack = try v5.connect(clientID: "ka5-\(keepAlive)", keepAlive: keepAlive)
            XCTAssertEqual(connack.code, 0x00, "\(connack)")
            XCTAssertEqual(connack.property(0x13), .integer(10), "Server Keep Alive for keep alive \(keepAlive): \(connack)")
            let v311 = try wire(broker, .v311)
            XCTAssertEqual(try v311.connect(clientID: "ka4-\(keepAlive)", keepAlive: keepAlive).raw.bytes, [0x20, 0x02, 0x00, 0x00],
                           "3.1.1 keep alive \(keepAlive)")
        }
    }
}
