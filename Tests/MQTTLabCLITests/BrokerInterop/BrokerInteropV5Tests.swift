import Foundation
import XCTest

/// MQTT 5.0 features end to end: PUBLISH properties forwarded, Subscription Identifiers, No Local, topic aliases
/// from the client.
final class BrokerInteropV5Tests: BrokerInteropTestCase {
    private struct PropertiesResult: Decodable {
        var v5: [PahoMessage]
        var v311: [PahoMessage]
    }

    /// Payload Format Indicator, Content Type, Response Topic, Correlation Data and every User Property (in order,
    /// duplicates kept) reach the subscriber unaltered [MQTT-3.3.2-4] [MQTT-3.3.2-15] [MQTT-3.3.2-16] [MQTT-3.3.2-17]
    /// [MQTT-3.3.2-18] [MQTT-3.3.2-20]; Message Expiry Interval is forwarded, reduced by the time spent in the broker
    /// [MQTT-3.3.2-6]; no topic alias is sent to a client that allowed none. A 3.1.1 subscriber gets the same payload.
    func testPublishPropertiesAreForwarded() throws {
        let broker = try startBroker()
        let result = try paho(broker).run(#"""
def scenario():
    sub5 = LabClient("props-sub5")
    sub5.subscribe("props/#", qos=1)
    sub4 = LabClient("props-sub4", version=4)
    sub4.subscribe("props/#", qos=1)
    pub = LabClient("props-pub")
    p = props(PacketTypes.PUBLISH, PayloadFormatIndicator=1, MessageExpiryInterval=120,
              ContentType="application/json", ResponseTopic="props/reply", CorrelationData=b"\x00\x01\xfe\xff",
              UserProperty=[("z", "1"), ("a", "2"), ("z", "3"), ("ñ", "ü")])
    pub.publish("props/a", '{"t":21}', qos=1, properties=p)
    pub.publish("props/plain", "plain", qos=1)
    sub5.wait_messages(2)
    sub4.wait_messages(2)
    return {"v5": sub5.received(), "v311": sub4.received()}
"""#, version: .v5, as: PropertiesResult.self)
        XCTAssertEqual(result.v5.map(\.topic), ["props/a", "props/plain"])
        guard let message = result.v5.first else { return }
        XCTAssertEqual(message.payload, #"{"t":21}"#)
        XCTAssertEqual(message.qos, 1)
        let properties = message.properties
        XCTAssertEqual(properties.payloadFormatIndicator, 1)
        XCTAssertEqual(properties.contentType, "application/json")
        XCTAssertEqual(properties.responseTopic, "props/reply")
        XCTAssertEqual(properties.correlationData, "0001feff")
        XCTAssertEqual(properties.userProperty, [["z", "1"], ["a", "2"], ["z", "3"], ["ñ", "ü"]], "user properties in order")
        let expiry = properties.messageExpiryInterval ?? -1
        XCTAssertTrue((115...120).contains(expiry), "Message Expiry Interval \(expiry)")
        XCTAssertNil(properties.topicAlias, "topic aliases are per connection; this client allowed none")
        XCTAssertNil(properties.subscriptionIdentifier, "no subscription identifier was given")
        XCTAssertEqual(result.v5.last?.properties, PahoProperties(), "a message without properties gets none")
        XCTAssertEqual(result.v311.map(\.payload), [#"{"t":21}"#, "plain"], "a 3.1.1 subscriber gets the payload")
    }

    private struct SubscriptionIDResult: Decodable {
        var granted: [[Int]]
        var received: [PahoMessage]
    }

    /// Subscription Identifiers: a message matching two subscriptions arrives once, carrying both identifiers
    /// [MQTT-3.3.4-2] [MQTT-3.3.4-3] [MQTT-3.3.4-4]; one matching a subscription without an identifier carries none;
    /// re-subscribing without an identifier removes it.
    func testSubscriptionIdentifiers() throws {
        let broker = try startBroker()
        let result = try paho(broker).run(#"""
def scenario():
    sub = LabClient("sid-sub")
    granted = [sub.subscribe("sid/#", qos=1, properties=props(PacketTypes.SUBSCRIBE, SubscriptionIdentifier=7)),
               sub.subscribe("sid/+/x", qos=1, properties=props(PacketTypes.SUBSCRIBE, SubscriptionIdentifier=300)),
               sub.subscribe("other/plain", qos=1)]
    pub = LabClient("sid-pub")
    for topic in ("sid/a/x", "sid/b", "other/plain"):
        pub.publish(topic, topic, qos=1)
    sub.wait_messages(3)
    granted.append(sub.subscribe("sid/#", qos=1))
    pub.publish("sid/b", "sid/b again", qos=1)
    sub.wait_messages(4)
    return {"granted": granted, "received": sub.collect(0.3)}
"""#, version: .v5, as: SubscriptionIDResult.self)
        XCTAssertEqual(result.granted, [[1], [1], [1], [1]])
        XCTAssertEqual(result.received.map(\.payload), ["sid/a/x", "sid/b", "other/plain", "sid/b again"], "one copy each")
        XCTAssertEqual(result.received.map { $0.properties.subscriptionIdentifier?.sorted() ?? [] }, [[7, 300], [7], [], []])
    }

    private struct NoLocalResult: Decodable {
        var local: [PahoMessage]
        var other: [PahoMessage]
    }

    /// No Local: a client never receives its own messages through a No Local subscription [MQTT-3.8.3-3], but
    /// receives everyone else's; a subscriber without No Local receives both.
    func testNoLocal() throws {
        let broker = try startBroker()
        let result = try paho(broker).run(#"""
def scenario():
    local = LabClient("nl-self")
    local.subscribe("nl/#", options=sub_options(qos=1, no_local=True))
    other = LabClient("nl-other")
    other.subscribe("nl/#", qos=1)
    local.publish("nl/self", "from myself", qos=1)
    LabClient("nl-third").publish("nl/third", "from a third client", qos=1)
    other.wait_messages(2)
    local.wait_messages(1)
    time.sleep(0.3)
    return {"local": local.received(), "other": other.received()}
"""#, version: .v5, as: NoLocalResult.self)
        XCTAssertEqual(result.local.map(\.payload), ["from a third client"])
        XCTAssertEqual(result.other.map(\.payload), ["from myself", "from a third client"])
    }

    /// Topic aliases from client to broker: the CONNACK announces Topic Alias Maximum ≥ 1 [MQTT-3.2.2-17]; topic +
    /// alias sets a mapping, empty topic + alias uses it, a new topic re-maps it [MQTT-3.3.2-10..-12]; subscribers get
    /// the real topic and no alias. Errors end the connection with DISCONNECT: alias 0 or above the maximum → 0x94,
    /// an unknown alias with an empty topic → 0x82; mappings die with the connection [MQTT-3.3.2-7].
    func testTopicAliasFromClient() throws {
        let broker = try startBroker()
        let subscriber = try wire(broker, .v5)
        try subscriber.connect(clientID: "ta-sub")
        XCTAssertEqual(try subscriber.subscribe([("ta/#", 1)]), [0x01])

        let publisher = try wire(broker, .v5)
        let connack = try publisher.connect(clientID: "ta-pub")
        guard case .integer(let maximum)? = connack.property(0x22), maximum >= 1 else {
            XCTFail("CONNACK must announce Topic Alias Maximum ≥ 1 to test aliases: \(connack)")
            return
        }
        let alias: (Int) -> [UInt8] = { [0x23] + RawMQTT.u16($0) }
        let sends: [(String, String)] = [("ta/one", "first"), ("", "second"), ("ta/two", "third"), ("", "fourth")]
        for (index, (topic, payload)) in sends.enumerated() {
            try publisher.send(BrokerWire.publish(.v5, topic: topic, payload: Array(payload.utf8), qos: 1, id: index + 1, properties: alias(1)))
            let ack = try publisher.expect(4, "PUBACK for \(payload)")
            XCTAssertEqual(Array(ack.body.prefix(2)), RawMQTT.u16(index + 1))
            XCTAssertTrue(ack.body.count < 3 || ack.body[2] < 0x80, "PUBACK reason for \(payload): \(ack)")
        }
        let received = try subscriber.publishes(quiet: 0.4)
        XCTAssertEqual(received.map(\.topic), ["ta/one", "ta/one", "ta/two", "ta/two"], "\(received)")
        XCTAssertEqual(received.map(\.text), ["first", "second", "third", "fourth"])
        XCTAssertTrue(received.allSatisfy { !$0.properties.contains { $0.id == 0x23 } }, "no alias towards a client that allowed none")

        let cases: [(String, [UInt8], UInt8)] = [
            ("alias 0", BrokerWire.publish(.v5, topic: "ta/zero", payload: [0x30], properties: alias(0)), 0x94),
            ("alias above maximum", BrokerWire.publish(.v5, topic: "ta/big", payload: [0x31], properties: alias(Int(maximum) + 1)), 0x94),
            ("unknown alias, empty topic (new connection: mappings died)", BrokerWire.publish(.v5, topic: "", payload: [0x32], properties: alias(1)), 0x82),
        ]
        for (index, (label, bytes, reason)) in cases.enumerated() {
            let client = try wire(broker, .v5)
            try client.connect(clientID: "ta-bad\(index)")
            try client.send(bytes)
            let end = try client.collectUntilClose(timeout: 3)
            XCTAssertTrue(end.closed, "\(label): the broker must close the connection")
            XCTAssertEqual(end.packets.map(\.firstByte), [0xE0], "\(label): expected one DISCONNECT, got \(end.packets)")
            XCTAssertEqual(end.packets.first?.disconnectReason, reason, "\(label)")
        }
        XCTAssertEqual(try subscriber.publishes(quiet: 0.3).map(\.topic), [], "nothing from the rejected publishes")
    }
}
