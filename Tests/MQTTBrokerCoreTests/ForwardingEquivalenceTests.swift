import MQTTBrokerCore
import MQTTCodec
import XCTest

/// The untraced broker forwards received PUBLISH bytes (`BrokerAction.forward`); a traced one builds a
/// new PUBLISH per subscriber (`.send`). A student must see the same packets either way, so these tests
/// drive two engines with the same inputs — one given the wire bytes, one only the models — and compare
/// every packet each connection gets, over random mixes of versions, QoS, subscription options, 5.0
/// properties, topic aliases, in-flight windows and reconnections.
final class ForwardingEquivalenceTests: XCTestCase {
    func testForwardedBytesAreThePacketsTheModelPathSends() {
        var totalForwarded = 0
        for seed in 1...40 {
            totalForwarded += runScenario(seed: UInt64(seed), steps: 120)
        }
        // The comparison is only worth something if the fast path ran: most 3.1.1 deliveries forward.
        XCTAssertGreaterThan(totalForwarded, 500, "the wire path forwarded almost nothing")
    }

    func testAForwardedQoS1DeliveryGetsItsOwnPacketIDAndTheSubscribersFlags() {
        let harness = EngineHarness()
        let (subscriber, _) = harness.connect("sub")
        _ = harness.subscribe(subscriber, "casa/#", qos: .atLeastOnce)
        let (publisher, _) = harness.connect("pub")
        harness.publish(publisher, "casa/luz", "on", qos: .exactlyOnce, retain: true, packetID: 77)
        let received = harness.publishes(subscriber)
        XCTAssertEqual(received.count, 1)
        XCTAssertEqual(received.first?.qos, .atLeastOnce, "downgraded to the granted QoS")
        XCTAssertEqual(received.first?.retain, false, "a live message's retain flag is cleared in 3.1.1 [MQTT-3.3.1-9]")
        XCTAssertEqual(received.first?.packetID, 1, "the subscriber's own packet id, not the publisher's 77")
        XCTAssertEqual(received.first?.text, "on")
        XCTAssertEqual(harness.forwardedCount, 1)
    }

    func testA5_0MessageWithExpiryOrAnAliasIsNotForwardedAsIs() {
        let harness = EngineHarness()
        let (subscriber, _) = harness.connect("sub", version: .v5_0)
        _ = harness.subscribe(subscriber, "t", qos: .atMostOnce)
        let (publisher, _) = harness.connect("pub", version: .v5_0)
        harness.publish(publisher, "t", "a", properties: [.messageExpiryInterval(60), .userProperty(name: "k", value: "v")])
        harness.publish(publisher, "t", "b", properties: [.topicAlias(1)])
        harness.publish(publisher, "t", "c", properties: [.userProperty(name: "k", value: "v")])
        let received = harness.publishes(subscriber)
        XCTAssertEqual(received.map(\.text), ["a", "b", "c"])
        XCTAssertEqual(received.first?.properties, [.userProperty(name: "k", value: "v"), .messageExpiryInterval(60)])
        XCTAssertEqual(received[1].properties, [], "the publisher's alias is not the subscriber's [MQTT-3.3.2-10]")
        XCTAssertEqual(received[2].properties, [.userProperty(name: "k", value: "v")])
        XCTAssertEqual(harness.forwardedCount, 1, "only the message with nothing to add or strip is forwarded")
    }

    // MARK: The random scenario

    /// Runs one scenario on both paths; returns how many PUBLISHes the wire path forwarded.
    private func runScenario(seed: UInt64, steps: Int) -> Int {
        var random = SplitMix64(seed: seed)
        let wire = EngineHarness(forwardsWire: true) { $0.maxInflightMessages = 3; $0.topicAliasMaximum = 4 }
        let model = EngineHarness(forwardsWire: false) { $0.maxInflightMessages = 3; $0.topicAliasMaximum = 4 }
        let names = ["a", "b", "c", "d", "e"]
        let versions: [ProtocolVersion] = [.v3_1, .v3_1_1, .v5_0]
        var clients: [String: (id: ConnectionID, version: ProtocolVersion, nextPacketID: UInt16)] = [:]
        let filters = ["casa/luz", "casa/+", "#", "casa/#", "+/luz", "$share/g/casa/luz"]
        let topics = ["casa/luz", "casa/puerta", "jardin/luz", "casa/luz/sala"]

        func compare(_ step: String) {
            for (name, client) in clients.sorted(by: { $0.key < $1.key }) {
                let fromWire = wire.take(client.id)
                let fromModel = model.take(client.id)
                XCTAssertEqual(fromWire, fromModel, "seed \(seed), \(step): packets to \(name) differ")
                // Answer as a well-behaved client does (sometimes late: the window then fills).
                for packet in fromWire {
                    let answer: Packet? = switch packet {
                    case .publish(let p) where p.qos == .atLeastOnce: .puback(PublishAck(packetID: p.packetID ?? 0))
                    case .publish(let p) where p.qos == .exactlyOnce: .pubrec(PublishAck(packetID: p.packetID ?? 0))
                    case .pubrec(let ack): .pubrel(PublishAck(packetID: ack.packetID))
                    case .pubrel(let ack): .pubcomp(PublishAck(packetID: ack.packetID))
                    default: nil
                    }
                    if let answer, random.next() % 5 != 0 {
                        wire.send(answer, from: client.id)
                        model.send(answer, from: client.id)
                    }
                }
            }
        }

        for step in 0..<steps {
            let name = names[Int(random.next() % UInt64(names.count))]
            let choice = random.next() % 10
            if clients[name] == nil || choice == 0 {
                // (Re)connect: a persistent session half of the time, so messages queue and resend with DUP.
                if let old = clients[name] {
                    wire.feed(.disconnected(old.id))
                    model.feed(.disconnected(old.id))
                }
                let version = versions[Int(random.next() % 3)]
                var properties: Properties = []
                if version.isV5 {
                    if random.next() % 2 == 0 { properties.append(.topicAliasMaximum(UInt16(random.next() % 3))) }
                    if random.next() % 3 == 0 { properties.append(.receiveMaximum(UInt16(1 + random.next() % 3))) }
                    if random.next() % 4 == 0 { properties.append(.maximumPacketSize(UInt32(40 + random.next() % 40))) }
                    properties.append(.sessionExpiryInterval(random.next() % 2 == 0 ? 0 : 600))
                }
                let clean = random.next() % 2 == 0
                let (id, _) = wire.connect(name, version: version, clean: clean, properties: properties)
                let (sameID, _) = model.connect(name, version: version, clean: clean, properties: properties)
                XCTAssertEqual(id, sameID)
                clients[name] = (id, version, 1)
                compare("step \(step): connect \(name)")
                continue
            }
            guard let client = clients[name] else { continue }
            if choice <= 3 {
                var filter = filters[Int(random.next() % UInt64(filters.count))]
                if !client.version.isV5 && filter.hasPrefix("$share") { filter = "casa/luz" }
                let options = Subscribe.Options(
                    qos: QoS(rawValue: UInt8(random.next() % 3))!,
                    noLocal: client.version.isV5 && random.next() % 3 == 0,
                    retainAsPublished: client.version.isV5 && random.next() % 2 == 0)
                let properties: Properties = client.version.isV5 && random.next() % 2 == 0
                    ? [.subscriptionIdentifier(UInt32(1 + random.next() % 5))] : []
                let packet = Packet.subscribe(Subscribe(packetID: 1, subscriptions: [.init(filter: filter, options: options)],
                                                        properties: properties))
                wire.send(packet, from: client.id)
                model.send(packet, from: client.id)
            } else {
                let topic = topics[Int(random.next() % UInt64(topics.count))]
                let qos = QoS(rawValue: UInt8(random.next() % 3))!
                var properties: Properties = []
                if client.version.isV5 {
                    switch random.next() % 5 {
                    case 0: properties = [.userProperty(name: "sala", value: "\(step)"), .contentType("text/plain")]
                    case 1: properties = [.messageExpiryInterval(UInt32(1 + random.next() % 100))]
                    case 2: properties = [.topicAlias(1)]
                    case 3: properties = [.correlationData([1, 2, 3]), .responseTopic("respuesta")]
                    default: break
                    }
                }
                let payload = String(repeating: "x", count: Int(random.next() % 30))
                let packetID = client.nextPacketID
                clients[name]?.nextPacketID = packetID == 60_000 ? 1 : packetID + 1
                let packet = Packet.publish(Publish(topic: topic, payload: Array(payload.utf8), qos: qos,
                                                    retain: random.next() % 4 == 0,
                                                    packetID: qos == .atMostOnce ? nil : packetID, properties: properties))
                wire.send(packet, from: client.id)
                model.send(packet, from: client.id)
            }
            if random.next() % 8 == 0 {
                wire.advance(seconds: 7)
                model.advance(seconds: 7)
            }
            compare("step \(step)")
        }
        XCTAssertEqual(model.forwardedCount, 0, "the model path never forwards")
        return wire.forwardedCount
    }
}
