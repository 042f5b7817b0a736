import MQTTBrokerCore
import MQTTCodec
import XCTest

/// Protocol errors explained (5.0 Reason Strings and trace events), `message_size_limit` and
/// `persistent_client_expiration`.
final class LimitsAndRulesTests: XCTestCase {
    private func disconnect(_ packets: [Packet]) -> Disconnect? {
        packets.compactMap { if case .disconnect(let d) = $0 { d } else { nil } }.first
    }

    private func reasonString(_ properties: Properties) -> String? {
        properties.firstValue { if case .reasonString(let text) = $0 { text } else { nil } }
    }

    private func endReason(_ harness: EngineHarness, _ id: ConnectionID) -> BrokerEvent.EndReason? {
        for event in harness.events {
            if case .connectionEnded(let ended, _, _, let reason) = event, ended == id { return reason }
        }
        return nil
    }

    // MARK: Protocol errors say which rule was broken

    func testSecondConnectGetsProtocolErrorWithTheRuleAndSpecID() {
        let harness = EngineHarness()
        let (id, _) = harness.connect("ana", version: .v5_0)
        harness.send(.connect(Connect(version: .v5_0, clientID: "ana")), from: id)
        let sent = harness.take(id)
        let packet = disconnect(sent)
        XCTAssertEqual(packet?.reasonCode, .protocolError)
        XCTAssertEqual(reasonString(packet?.properties ?? []), "a second CONNECT on a connection that is already connected [MQTT-3.1.0-2]")
        XCTAssertTrue(harness.closed.contains(id))
        guard case .protocolError(let rule) = endReason(harness, id) else { return XCTFail("no protocol error event") }
        XCTAssertEqual(rule.specID, "MQTT-3.1.0-2")
        XCTAssertTrue(rule.text.es.contains("segundo CONNECT"))
    }

    func testTopicAliasAboveMaximumGets0x94WithTheLimitInTheReasonString() {
        let harness = EngineHarness { $0.topicAliasMaximum = 3 }
        let (id, _) = harness.connect("ana", version: .v5_0)
        harness.publish(id, "casa/luz", "ON", properties: [.topicAlias(4)])
        let packet = disconnect(harness.take(id))
        XCTAssertEqual(packet?.reasonCode, .topicAliasInvalid)
        let text = reasonString(packet?.properties ?? []) ?? ""
        XCTAssertTrue(text.contains("topic alias 4") && text.contains("Topic Alias Maximum of 3"), text)
    }

    func testUnknownAliasAndClientSubscriptionIdentifierNameTheirRules() {
        let harness = EngineHarness()
        let (first, _) = harness.connect("ana", version: .v5_0)
        harness.publish(first, "", "ON", properties: [.topicAlias(2)])
        XCTAssertTrue(reasonString(disconnect(harness.take(first))?.properties ?? [])?.contains("topic alias 2 was used with an empty topic") == true)

        let (second, _) = harness.connect("bob", version: .v5_0)
        harness.publish(second, "casa/luz", "ON", properties: [.subscriptionIdentifier(5)])
        XCTAssertEqual(reasonString(disconnect(harness.take(second))?.properties ?? []),
                       "a PUBLISH from a client may not carry a Subscription Identifier [MQTT-3.3.4-6]")
    }

    func testReasonStringIsLeftOutWhenItWouldExceedTheClientsMaximumPacketSize() {
        let harness = EngineHarness()
        let (id, _) = harness.connect("ana", version: .v5_0, properties: [.maximumPacketSize(40)])
        harness.send(.connect(Connect(version: .v5_0, clientID: "ana")), from: id)
        let packet = disconnect(harness.take(id))
        XCTAssertEqual(packet?.reasonCode, .protocolError)
        XCTAssertNil(reasonString(packet?.properties ?? []))
    }

    func testA311ProtocolErrorOnlyClosesButTheTraceStillKnowsTheRule() {
        let harness = EngineHarness()
        let (id, _) = harness.connect("ana")
        harness.send(.connack(ConnAck(reasonCode: .success)), from: id)
        XCTAssertTrue(harness.take(id).isEmpty)
        XCTAssertTrue(harness.closed.contains(id))
        guard case .protocolError(let rule) = endReason(harness, id) else { return XCTFail("no protocol error event") }
        XCTAssertTrue(rule.text.en.contains("CONNACK is a packet only a server sends"), rule.text.en)
    }

    // MARK: message_size_limit

    func testMessageSizeLimitDropsLargerPayloadsButAcknowledgesThem() {
        let harness = EngineHarness { $0.messageSizeLimit = 4 }
        let (subscriber, _) = harness.connect("sub")
        _ = harness.subscribe(subscriber, "casa/#", qos: .atLeastOnce)
        let (v3, _) = harness.connect("pub3")
        let (v5, _) = harness.connect("pub5", version: .v5_0)

        harness.publish(v3, "casa/luz", "12345", qos: .atLeastOnce, packetID: 7)
        XCTAssertEqual(harness.take(v3), [.puback(PublishAck(packetID: 7))])
        harness.publish(v5, "casa/luz", "12345", qos: .atLeastOnce, packetID: 8)
        guard case .puback(let ack) = harness.take(v5).first else { return XCTFail("no PUBACK") }
        XCTAssertEqual(ack.reasonCode, .implementationSpecificError)
        XCTAssertTrue(reasonString(ack.properties)?.contains("message_size_limit of 4") == true)
        XCTAssertTrue(harness.publishes(subscriber).isEmpty, "an oversized message must not be delivered")
        XCTAssertTrue(harness.events.contains(.dropped(clientID: "pub3", topic: "casa/luz", reason: .overMessageSizeLimit(size: 5, limit: 4))))

        harness.publish(v3, "casa/luz", "1234", qos: .atLeastOnce, packetID: 9)
        XCTAssertEqual(harness.publishes(subscriber).map(\.text), ["1234"], "a payload at the limit is accepted")
    }

    func testMessageSizeLimitCompletesA311QoS2FlowWithoutDelivering() {
        let harness = EngineHarness { $0.messageSizeLimit = 2 }
        let (subscriber, _) = harness.connect("sub")
        _ = harness.subscribe(subscriber, "t", qos: .exactlyOnce)
        let (publisher, _) = harness.connect("pub")
        harness.publish(publisher, "t", "abc", qos: .exactlyOnce, packetID: 3)
        XCTAssertEqual(harness.take(publisher), [.pubrec(PublishAck(packetID: 3))])
        harness.send(.pubrel(PublishAck(packetID: 3)), from: publisher)
        XCTAssertEqual(harness.take(publisher), [.pubcomp(PublishAck(packetID: 3))])
        XCTAssertTrue(harness.publishes(subscriber).isEmpty)
    }

    // MARK: persistent_client_expiration

    func testPersistentClientExpirationForgetsSessionsThatWouldLiveForever() {
        let harness = EngineHarness { $0.persistentClientExpiration = 60 }
        let (id, _) = harness.connect("ana", clean: false)
        _ = harness.subscribe(id, "casa/#")
        harness.feed(.disconnected(id))
        harness.advance(seconds: 59)
        XCTAssertFalse(harness.events.contains(.sessionEnded(clientID: "ana", expired: true)))
        harness.advance(seconds: 2)
        XCTAssertTrue(harness.events.contains(.sessionEnded(clientID: "ana", expired: true)))
        let (_, connack) = harness.connect("ana", clean: false)
        XCTAssertEqual(connack?.sessionPresent, false)
    }

    func testPersistentClientExpirationLeavesFiniteSessionExpiryAlone() {
        let harness = EngineHarness { $0.persistentClientExpiration = 10 }
        let (id, _) = harness.connect("ana", version: .v5_0, clean: false, properties: [.sessionExpiryInterval(100)])
        harness.feed(.disconnected(id))
        harness.advance(seconds: 50)
        let (_, connack) = harness.connect("ana", version: .v5_0, clean: false, properties: [.sessionExpiryInterval(100)])
        XCTAssertEqual(connack?.sessionPresent, true, "the client's own 100 s expiry applies, not the broker's 10 s")
    }

    func testWithoutPersistentClientExpirationSessionsAreKept() {
        let harness = EngineHarness()
        let (id, _) = harness.connect("ana", clean: false)
        harness.feed(.disconnected(id))
        harness.advance(seconds: 86_400 * 30)
        let (_, connack) = harness.connect("ana", clean: false)
        XCTAssertEqual(connack?.sessionPresent, true)
    }
}
