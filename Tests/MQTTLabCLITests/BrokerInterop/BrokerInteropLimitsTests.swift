import Foundation
import XCTest

/// Configuration-file features checked with Mosquitto's clients: several listeners sharing one broker, and
/// `message_size_limit`. With MQTTLAB_BROKERINTEROP_REFERENCE=mosquitto the same tests run against Mosquitto.
final class BrokerInteropLimitsTests: BrokerInteropTestCase {
    private func configFile(_ lines: [String]) throws -> String {
        let url = try directory().appendingPathComponent(nextLabel("limits") + ".conf")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Two `listener` lines: the banner names both, and a subscriber on the second port receives what a
    /// publisher on the first sends (one broker, one set of subscriptions).
    func testTwoListenersFromAConfigFileShareSubscriptions() throws {
        let second = try InteropTools.freePort()
        // -p 0 (added by startBroker) replaces the first listener's port; the second opens as written.
        let config = try configFile(["listener 1883 127.0.0.1", "listener \(second) 127.0.0.1"])
        let broker = try startBroker(["-c", config])
        if !broker.isReference {
            XCTAssertTrue(broker.banner.contains("127.0.0.1:\(broker.port), 127.0.0.1:\(second)"), broker.banner)
        }
        let onFirst = try mosquitto(broker, .v311)
        let subscriber = try startSubscriber(broker, .v311, clientID: "second-port-sub", ["-t", "lst/#", "-q", "1", "-C", "1", "-W", "8"],
                                             port: second)
        try onFirst.pub(["-t", "lst/a", "-m", "across", "-q", "1", "-i", "first-port-pub"])
        XCTAssertEqual(subscriber.waitForExit(), 0, subscriber.process.stdout)
        XCTAssertEqual(subscriber.messages, [SubLine(topic: "lst/a", qos: 1, retain: false, payload: "across")])
    }

    func testMessageSizeLimitDropsLargerPayloads_v311() throws { try runMessageSizeLimit(.v311) }
    func testMessageSizeLimitDropsLargerPayloads_v5() throws { try runMessageSizeLimit(.v5) }

    /// `message_size_limit 5`: a 6-byte payload is acknowledged but never delivered; 5 bytes pass.
    private func runMessageSizeLimit(_ version: WireVersion) throws {
        let broker = try startBroker(["-c", try configFile(["message_size_limit 5"])])
        let clients = try mosquitto(broker, version)
        let subscriber = try startSubscriber(broker, version, clientID: "msl-sub", ["-t", "msl/#", "-q", "1", "-C", "2", "-W", "8"])
        for qos in ["0", "1", "2"] {
            _ = try clients.pub(["-t", "msl/big", "-m", "123456", "-q", qos, "-i", "msl-big-\(qos)"], expectFailure: true)
        }
        try clients.pub(["-t", "msl/ok", "-m", "12345", "-q", "1", "-i", "msl-ok"])
        try clients.pub(["-t", "msl/end", "-m", "end", "-q", "1", "-i", "msl-end"])
        XCTAssertEqual(subscriber.waitForExit(), 0, subscriber.process.stdout)
        XCTAssertEqual(subscriber.messages, [
            SubLine(topic: "msl/ok", qos: 1, retain: false, payload: "12345"),
            SubLine(topic: "msl/end", qos: 1, retain: false, payload: "end"),
        ])
        assertBrokerAlive(broker, "after oversized publishes")
    }
}

/// A well-formed packet that breaks a rule: the 5.0 DISCONNECT's Reason String and the trace both name the
/// rule with its spec id, in the trace's language.
final class BrokerInteropProtocolRuleTests: BrokerInteropTestCase {
    func testSecondConnectIsExplainedOnTheWireAndInTheTrace_es() throws {
        try XCTSkipIf(MQTTLabBrokerProcess.referenceMode, "mqttlab's trace and Reason String")
        let broker = try startBroker(["--trace", "summary", "--lang", "es"])
        let client = try wire(broker, .v5)
        try client.connect(clientID: "twice")
        try client.send(BrokerWire.connect(.v5, clientID: "twice", clean: true, keepAlive: 60, will: nil, properties: []))
        let disconnect = try client.expect(14, "DISCONNECT after a second CONNECT")
        XCTAssertEqual(disconnect.body.first, 0x82, "Protocol Error")
        let text = String(decoding: disconnect.body, as: UTF8.self)
        XCTAssertTrue(text.contains("a second CONNECT on a connection that is already connected [MQTT-3.1.0-2]"), text)
        XCTAssertTrue(eventually(timeout: 3) {
            broker.stdout.contains("cerrada por no cumplir el protocolo: un segundo CONNECT en una conexión que ya está conectada [MQTT-3.1.0-2]")
        }, broker.outputTail())
    }
}
