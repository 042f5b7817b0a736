import Foundation
import XCTest

/// Persistent sessions: offline queueing (the "SMS" behaviour), Session Present, clean session, 5.0 session and
/// message expiry, `--max-queued-messages`, and `--refuse-subscribe`.
final class BrokerInteropSessionTests: BrokerInteropTestCase {
    // MARK: - Offline queue ("SMS")

    func testPersistentSessionReceivesMessagesQueuedWhileOffline_v311() throws { try runSMS(.v311) }
    func testPersistentSessionReceivesMessagesQueuedWhileOffline_v5() throws { try runSMS(.v5) }

    /// `mosquitto_sub -c -i ana -q 1` subscribes and leaves; three QoS 1 messages are published while ana is offline;
    /// when ana comes back with the same id she gets all three, in order [MQTT-3.1.2-4, -5 (3.1.1) /
    /// MQTT-3.1.2-5, -23 (5.0)] [MQTT-4.6.0-6 (3.1.1) / MQTT-4.6.0-5 (5.0)]. (No "not sent again" check here:
    /// `mosquitto_sub -C` may disconnect before its last PUBACK, and then a re-send is correct [MQTT-4.4.0-1].)
    private func runSMS(_ version: WireVersion) throws {
        let broker = try startBroker()
        let clients = try mosquitto(broker, version)
        try clients.sub(["-t", "sms/#", "-q", "1", "-c", "-i", "ana", "-E"])
        for number in 1...3 {
            try clients.pub(["-t", "sms/ana", "-m", "sms \(number)", "-q", "1", "-i", "sender-\(number)"])
        }
        let back = try subscribeAndCollect(clients, ["-t", "sms/#", "-q", "1", "-c", "-i", "ana", "-C", "3", "-W", "5"])
        XCTAssertEqual(back.status, 0, "ana did not get 3 messages")
        XCTAssertEqual(back.messages, (1...3).map { SubLine(topic: "sms/ana", qos: 1, retain: false, payload: "sms \($0)") })
    }

    func testCleanSessionDiscardsQueuedMessages_v311() throws { try runCleanDiscards(.v311) }
    func testCleanStartDiscardsQueuedMessages_v5() throws { try runCleanDiscards(.v5) }

    /// A clean-session connection with ana's id throws her stored session and its queue away
    /// [MQTT-3.1.2-6 (3.1.1) / MQTT-3.1.2-4 (5.0)] [MQTT-3.1.4-3 (3.1.1) / MQTT-3.1.4-4 (5.0)].
    private func runCleanDiscards(_ version: WireVersion) throws {
        let broker = try startBroker()
        let clients = try mosquitto(broker, version)
        try clients.sub(["-t", "sms/#", "-q", "1", "-c", "-i", "bea", "-E"])
        for number in 1...2 {
            try clients.pub(["-t", "sms/bea", "-m", "lost \(number)", "-q", "1", "-i", "sender-\(number)"])
        }
        let clean = try subscribeAndCollect(clients, ["-t", "sms/#", "-q", "1", "-i", "bea", "-C", "1", "-W", "1"])
        XCTAssertEqual(clean.messages, [], "a clean session must not receive the old session's queue")
    }

    // MARK: - Session Present

    func testSessionPresentFlag_v311() throws { try runSessionPresent(.v311) }
    func testSessionPresentFlag_v5() throws { try runSessionPresent(.v5) }

    private struct SessionPresentResult: Decodable {
        var first: PahoConnack
        var resumed: PahoConnack
        var resumedMessages: [PahoMessage]
        var again: PahoConnack
        var againMessages: [PahoMessage]
        var clean: PahoConnack
        var afterClean: PahoConnack
        var afterCleanMessages: [PahoMessage]
    }

    /// Session Present: 0 without a stored session, 1 when it is resumed (with its subscriptions, and without the
    /// messages it already acknowledged), 0 for a clean session, and 0 again after the clean session ended
    /// [MQTT-3.2.2-1..-3 (3.1.1) / MQTT-3.2.2-2, -3 (5.0)] [MQTT-3.1.2-6 (3.1.1) / MQTT-3.1.2-4 (5.0)].
    private func runSessionPresent(_ version: WireVersion) throws {
        let broker = try startBroker()
        let result = try paho(broker).run(#"""
def persistent(name):
    if V5:
        return LabClient(name, clean=False, properties=props(PacketTypes.CONNECT, SessionExpiryInterval=300))
    return LabClient(name, clean=False)

def scenario():
    pub = LabClient("sp-pub")
    first = persistent("sp")
    first.subscribe("sp/t", qos=1)
    first.disconnect()
    resumed = persistent("sp")
    pub.publish("sp/t", "to the resumed session", qos=1)
    resumed.wait_messages(1)
    resumed.disconnect()
    again = persistent("sp")
    again_messages = again.collect(0.4)
    again.disconnect()
    clean = LabClient("sp", clean=True)
    clean.disconnect()
    after = persistent("sp")
    pub.publish("sp/t", "nobody subscribed", qos=1)
    return {"first": first.connack, "resumed": resumed.connack, "resumedMessages": resumed.received(),
            "again": again.connack, "againMessages": again_messages, "clean": clean.connack, "afterClean": after.connack, "afterCleanMessages": after.collect(0.4)}
"""#, version: version, as: SessionPresentResult.self)
        XCTAssertEqual(result.first.rc, 0)
        XCTAssertFalse(result.first.sessionPresent, "no stored session yet")
        XCTAssertTrue(result.resumed.sessionPresent, "the stored session is resumed")
        XCTAssertEqual(result.resumedMessages.map(\.payload), ["to the resumed session"], "subscriptions are session state")
        XCTAssertTrue(result.again.sessionPresent, "still the same stored session")
        XCTAssertEqual(result.againMessages, [], "an acknowledged message must not be delivered again")
        XCTAssertFalse(result.clean.sessionPresent, "clean session")
        XCTAssertFalse(result.afterClean.sessionPresent, "the clean session replaced and ended the stored one")
        XCTAssertEqual(result.afterCleanMessages, [], "the old subscription is gone")
    }

    // MARK: - 5.0 session expiry and message expiry

    private struct ExpiryResult: Decodable {
        var short: PahoConnack
        var shortMessages: [PahoMessage]
        var long: PahoConnack
        var longMessages: [PahoMessage]
        var zero: PahoConnack
    }

    /// Session Expiry Interval 1 s: gone 2.5 s after the disconnect [MQTT-3.1.2-23] [MQTT-4.1.0-2]; 60 s: kept, with
    /// its queue; 0 (absent): ends with the connection. In the kept queue, a message whose Message Expiry Interval
    /// (1 s) passed is dropped [MQTT-3.3.2-5] and the other one arrives with its remaining lifetime [MQTT-3.3.2-6].
    func testSessionAndMessageExpiry_v5() throws {
        let broker = try startBroker()
        let result = try paho(broker).run(#"""
def session(name, expiry, clean):
    p = props(PacketTypes.CONNECT, SessionExpiryInterval=expiry) if expiry else None
    return LabClient(name, clean=clean, properties=p)

def scenario():
    for name, expiry in (("exp-short", 1), ("exp-long", 60), ("exp-zero", 0)):
        c = session(name, expiry, True)
        c.subscribe("exp/#", qos=1)
        c.disconnect()
    pub = LabClient("exp-pub")
    pub.publish("exp/old", "expires", qos=1, properties=props(PacketTypes.PUBLISH, MessageExpiryInterval=1))
    pub.publish("exp/keep", "stays", qos=1, properties=props(PacketTypes.PUBLISH, MessageExpiryInterval=60))
    time.sleep(2.5)
    pub.publish("exp/new", "while offline", qos=1)
    short = session("exp-short", 1, False)
    long = session("exp-long", 60, False)
    zero = session("exp-zero", 0, False)
    long.wait_messages(2)
    time.sleep(0.3)
    return {"short": short.connack, "shortMessages": short.received(), "long": long.connack,
            "longMessages": long.received(), "zero": zero.connack}
"""#, version: .v5, as: ExpiryResult.self)
        XCTAssertFalse(result.short.sessionPresent, "the 1 s session should have expired")
        XCTAssertEqual(result.shortMessages, [])
        XCTAssertTrue(result.long.sessionPresent, "the 60 s session should still exist")
        XCTAssertEqual(result.long.rc, 0)
        XCTAssertEqual(result.longMessages.map(\.payload), ["stays", "while offline"], "the expired message must be dropped")
        if let stays = result.longMessages.first(where: { $0.payload == "stays" }) {
            let remaining = stays.properties.messageExpiryInterval ?? -1
            XCTAssertTrue((50...58).contains(remaining), "Message Expiry Interval should be 60 minus the ~3 s it waited, got \(remaining)")
        }
        XCTAssertNil(result.longMessages.last?.properties.messageExpiryInterval, "no expiry added to a message without one")
        XCTAssertFalse(result.zero.sessionPresent, "Session Expiry 0 ends the session with the connection")
    }

    // MARK: - --max-queued-messages

    func testMaxQueuedMessagesKeepsOnlyTwo_v311() throws { try runMaxQueued(.v311) }
    func testMaxQueuedMessagesKeepsOnlyTwo_v5() throws { try runMaxQueued(.v5) }

    /// `--max-queued-messages 2`: of five QoS 1 messages queued for an offline persistent session only two arrive
    /// (Mosquitto's `max_queued_messages`: the first two are kept, later ones dropped).
    private func runMaxQueued(_ version: WireVersion) throws {
        let broker = try startBroker(["--max-queued-messages", "2"])
        let clients = try mosquitto(broker, version)
        try clients.sub(["-t", "q/#", "-q", "1", "-c", "-i", "ana", "-E"])
        for number in 1...5 {
            try clients.pub(["-t", "q/ana", "-m", "m\(number)", "-q", "1", "-i", "q-sender-\(number)"])
        }
        let back = try subscribeAndCollect(clients, ["-t", "q/#", "-q", "1", "-c", "-i", "ana", "-C", "5", "-W", "2"])
        XCTAssertEqual(back.messages.map(\.payload), ["m1", "m2"], "only 2 of 5 queued messages may arrive")
    }

    // MARK: - --refuse-subscribe

    func testRefusedSubscriptionGetsFailureCode_v311() throws { try runRefused(.v311) }
    func testRefusedSubscriptionGetsFailureCode_v5() throws { try runRefused(.v5) }

    /// `--refuse-subscribe 'secreto/#'`: filters it matches get SUBACK 0x80 (in both versions), the others their QoS
    /// [MQTT-3.8.4-5 (3.1.1) / MQTT-3.8.4-6, -7 (5.0)] [MQTT-3.9.3-1]; a refused subscription receives nothing.
    private func runRefused(_ version: WireVersion) throws {
        try XCTSkipIf(MQTTLabBrokerProcess.referenceMode, "mqttlab-only option")
        let broker = try startBroker(["--refuse-subscribe", "secreto/#"])
        let subscriber = try wire(broker, version)
        try subscriber.connect(clientID: "curious")
        let codes = try subscriber.subscribe([("secreto/#", 1), ("publico/#", 1), ("secreto/planes", 0)])
        XCTAssertEqual(codes, [0x80, 0x01, 0x80], "SUBACK codes")
        let publisher = try wire(broker, version)
        try publisher.connect(clientID: "leaker")
        try publisher.send(BrokerWire.publish(version, topic: "secreto/planes", payload: Array("hidden".utf8), qos: 1, id: 1))
        _ = try publisher.expect(4, "PUBACK 1")
        try publisher.send(BrokerWire.publish(version, topic: "publico/news", payload: Array("open".utf8), qos: 1, id: 2))
        _ = try publisher.expect(4, "PUBACK 2")
        let received = try subscriber.publishes(quiet: 0.5)
        XCTAssertEqual(received.map(\.topic), ["publico/news"], "\(received)")
    }
}
