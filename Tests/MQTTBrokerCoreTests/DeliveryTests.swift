import MQTTBrokerCore
import MQTTCodec
import XCTest

final class DeliveryTests: XCTestCase {
    func testQoS0And1DeliveryWithDowngrade() {
        let harness = EngineHarness()
        let (sub, _) = harness.connect("sub")
        XCTAssertEqual(harness.subscribe(sub, "casa/+/temperatura", qos: .atMostOnce)?.reasonCodes, [.success])
        let (pub, _) = harness.connect("pub")
        harness.publish(pub, "casa/cocina/temperatura", "22.5", qos: .atLeastOnce, packetID: 7)
        XCTAssertEqual(harness.take(pub), [.puback(PublishAck(packetID: 7))])
        let received = harness.publishes(sub)
        XCTAssertEqual(received.map(\.text), ["22.5"])
        XCTAssertEqual(received.first?.qos, .atMostOnce, "downgraded to the granted QoS [MQTT-3.8.4-8]")
        harness.publish(pub, "casa/cocina/humedad", "40")
        XCTAssertEqual(harness.publishes(sub), [], "a topic the filter does not match")
    }

    /// Overlapping subscriptions: one copy at the highest QoS with every subscription identifier [MQTT-3.3.4-2..5].
    func testOverlappingSubscriptionsDeliverOnce() {
        let harness = EngineHarness()
        let (sub, _) = harness.connect("sub", version: .v5_0)
        _ = harness.subscribe(sub, "casa/#", qos: .atMostOnce, packetID: 1, properties: [.subscriptionIdentifier(1)])
        _ = harness.subscribe(sub, "casa/+/luz", qos: .atLeastOnce, packetID: 2, properties: [.subscriptionIdentifier(2)])
        let (pub, _) = harness.connect("pub", version: .v5_0)
        harness.publish(pub, "casa/salon/luz", "ON", qos: .exactlyOnce)
        let received = harness.publishes(sub)
        XCTAssertEqual(received.count, 1)
        XCTAssertEqual(received.first?.qos, .atLeastOnce)
        let identifiers: [UInt32] = received.first?.properties.compactMap { if case .subscriptionIdentifier(let id) = $0 { id } else { nil } } ?? []
        XCTAssertEqual(Set(identifiers), [1, 2])
    }

    /// `#` and `+` at the start never match `$` topics [MQTT-4.7.2-1].
    func testDollarTopicsAreNotMatchedByLeadingWildcards() {
        let harness = EngineHarness()
        let (sub, _) = harness.connect("sub")
        _ = harness.subscribe(sub, "#", qos: .atMostOnce)
        let (pub, _) = harness.connect("pub")
        harness.publish(pub, "$SYS/prueba", "x")
        XCTAssertEqual(harness.publishes(sub), [])
        _ = harness.subscribe(sub, "$SYS/#", qos: .atMostOnce, packetID: 2)
        harness.publish(pub, "$SYS/prueba", "x")
        XCTAssertEqual(harness.publishes(sub).count, 1)
    }

    func testNoLocalAndRefusedFilters() {
        let harness = EngineHarness { $0.refusedFilters = ["secreto/#"] }
        let (client, _) = harness.connect("ana", version: .v5_0)
        _ = harness.subscribe(client, "chat", options: Subscribe.Options(qos: .atMostOnce, noLocal: true))
        harness.publish(client, "chat", "hola")
        XCTAssertEqual(harness.publishes(client), [], "No Local: never back to the publisher [MQTT-3.8.3-3]")
        XCTAssertEqual(harness.subscribe(client, "secreto/clave", packetID: 3)?.reasonCodes, [.unspecifiedError])
        let (old, _) = harness.connect("old")
        XCTAssertEqual(harness.subscribe(old, "secreto/#")?.reasonCodes, [ReasonCode(0x80)], "0x80 in 3.1.1 too")
    }

    func testRetainedMessages() {
        let harness = EngineHarness()
        let (pub, _) = harness.connect("pub")
        harness.publish(pub, "casa/luz", "ON", qos: .atLeastOnce, retain: true)
        harness.publish(pub, "casa/luz", "OFF", qos: .atLeastOnce, retain: true)  // replaces
        let (sub, _) = harness.connect("sub")
        _ = harness.subscribe(sub, "casa/#")
        let first = harness.publishes(sub)
        XCTAssertEqual(first.map(\.text), ["OFF"])
        XCTAssertEqual(first.first?.retain, true, "retained on subscribe carries RETAIN 1 [MQTT-3.3.1-8]")
        harness.publish(pub, "casa/luz", "ON", retain: true)
        XCTAssertEqual(harness.publishes(sub).first?.retain, false, "live forwarding clears RETAIN in 3.1.1 [MQTT-3.3.1-9]")
        harness.publish(pub, "casa/luz", "", retain: true)  // clears [MQTT-3.3.1-10]
        _ = harness.take(sub)
        let (late, _) = harness.connect("late")
        _ = harness.subscribe(late, "casa/#")
        XCTAssertEqual(harness.publishes(late), [])
    }

    func testRetainAsPublishedAndRetainHandling() {
        let harness = EngineHarness()
        let (pub, _) = harness.connect("pub", version: .v5_0)
        harness.publish(pub, "a", "1", retain: true)
        let (sub, _) = harness.connect("sub", version: .v5_0)
        _ = harness.subscribe(sub, "a", options: Subscribe.Options(qos: .atMostOnce, retainAsPublished: true, retainHandling: .doNotSend))
        XCTAssertEqual(harness.publishes(sub), [], "Retain Handling 2 sends nothing on subscribe")
        harness.publish(pub, "a", "2", retain: true)
        XCTAssertEqual(harness.publishes(sub).first?.retain, true, "Retain As Published keeps the flag")
        _ = harness.subscribe(sub, "a", packetID: 5, options: Subscribe.Options(qos: .atMostOnce, retainHandling: .sendOnlyIfNew))
        XCTAssertEqual(harness.publishes(sub), [], "Retain Handling 1: the subscription existed")
    }

    /// The "SMS" behaviour: a persistent session keeps subscriptions and queues QoS 1 messages while away
    /// [MQTT-3.1.2-4], [MQTT-3.1.2-5].
    func testPersistentSessionQueuesWhileOffline() {
        let harness = EngineHarness()
        let (first, _) = harness.connect("ana", clean: false)
        _ = harness.subscribe(first, "casa/#")
        harness.feed(.disconnected(first))
        let (pub, _) = harness.connect("pub")
        harness.publish(pub, "casa/cocina", "23.0", qos: .atLeastOnce, packetID: 1)
        harness.publish(pub, "casa/salon", "21.0", qos: .atLeastOnce, packetID: 2)
        harness.publish(pub, "casa/salon", "qos0 is not queued")
        XCTAssertTrue(harness.events.contains(.queued(clientID: "ana", topic: "casa/salon", queueLength: 2)))
        let (back, connack) = harness.connect("ana", clean: false)
        XCTAssertEqual(connack?.sessionPresent, true)
        XCTAssertEqual(harness.publishes(back).map(\.text), ["23.0", "21.0"])
        // A clean session throws it away [MQTT-3.1.2-6].
        harness.feed(.disconnected(back))
        harness.publish(pub, "casa/cocina", "24.0", qos: .atLeastOnce)
        let (clean, cleanAck) = harness.connect("ana", clean: true)
        XCTAssertEqual(cleanAck?.sessionPresent, false)
        XCTAssertEqual(harness.publishes(clean), [])
    }

    func testQueueLimitDropsWithAnEvent() {
        let harness = EngineHarness { $0.maxQueuedMessages = 2 }
        let (sub, _) = harness.connect("ana", clean: false)
        _ = harness.subscribe(sub, "t")
        harness.feed(.disconnected(sub))
        let (pub, _) = harness.connect("pub")
        for index in 1...5 { harness.publish(pub, "t", "\(index)", qos: .atLeastOnce, packetID: UInt16(index)) }
        XCTAssertEqual(harness.events.filter { if case .dropped(_, _, .queueFull(2)) = $0 { true } else { false } }.count, 3)
        let (back, _) = harness.connect("ana", clean: false)
        XCTAssertEqual(harness.publishes(back).map(\.text), ["1", "2"])
    }

    /// The in-flight window holds back QoS 1 messages until PUBACKs free it; order is kept [MQTT-4.6.0-6].
    func testInflightWindowAndRedeliveryWithDup() {
        let harness = EngineHarness { $0.maxInflightMessages = 2 }
        let (sub, _) = harness.connect("sub", clean: false)
        _ = harness.subscribe(sub, "t")
        let (pub, _) = harness.connect("pub")
        for index in 1...3 { harness.publish(pub, "t", "\(index)", qos: .atLeastOnce, packetID: UInt16(index)) }
        let sent = harness.publishes(sub)
        XCTAssertEqual(sent.map(\.text), ["1", "2"])
        harness.send(.puback(PublishAck(packetID: sent[0].packetID!)), from: sub)
        XCTAssertEqual(harness.publishes(sub).map(\.text), ["3"])
        // Lost connection with 2 and 3 unacknowledged: both come back with DUP=1 [MQTT-4.4.0-1].
        harness.feed(.disconnected(sub))
        let (back, _) = harness.connect("sub", clean: false)
        let resent = harness.publishes(back)
        XCTAssertEqual(resent.map(\.text), ["2", "3"])
        XCTAssertEqual(resent.map(\.dup), [true, true])
    }

    func testQoS2BothDirections() {
        let harness = EngineHarness()
        let (sub, _) = harness.connect("sub")
        _ = harness.subscribe(sub, "t", qos: .exactlyOnce)
        let (pub, _) = harness.connect("pub")
        harness.publish(pub, "t", "once", qos: .exactlyOnce, packetID: 9)
        XCTAssertEqual(harness.take(pub), [.pubrec(PublishAck(packetID: 9))])
        // The publisher resends before seeing PUBREC: no second delivery [MQTT-4.3.3-10].
        harness.send(.publish(Publish(topic: "t", payload: Array("once".utf8), qos: .exactlyOnce, dup: true, packetID: 9)), from: pub)
        XCTAssertEqual(harness.take(pub), [.pubrec(PublishAck(packetID: 9))])
        harness.send(.pubrel(PublishAck(packetID: 9)), from: pub)
        XCTAssertEqual(harness.take(pub), [.pubcomp(PublishAck(packetID: 9))])
        let delivered = harness.publishes(sub)
        XCTAssertEqual(delivered.count, 1)
        let id = delivered[0].packetID!
        harness.send(.pubrec(PublishAck(packetID: id)), from: sub)
        XCTAssertEqual(harness.take(sub), [.pubrel(PublishAck(packetID: id))])
        harness.send(.pubcomp(PublishAck(packetID: id)), from: sub)
        XCTAssertEqual(harness.take(sub), [])
        // An unknown PUBREL is still completed (5.0: 0x92) — pitfall §10.8.
        let (v5, _) = harness.connect("v5", version: .v5_0)
        harness.send(.pubrel(PublishAck(packetID: 77)), from: v5)
        XCTAssertEqual(harness.take(v5), [.pubcomp(PublishAck(packetID: 77, reasonCode: .packetIdentifierNotFound))])
    }

    func testSharedSubscriptionGoesToOneMemberInTurn() {
        let harness = EngineHarness()
        let (a, _) = harness.connect("a", version: .v5_0)
        let (b, _) = harness.connect("b", version: .v5_0)
        _ = harness.subscribe(a, "$share/grupo/trabajo", qos: .atMostOnce)
        _ = harness.subscribe(b, "$share/grupo/trabajo", qos: .atMostOnce)
        let (pub, _) = harness.connect("pub", version: .v5_0)
        for index in 1...4 { harness.publish(pub, "trabajo", "\(index)") }
        XCTAssertEqual(harness.publishes(a).count + harness.publishes(b).count, 4)
        for index in 5...6 { harness.publish(pub, "trabajo", "\(index)") }
        XCTAssertEqual(harness.publishes(a).count, 1)
        XCTAssertEqual(harness.publishes(b).count, 1)
    }

    func testMessageExpiryWhileQueuedAndForwardedRemainder() {
        let harness = EngineHarness()
        let (sub, _) = harness.connect("sub", version: .v5_0, properties: [.sessionExpiryInterval(3600)])
        _ = harness.subscribe(sub, "t")
        harness.feed(.disconnected(sub))
        let (pub, _) = harness.connect("pub", version: .v5_0)
        harness.publish(pub, "t", "short", qos: .atLeastOnce, packetID: 1, properties: [.messageExpiryInterval(5)])
        harness.publish(pub, "t", "long", qos: .atLeastOnce, packetID: 2, properties: [.messageExpiryInterval(100)])
        harness.advance(seconds: 10)
        XCTAssertTrue(harness.events.contains(.dropped(clientID: "sub", topic: "t", reason: .expired)))
        let (back, _) = harness.connect("sub", version: .v5_0, clean: false, properties: [.sessionExpiryInterval(3600)])
        let received = harness.publishes(back)
        XCTAssertEqual(received.map(\.text), ["long"])
        XCTAssertTrue(received[0].properties.contains(.messageExpiryInterval(90)), "the remaining lifetime [MQTT-3.3.2-6]")
    }

    func testTopicAliasFromClient() {
        let harness = EngineHarness()
        let (sub, _) = harness.connect("sub")
        _ = harness.subscribe(sub, "casa/luz", qos: .atMostOnce)
        let (pub, _) = harness.connect("pub", version: .v5_0)
        harness.publish(pub, "casa/luz", "ON", properties: [.topicAlias(1)])
        harness.publish(pub, "", "OFF", properties: [.topicAlias(1)])
        XCTAssertEqual(harness.publishes(sub).map(\.topic), ["casa/luz", "casa/luz"])
        harness.publish(pub, "", "?", properties: [.topicAlias(2)])
        XCTAssertEqual(harness.take(pub), [.disconnect(Disconnect(reasonCode: .protocolError, properties: [
            .reasonString("topic alias 2 was used with an empty topic before any PUBLISH set it"),
        ]))], "unknown alias: Protocol Error")
    }

    func testUserPropertiesAndRequestResponseAreForwardedInOrder() {
        let harness = EngineHarness()
        let (sub, _) = harness.connect("sub", version: .v5_0)
        _ = harness.subscribe(sub, "t", qos: .atMostOnce)
        let (pub, _) = harness.connect("pub", version: .v5_0)
        let properties: Properties = [.userProperty(name: "b", value: "2"), .contentType("text/plain"), .responseTopic("r"),
                                      .correlationData([0, 1]), .userProperty(name: "a", value: "1")]
        harness.publish(pub, "t", "x", properties: properties)
        XCTAssertEqual(harness.publishes(sub).first?.properties, properties)
    }
}
