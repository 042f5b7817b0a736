import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The will message: published when the connection ends without a (normal) DISCONNECT, never after one.
final class BrokerInteropWillTests: BrokerInteropTestCase {
    // MARK: - kill -9

    func testWillPublishedWhenClientIsKilled_v311() throws { try runKilled(.v311) }
    func testWillPublishedWhenClientIsKilled_v5() throws { try runKilled(.v5) }

    /// A mosquitto_sub with a QoS 1 retained will is killed with SIGKILL (no DISCONNECT): the will is published
    /// [MQTT-3.1.2-8] at its QoS [MQTT-3.1.2-16 (3.1.1) / MQTT-3.1.2-14 (5.0)] and stored as retained
    /// [MQTT-3.1.2-17 (3.1.1) / MQTT-3.1.2-15 (5.0)].
    private func runKilled(_ version: WireVersion) throws {
        let broker = try startBroker()
        let clients = try mosquitto(broker, version)
        let watcher = try startSubscriber(broker, version, clientID: "will-watch", ["-t", "will/#", "-q", "2", "-C", "1", "-W", "10"])
        let doomed = try startSubscriber(broker, version, clientID: "willer", [
            "-t", "will/alive", "-k", "60",
            "--will-topic", "will/gone", "--will-payload", "gone", "--will-qos", "1", "--will-retain",
        ])
        doomed.process.stop(signal: SIGKILL, grace: 2)
        XCTAssertEqual(watcher.waitForExit(), 0, "no will arrived: \(watcher.process.stdout)")
        XCTAssertEqual(watcher.messages, [SubLine(topic: "will/gone", qos: 1, retain: false, payload: "gone")])
        let late = try subscribeAndCollect(clients, ["-t", "will/gone", "-q", "1", "-C", "1", "-W", "5", "-i", "will-late"])
        XCTAssertEqual(late.messages, [SubLine(topic: "will/gone", qos: 1, retain: true, payload: "gone")], "will retain")
    }

    // MARK: - paho: normal DISCONNECT vs. a dropped socket

    private struct WillResult: Decodable {
        var received: [PahoMessage]
    }

    private static let willScenario = #"""
def scenario():
    watcher = LabClient("will-watcher")
    watcher.subscribe("wp/#", qos=2)
    will = {"topic": "wp/will", "payload": b"\x00will\xff", "qos": 1}
    if V5 and ARGS["mode"] == "reason4":
        will["properties"] = props(PacketTypes.WILLMESSAGE, ContentType="text/plain",
                                   UserProperty=[("why", "gone"), ("a", "1")])
    doomed = LabClient("will-doomed", will=will)
    if ARGS["mode"] == "disconnect":
        doomed.disconnect()
    elif ARGS["mode"] == "disconnect0":
        doomed.disconnect(reason=0)
    elif ARGS["mode"] == "reason4":
        doomed.disconnect(reason=4)
    else:
        doomed.drop()
    if ARGS["expectWill"]:
        watcher.wait_messages(1)
    time.sleep(0.3)
    LabClient("will-sentinel").publish("wp/sentinel", "sentinel", qos=1)
    watcher.wait(lambda: any(m["topic"] == "wp/sentinel" for m in watcher.messages), "sentinel")
    return {"received": watcher.collect(0.2)}
"""#

    private func runWill(_ version: WireVersion, mode: String, expectWill: Bool) throws -> [PahoMessage] {
        let broker = try startBroker()
        return try paho(broker).run(
            Self.willScenario, version: version, parameters: ["mode": mode, "expectWill": expectWill], as: WillResult.self
        ).received
    }

    func testWillNotPublishedAfterNormalDisconnect_v311() throws {
        XCTAssertEqual(try runWill(.v311, mode: "disconnect", expectWill: false).map(\.topic), ["wp/sentinel"],
                       "DISCONNECT discards the will [MQTT-3.14.4-3]")
    }

    func testWillNotPublishedAfterNormalDisconnect_v5() throws {
        XCTAssertEqual(try runWill(.v5, mode: "disconnect0", expectWill: false).map(\.topic), ["wp/sentinel"],
                       "DISCONNECT 0x00 discards the will [MQTT-3.14.4-3]")
    }

    func testWillPublishedWhenSocketClosedWithoutDisconnect_v311() throws { try assertDroppedWill(.v311) }
    func testWillPublishedWhenSocketClosedWithoutDisconnect_v5() throws { try assertDroppedWill(.v5) }

    /// The TCP connection ends without DISCONNECT: the will (binary payload, QoS 1) is published [MQTT-3.1.2-8].
    private func assertDroppedWill(_ version: WireVersion) throws {
        let received = try runWill(version, mode: "drop", expectWill: true)
        XCTAssertEqual(received.map(\.topic), ["wp/will", "wp/sentinel"], "\(received)")
        XCTAssertEqual(received.first?.hex, "0077696c6cff")
        XCTAssertEqual(received.first?.qos, 1)
        XCTAssertEqual(received.first?.retain, false)
    }

    /// 5.0 DISCONNECT with reason 0x04 (Disconnect with Will Message) publishes the will [MQTT-3.1.2-8 (5.0)], with
    /// its properties: content type and user properties in order [MQTT-3.1.3-10].
    func testDisconnectWithWillMessageReasonPublishesWill_v5() throws {
        let received = try runWill(.v5, mode: "reason4", expectWill: true)
        XCTAssertEqual(received.map(\.topic), ["wp/will", "wp/sentinel"], "\(received)")
        XCTAssertEqual(received.first?.hex, "0077696c6cff")
        XCTAssertEqual(received.first?.properties.contentType, "text/plain")
        XCTAssertEqual(received.first?.properties.userProperty, [["why", "gone"], ["a", "1"]])
    }

    // MARK: - Keep alive expiry

    func testKeepAliveExpiryClosesAndPublishesWill_v311() throws { try runKeepAlive(.v311) }
    func testKeepAliveExpiryClosesAndPublishesWill_v5() throws { try runKeepAlive(.v5) }

    /// Two raw clients with keep alive 2 s and a will: one goes silent, one sends PINGREQ every 0.8 s. The silent one is
    /// disconnected once 1.5 × keep alive = 3 s pass without a packet, and its will is published
    /// [MQTT-3.1.2-24 (3.1.1) / MQTT-3.1.2-22 (5.0)] (5.0: a DISCONNECT before the close may only be 0x8D). The other
    /// stays connected: any packet resets the timer, and every PINGREQ gets a PINGRESP [MQTT-3.12.4-1].
    private func runKeepAlive(_ version: WireVersion) throws {
        let broker = try startBroker()
        let watcher = try wire(broker, version)
        try watcher.connect(clientID: "ka-watch")
        XCTAssertEqual(try watcher.subscribe([("ka/#", 1)]), [0x01])

        let silent = try wire(broker, version)
        try silent.connect(clientID: "ka-silent", keepAlive: 2, will: .init(topic: "ka/will", payload: Array("silent died".utf8), qos: 1))
        let start = Date()
        let pinger = try wire(broker, version)
        try pinger.connect(clientID: "ka-pinger", keepAlive: 2, will: .init(topic: "ka/will", payload: Array("pinger died".utf8), qos: 1))

        var wills: [(seconds: Double, payload: String)] = []
        var lastPing = Date()
        // Watch for 4.6 s (the pinger must survive that), longer if the will is late, so lateness shows as such.
        while Date().timeIntervalSince(start) < 4.6 || (wills.isEmpty && Date().timeIntervalSince(start) < 6.5) {
            if Date().timeIntervalSince(lastPing) >= 0.8 {
                try pinger.send(BrokerWire.pingreq)
                XCTAssertEqual(try pinger.expect(13, "pinger PINGREQ at \(Date().timeIntervalSince(start)) s").bytes, [0xD0, 0x00])
                lastPing = Date()
            }
            if let publish = try watcher.nextPublish(timeout: 0.1) {
                wills.append((Date().timeIntervalSince(start), publish.text))
            }
        }
        XCTAssertEqual(wills.map(\.payload), ["silent died"], "only the silent client's will")
        if let seconds = wills.first?.seconds {
            XCTAssertGreaterThanOrEqual(seconds, 2.8, "disconnected before 1.5 × keep alive (3 s)")
            XCTAssertLessThanOrEqual(seconds, 4.5, "disconnected too late after 1.5 × keep alive (3 s)")
        }
        let end = try silent.collectUntilClose(timeout: 1)
        XCTAssertTrue(end.closed, "the silent connection must be closed")
        if version == .v311 {
            XCTAssertTrue(end.packets.isEmpty, "\(end.packets)")
        } else {
            XCTAssertTrue(end.packets.allSatisfy { $0.disconnectReason == 0x8D }, "only DISCONNECT 0x8D (Keep Alive timeout) may precede the close: \(end.packets)")
        }
    }
}
