import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mqttlab broker --store FILE`: what the broker acknowledged survives `kill -9`.
///
/// Each test asks the OS for a free port, starts `mqttlab broker -p PORT --store FILE`, drives it with raw clients
/// (exact packets, DUP flags and packet ids visible), kills it with SIGKILL, restarts it on the same port with the
/// same file, and checks what comes back: every QoS 1/2 message whose PUBACK/PUBCOMP a publisher received is
/// delivered to the persistent subscriber, in order, with the bytes sent; QoS 1 repeats only with DUP set, QoS 2
/// never; retained messages, cleared retained messages and subscriptions survive; clean sessions leave nothing.
///
/// Skipped in the Mosquitto reference mode: Mosquitto saves its state on shutdown or on a timer, so SIGKILL loses
/// it by design, and the reference harness runs it with `persistence false`.
final class BrokerDurabilityTests: BrokerInteropTestCase {
    /// Every broker process started here, killed ones included (the base class would call a SIGKILL unclean).
    private var durableBrokers: [MQTTLabBrokerProcess] = []

    override func setUpWithError() throws {
        try super.setUpWithError()
        try XCTSkipIf(MQTTLabBrokerProcess.referenceMode, "Mosquitto does not persist on SIGKILL; --store is mqttlab's")
    }

    override func tearDown() {
        let failed = (testRun?.failureCount ?? 0) + (testRun?.unexpectedExceptionCount ?? 0) > 0
        for broker in durableBrokers where broker.stopOutcome == nil {
            let outcome = broker.stop()
            if !outcome.isClean {
                XCTFail("\(outcome) — expected a clean exit (status 0) on SIGTERM.\n\(broker.outputTail())")
            }
        }
        if failed || (testRun?.failureCount ?? 0) > 0 {
            for broker in durableBrokers { print("broker durability \(name): \(broker.outputTail(4000))") }
        }
        durableBrokers.removeAll()
        super.tearDown()
    }

    // MARK: - 1. Acknowledged messages survive SIGKILL

    func testAcknowledgedMessagesSurviveSIGKILL_v311() throws { try runAcknowledgedSurvive(.v311) }
    func testAcknowledgedMessagesSurviveSIGKILL_v5() throws { try runAcknowledgedSurvive(.v5) }

    /// A persistent subscriber subscribes (QoS 2) and leaves; 20 QoS 1 and 20 QoS 2 messages are published, each
    /// acknowledged (PUBACK, PUBCOMP); SIGKILL; restart on the same port and file; the subscriber comes back
    /// (session present) and gets all 40, per topic in order, bytes (and 5.0 properties) intact, no repeats.
    private func runAcknowledgedSurvive(_ version: WireVersion) throws {
        let durable = try DurableSetup(test: self)
        var broker = try durable.start()
        let subscriberID = "ana-\(version)"

        let subscriber = try wire(broker, version)
        XCTAssertFalse(try connect(subscriber, subscriberID, persistent: true).sessionPresent)
        XCTAssertEqual(try subscriber.subscribe([("dur/#", 2)]), [0x02])
        try subscriber.send(BrokerWire.disconnect)
        subscriber.close()

        let publisher = try wire(broker, version)
        try connect(publisher, "pub-\(version)", persistent: false)
        var sent: [SentMessage] = []
        for number in 1...20 {
            let message = SentMessage(topic: "dur/q1", number: number, qos: 1, version: version)
            try publishQoS1(publisher, message, id: number)
            sent.append(message)
        }
        for number in 1...20 {
            let message = SentMessage(topic: "dur/q2", number: number, qos: 2, version: version)
            try publishQoS2(publisher, message, id: 100 + number)
            sent.append(message)
        }

        try kill9(broker, "after 40 acknowledged messages")
        publisher.close()
        broker = try durable.start()

        let back = try wire(broker, version)
        XCTAssertTrue(try connect(back, subscriberID, persistent: true).sessionPresent, "the session must survive SIGKILL")
        let deliveries = try receive(back, until: { delivered in Set(delivered.map(\.payload)).count >= sent.count })
        assertDelivered(deliveries, acknowledged: sent, sentAtAll: sent, expectNoRepeats: true)
        if version == .v5 {
            for delivery in deliveries {
                let number = SentMessage.number(in: delivery.payload)
                XCTAssertTrue(delivery.properties.contains(WireProperty(id: 0x26, value: .pair("n", "\(number ?? -1)"))),
                              "the user property did not survive: \(delivery)")
                XCTAssertTrue(delivery.properties.contains(WireProperty(id: 0x09, value: .binary([0x00, 0xFF, 0x7F]))),
                              "the correlation data did not survive: \(delivery)")
            }
        }
    }

    // MARK: - 2. SIGKILL during traffic

    func testSIGKILLDuringTrafficLosesNoAcknowledgedMessage_v311() throws { try runKillDuringTraffic(.v311, subscriberOnline: false) }
    func testSIGKILLDuringTrafficLosesNoAcknowledgedMessage_v5() throws { try runKillDuringTraffic(.v5, subscriberOnline: false) }
    func testSIGKILLDuringTrafficWithTheSubscriberOnline_v311() throws { try runKillDuringTraffic(.v311, subscriberOnline: true) }
    func testSIGKILLDuringTrafficWithTheSubscriberOnline_v5() throws { try runKillDuringTraffic(.v5, subscriberOnline: true) }

    /// A publisher sends 500 QoS 1 messages as fast as the broker acknowledges them (32 in flight); after a random
    /// PUBACK it writes a burst of 64 more at once and SIGKILLs the broker 0–3 ms later, mid-burst. Every message whose PUBACK reached
    /// the publisher (including those read after the kill: the broker sent them before it died) is delivered to the
    /// persistent subscriber — live before the kill, or after the restart. Unacknowledged ones may or may not be.
    /// A message delivered twice must carry DUP the second time.
    private func runKillDuringTraffic(_ version: WireVersion, subscriberOnline: Bool) throws {
        let total = 500
        let window = 32
        let killAfter = Int.random(in: 20...450)
        let context = "\(version), subscriber \(subscriberOnline ? "online" : "offline"), SIGKILL after PUBACK #\(killAfter)"
        let durable = try DurableSetup(test: self)
        var broker = try durable.start()
        let subscriberID = "storm-sub-\(version)"

        let subscriber = try wire(broker, version)
        try connect(subscriber, subscriberID, persistent: true)
        XCTAssertEqual(try subscriber.subscribe([("storm/#", 1)]), [0x01])
        if !subscriberOnline {
            try subscriber.send(BrokerWire.disconnect)
            subscriber.close()
        }

        let publisher = try wire(broker, version)
        try connect(publisher, "storm-pub-\(version)", persistent: false)
        let messages = (1...total).map { SentMessage(topic: "storm/t", number: $0, qos: 1, version: version) }
        var acknowledged = Set<Int>()
        var sentCount = 0
        var inFlight = Set<Int>()
        var liveDeliveries: [Delivery] = []
        var liveState = ReceiverState()
        var killed = false
        var inFlightAtKill = 0
        let deadline = Date().addingTimeInterval(60)
        pump: while Date() < deadline {
            // Keep the window full (after the kill, sending fails: stop sending).
            while !killed, sentCount < total, inFlight.count < window {
                let message = messages[sentCount]
                do {
                    try publisher.send(BrokerWire.publish(version, topic: message.topic, payload: message.payload, qos: 1,
                                                          id: message.number, properties: message.properties))
                } catch { break }
                inFlight.insert(message.number)
                sentCount += 1
            }
            if subscriberOnline, !killed {
                liveDeliveries += try receiveAvailable(subscriber, &liveState)
            }
            switch try publisher.next(timeout: 5) {
            case .packet(let packet):
                guard packet.type == 4, packet.body.count >= 2 else {
                    XCTFail("\(context): the publisher expected PUBACKs, got \(packet)")
                    break pump
                }
                let id = Int(packet.body[0]) << 8 | Int(packet.body[1])
                if packet.body.count >= 3 { XCTAssertLessThan(packet.body[2], 0x80, "\(context): PUBACK \(id) refuses") }
                XCTAssertTrue(inFlight.remove(id) != nil, "\(context): PUBACK for \(id), which is not in flight")
                acknowledged.insert(id)
                if !killed, acknowledged.count == killAfter {
                    // A burst of up to 64 more in one write, then SIGKILL 0–3 ms later: the broker is reading,
                    // routing or committing that burst when it dies.
                    let burst = messages[sentCount..<min(total, sentCount + 64)]
                    try publisher.send(burst.flatMap {
                        BrokerWire.publish(version, topic: $0.topic, payload: $0.payload, qos: 1, id: $0.number, properties: $0.properties)
                    })
                    burst.forEach { inFlight.insert($0.number) }
                    sentCount += burst.count
                    inFlightAtKill = inFlight.count
                    usleep(UInt32.random(in: 0...3_000))
                    XCTAssertTrue(broker.isRunning, "\(context): the broker died by itself\n\(broker.outputTail())")
                    kill(broker.pid, SIGKILL)  // reaped below
                    killed = true
                }
            case .closed:
                break pump
            case .timedOut:
                if killed { break pump }
                if sentCount == total, inFlight.isEmpty { break pump }
                XCTFail("\(context): no PUBACK for 5 s (sent \(sentCount), acknowledged \(acknowledged.count))")
                break pump
            }
            if !killed, sentCount == total, inFlight.isEmpty { break }
        }
        if !killed {
            XCTFail("\(context): all \(total) were acknowledged before PUBACK #\(killAfter)?")
            return
        }
        broker.stop(signal: SIGKILL, grace: 5)  // reaps it
        publisher.close()
        if subscriberOnline {
            liveDeliveries += try receiveAvailable(subscriber, &liveState, until: .now + 2)
            subscriber.close()
        }

        broker = try durable.start()
        let back = try wire(broker, version)
        XCTAssertTrue(try connect(back, subscriberID, persistent: true).sessionPresent, "\(context): the session must survive")
        let liveNumbers = Set(liveDeliveries.compactMap { SentMessage.number(in: $0.payload) })
        let wanted = acknowledged.subtracting(liveNumbers)
        let afterRestart = try receive(back, quiet: 2, timeout: 60, until: { delivered in
            wanted.isSubset(of: Set(delivered.compactMap { SentMessage.number(in: $0.payload) }))
        })
        let acknowledgedMessages = messages.filter { acknowledged.contains($0.number) }
        let summary = "\(context): sent \(sentCount), acknowledged \(acknowledged.count), unacknowledged at the kill \(inFlightAtKill), "
            + "delivered live \(liveDeliveries.count), after the restart \(afterRestart.count)"
        assertDelivered(liveDeliveries + afterRestart, acknowledged: acknowledgedMessages, sentAtAll: Array(messages.prefix(sentCount)),
                        expectNoRepeats: false, context: summary)
        print("broker durability: \(summary)")
    }

    // MARK: - 3. Retained messages and subscriptions

    func testRetainedMessagesAndSubscriptionsSurviveSIGKILLAndARestart_v311() throws { try runRetainedAndSubscriptions(.v311) }
    func testRetainedMessagesAndSubscriptionsSurviveSIGKILLAndARestart_v5() throws { try runRetainedAndSubscriptions(.v5) }

    /// A retained message survives SIGKILL and then a clean SIGTERM restart; one that was cleared (empty retained
    /// payload) stays cleared; a persistent subscriber reconnects with session present = 1 and, without subscribing
    /// again, receives new messages.
    private func runRetainedAndSubscriptions(_ version: WireVersion) throws {
        let durable = try DurableSetup(test: self)
        var broker = try durable.start()
        let subscriberID = "keeper-\(version)"

        let subscriber = try wire(broker, version)
        try connect(subscriber, subscriberID, persistent: true)
        XCTAssertEqual(try subscriber.subscribe([("live/#", 1)]), [0x01])
        try subscriber.send(BrokerWire.disconnect)
        subscriber.close()

        let publisher = try wire(broker, version)
        try connect(publisher, "ret-pub-\(version)", persistent: false)
        let kept = Array("kept ✓".utf8) + [0x00, 0xFF]
        try publishQoS1(publisher, topic: "ret/kept", payload: kept, retain: true, id: 1)
        try publishQoS1(publisher, topic: "ret/cleared", payload: Array("soon gone".utf8), retain: true, id: 2)
        try publishQoS1(publisher, topic: "ret/cleared", payload: [], retain: true, id: 3)
        try publishQoS1(publisher, topic: "ret/qos2", payload: Array("two".utf8), retain: true, id: 4, qos: 2)
        publisher.close()

        try kill9(broker, "after the retained messages were acknowledged")

        for restart in ["after SIGKILL", "after a clean SIGTERM restart"] {
            broker = try durable.start()
            let reader = try wire(broker, version)
            try connect(reader, "ret-reader-\(version)", persistent: false)
            XCTAssertEqual(try reader.subscribe([("ret/#", 2)]), [0x02])
            let retained = try receive(reader, quiet: 0.8, timeout: 5, until: { $0.count >= 2 })
            XCTAssertEqual(retained.map(\.topic).sorted(), ["ret/kept", "ret/qos2"], "\(restart): \(retained)")
            XCTAssertEqual(retained.first { $0.topic == "ret/kept" }?.payload, kept, restart)
            XCTAssertEqual(retained.first { $0.topic == "ret/kept" }?.retain, true, restart)
            XCTAssertEqual(retained.first { $0.topic == "ret/qos2" }?.qos, 2, "\(restart): a QoS 2 retained message keeps its QoS")
            reader.close()

            let back = try wire(broker, version)
            XCTAssertTrue(try connect(back, subscriberID, persistent: true).sessionPresent, "\(restart): session present")
            let sender = try wire(broker, version)
            try connect(sender, "live-pub-\(version)", persistent: false)
            try publishQoS1(sender, topic: "live/news", payload: Array(restart.utf8), retain: false, id: 7)
            let news = try receive(back, quiet: 0.5, timeout: 5, until: { !$0.isEmpty })
            XCTAssertEqual(news.map(\.payload), [Array(restart.utf8)], "\(restart): the subscription must survive without SUBSCRIBE")
            try back.send(BrokerWire.disconnect)
            back.close()
            sender.close()

            let outcome = broker.stop()  // SIGTERM: a clean exit, then the next round starts it again
            XCTAssertTrue(outcome.isClean, "\(restart): \(outcome)\n\(broker.outputTail())")
        }
    }

    // MARK: - 4. Clean sessions leave nothing behind

    func testCleanSessionsLeaveNothingInTheStore_v311() throws { try runCleanLeavesNothing(.v311) }
    func testCleanSessionsLeaveNothingInTheStore_v5() throws { try runCleanLeavesNothing(.v5) }

    /// Clean-session clients (3.1.1 clean session 1; 5.0 clean start with no or zero Session Expiry), one gone and
    /// one still connected at the kill, subscribe and publish; after SIGKILL only the persistent client has a row
    /// (checked with the sqlite3 program when it is installed) and only it gets session present = 1.
    private func runCleanLeavesNothing(_ version: WireVersion) throws {
        let durable = try DurableSetup(test: self)
        var broker = try durable.start()

        let keeper = try wire(broker, version)
        try connect(keeper, "keeper", persistent: true)
        XCTAssertEqual(try keeper.subscribe([("clean/#", 1)]), [0x01])
        try keeper.send(BrokerWire.disconnect)
        keeper.close()

        var fleeting = ["gone", "still-connected"]
        if version == .v5 { fleeting.append("zero-expiry") }
        var stillConnected: [BrokerWireClient] = []
        for clientID in fleeting {
            let client = try wire(broker, version)
            if clientID == "zero-expiry" {
                // Clean Start 0 but Session Expiry 0: the session ends with the connection [MQTT-3.1.2-23].
                let connack = try client.connect(clientID: clientID, clean: false, properties: [0x11] + RawMQTT.u32(0))
                XCTAssertEqual(connack.code, 0)
            } else {
                try connect(client, clientID, persistent: false)
            }
            // A subscription that would be stored if the session were (its own topic, so no PUBLISH comes back).
            XCTAssertEqual(try client.subscribe([("mine/\(clientID)/#", 1)]), [0x01])
            try publishQoS1(client, topic: "clean/\(clientID)", payload: Array(clientID.utf8), retain: false, id: 1)
            if clientID == "still-connected" {
                stillConnected.append(client)
            } else {
                try client.send(BrokerWire.disconnect)
                client.close()
            }
        }

        try kill9(broker, "with a clean-session client connected")
        stillConnected.forEach { $0.close() }
        broker = try durable.start()

        if let rows = try durable.sessionRows() {
            XCTAssertEqual(rows, ["keeper"], "only the persistent session may be in the store")
        } else {
            print("broker durability: sqlite3 not installed; the store's rows are checked through Session Present only")
        }
        for clientID in fleeting {
            let probe = try wire(broker, version)
            // 3.1.1 tells Session Present only to a clean-session-0 connection; 5.0 with Clean Start 0.
            let connack = try probe.connect(clientID: clientID, clean: false,
                                            properties: version == .v5 ? [0x11] + RawMQTT.u32(0) : [])
            XCTAssertFalse(connack.sessionPresent, "\(clientID) had a clean session: nothing may survive")
            let sender = try wire(broker, version)
            try connect(sender, "probe-sender", persistent: false)
            try publishQoS1(sender, topic: "mine/\(clientID)/x", payload: Array("no one".utf8), retain: false, id: 1)
            sender.close()
            let leftovers = try receive(probe, quiet: 0.3, timeout: 1, until: { _ in false })
            XCTAssertEqual(leftovers.map(\.topic), [], "\(clientID)'s subscription must be gone")
            try probe.send(BrokerWire.disconnect)
            probe.close()
        }
        let back = try wire(broker, version)
        XCTAssertTrue(try connect(back, "keeper", persistent: true).sessionPresent)
        let queued = try receive(back, until: { $0.count >= fleeting.count })
        XCTAssertEqual(Set(queued.map(\.topic)), Set(fleeting.map { "clean/\($0)" }), "keeper's queue survives")
    }

    // MARK: - 5. Handshakes in progress survive

    func testHandshakesInProgressSurviveSIGKILL_v311() throws { try runHandshakesSurvive(.v311) }
    func testHandshakesInProgressSurviveSIGKILL_v5() throws { try runHandshakesSurvive(.v5) }

    /// At the kill: a QoS 1 message sent to a subscriber and not acknowledged; a QoS 2 message the subscriber has
    /// PUBRECed (the broker sent PUBREL, no PUBCOMP yet); a QoS 2 message a persistent publisher sent and got
    /// PUBREC for, without PUBREL yet. After the restart: the QoS 1 message comes again with DUP and its packet id
    /// [MQTT-4.4.0-1]; the broker sends PUBREL again, not the PUBLISH; the publisher's PUBREL gets PUBCOMP; and
    /// the subscriber receives the publisher's QoS 2 message exactly once.
    private func runHandshakesSurvive(_ version: WireVersion) throws {
        let durable = try DurableSetup(test: self)
        var broker = try durable.start()
        let subscriberID = "hs-sub-\(version)"
        let publisherID = "hs-pub-\(version)"

        let subscriber = try wire(broker, version)
        try connect(subscriber, subscriberID, persistent: true)
        XCTAssertEqual(try subscriber.subscribe([("hs/#", 2)]), [0x02])

        let sender = try wire(broker, version)
        try connect(sender, "hs-sender-\(version)", persistent: false)
        try publishQoS1(sender, topic: "hs/one", payload: Array("unacknowledged".utf8), retain: false, id: 1)
        let one = try BrokerWire.publish(try subscriber.expect(3, "the QoS 1 PUBLISH"), version)  // not acknowledged
        XCTAssertEqual(one.qos, 1)
        try publishQoS1(sender, topic: "hs/two", payload: Array("half released".utf8), retain: false, id: 2, qos: 2)
        let two = try BrokerWire.publish(try subscriber.expect(3, "the QoS 2 PUBLISH"), version)
        XCTAssertEqual(two.qos, 2)
        try subscriber.send(RawMQTT.packet(0x50, RawMQTT.u16(two.packetID ?? 0)))  // PUBREC
        let release = try subscriber.expect(6, "PUBREL for the QoS 2 message")      // ... and no PUBCOMP
        XCTAssertEqual(Array(release.body.prefix(2)), RawMQTT.u16(two.packetID ?? 0))

        let publisher = try wire(broker, version)
        try connect(publisher, publisherID, persistent: true)
        let three = SentMessage(topic: "hs/three", number: 3, qos: 2, version: version)
        try publisher.send(BrokerWire.publish(version, topic: three.topic, payload: three.payload, qos: 2, id: 33,
                                              properties: three.properties))
        let received = try publisher.expect(5, "PUBREC for the publisher's QoS 2 message")  // ... and no PUBREL yet
        XCTAssertEqual(Array(received.body.prefix(2)), RawMQTT.u16(33))
        // The subscriber may get the third message before the kill (answered with PUBREC): its one delivery.
        var state = ReceiverState()
        var live: [Delivery] = []
        while case .packet(let packet) = try subscriber.next(timeout: 0.5) {
            if let delivery = try handle(packet, subscriber, &state) { live.append(delivery) }
        }

        try kill9(broker, "in the middle of three handshakes")
        subscriber.close()
        publisher.close()
        sender.close()
        broker = try durable.start()

        let publisherBack = try wire(broker, version)
        XCTAssertTrue(try connect(publisherBack, publisherID, persistent: true).sessionPresent, "the publisher's session")
        try publisherBack.send(RawMQTT.packet(0x62, RawMQTT.u16(33)))  // PUBREL
        let complete = try publisherBack.expect(7, "PUBCOMP for the publisher's PUBREL after the restart")
        XCTAssertEqual(Array(complete.body.prefix(2)), RawMQTT.u16(33))
        if version == .v5, complete.body.count >= 3 {
            XCTAssertEqual(complete.body[2], 0x00, "PUBCOMP 0x92 (packet id not found) means the PUBREC state was lost")
        }

        let back = try wire(broker, version)
        XCTAssertTrue(try connect(back, subscriberID, persistent: true).sessionPresent)
        state.releases = []
        let rest = try receive(back, &state, quiet: 1, timeout: 10, until: { delivered in
            (live + delivered).contains { $0.payload == three.payload } && delivered.contains { $0.payload == one.payload }
        })
        let oneAgain = rest.filter { $0.payload == one.payload }
        XCTAssertEqual(oneAgain.count, 1, "the unacknowledged QoS 1 message comes again, once: \(rest)")
        XCTAssertEqual(oneAgain.first?.dup, true, "a re-delivery carries DUP [MQTT-3.3.1-1]")
        XCTAssertEqual(oneAgain.first?.packetID, one.packetID, "a re-delivery keeps its packet id")
        XCTAssertTrue(state.releases.contains(two.packetID ?? -1),
                      "the broker must send PUBREL \(two.packetID ?? -1) again; PUBRELs after the restart: \(state.releases)")
        XCTAssertFalse((rest + state.repeats).contains { $0.payload == two.payload },
                       "the PUBRECed QoS 2 message must not be PUBLISHed again: \(rest + state.repeats)")
        let threes = (live + rest).filter { $0.payload == three.payload }
        XCTAssertEqual(threes.count, 1, "the publisher's QoS 2 message exactly once: \(live + rest)")
    }

    // MARK: - Broker processes

    /// One store file and one port, across restarts.
    private struct DurableSetup {
        let test: BrokerDurabilityTests
        let store: URL
        let port: Int

        init(test: BrokerDurabilityTests) throws {
            self.test = test
            store = try test.directory().appendingPathComponent("broker-\(test.nextLabel("store")).db")
            port = try InteropTools.freePort()
        }

        /// `mqttlab broker -p PORT --store FILE`, retried for a few seconds when the port is briefly unavailable
        /// after a SIGKILL.
        func start() throws -> MQTTLabBrokerProcess {
            let binary = try test.requireMQTTLab()
            // MQTTLAB_DURABILITY_TRACE=summary (or fields, hex) keeps each broker's trace in the work folder.
            let trace = ProcessInfo.processInfo.environment["MQTTLAB_DURABILITY_TRACE"] ?? "off"
            let arguments = ["broker", "-p", String(port), "--store", store.path, "--trace", trace, "--lang", "en"]
            let deadline = Date().addingTimeInterval(10)
            while true {
                do {
                    let broker = try MQTTLabBrokerProcess.start(
                        mqttlab: binary, arguments: arguments, directory: try test.directory(), label: test.nextLabel("broker")
                    )
                    test.durableBrokers.append(broker)
                    guard broker.port == port else { throw InteropError("the broker listens on \(broker.port), not \(port)") }
                    return broker
                } catch let error as InteropError {
                    // 69 (EX_UNAVAILABLE): the broker cannot listen. Anything else (64: no --store option yet) is final.
                    let portBusy = "\(error)".contains("exited with status 69")
                    if !portBusy || Date() >= deadline { throw error }
                    usleep(200_000)
                }
            }
        }

        /// The client ids in the store's session table, read with the `sqlite3` program; nil when it is missing.
        func sessionRows() throws -> [String]? {
            guard let sqlite3 = InteropTools.find("sqlite3") else { return nil }
            let outcome = try InteropProcess.run(
                sqlite3, [store.path, "SELECT clientID FROM session ORDER BY clientID"],
                label: test.nextLabel("sqlite3"), directory: try test.directory(), timeout: 10
            )
            guard outcome.status == 0 else { throw InteropError("sqlite3 failed: \(outcome.stderr)") }
            return outcome.stdoutText.split(separator: "\n").map(String.init)
        }
    }

    /// SIGKILL, and a check that the broker was still alive to be killed.
    private func kill9(_ broker: MQTTLabBrokerProcess, _ context: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let outcome = broker.stop(signal: SIGKILL, grace: 5)
        guard outcome.wasRunning else {
            throw InteropError("the broker died by itself before SIGKILL (\(context)): \(outcome)\n\(broker.outputTail())")
        }
    }

    // MARK: - Clients

    /// CONNECT; `persistent`: 3.1.1 clean session 0, 5.0 Clean Start 0 with Session Expiry 3600 s. Checks success.
    @discardableResult
    private func connect(_ client: BrokerWireClient, _ clientID: String, persistent: Bool) throws -> WireConnack {
        let properties = persistent && client.version == .v5 ? [0x11] + RawMQTT.u32(3600) : []
        let connack = try client.connect(clientID: clientID, clean: !persistent, properties: properties)
        guard connack.code == 0 else { throw InteropError("CONNECT \(clientID) refused: \(connack)") }
        return connack
    }

    private func publishQoS1(_ client: BrokerWireClient, _ message: SentMessage, id: Int) throws {
        try client.send(BrokerWire.publish(client.version, topic: message.topic, payload: message.payload, qos: 1, id: id,
                                           properties: message.properties))
        try expectAck(client, type: 4, id: id, "PUBACK for \(message.topic) #\(message.number)")
    }

    private func publishQoS2(_ client: BrokerWireClient, _ message: SentMessage, id: Int) throws {
        try client.send(BrokerWire.publish(client.version, topic: message.topic, payload: message.payload, qos: 2, id: id,
                                           properties: message.properties))
        try completeQoS2(client, id: id, "\(message.topic) #\(message.number)")
    }

    /// Publishes and waits for PUBACK (QoS 1) or PUBREC/PUBREL/PUBCOMP (QoS 2).
    private func publishQoS1(_ client: BrokerWireClient, topic: String, payload: [UInt8], retain: Bool, id: Int, qos: UInt8 = 1) throws {
        try client.send(BrokerWire.publish(client.version, topic: topic, payload: payload, qos: qos, retain: retain, id: id))
        if qos == 2 {
            try completeQoS2(client, id: id, topic)
        } else {
            try expectAck(client, type: 4, id: id, "PUBACK for \(topic)")
        }
    }

    private func completeQoS2(_ client: BrokerWireClient, id: Int, _ context: String) throws {
        try expectAck(client, type: 5, id: id, "PUBREC for \(context)")
        try client.send(RawMQTT.packet(0x62, RawMQTT.u16(id)))
        try expectAck(client, type: 7, id: id, "PUBCOMP for \(context)")
    }

    /// The next packet must be `type` for `id`, with a success reason code (5.0) if it has one.
    private func expectAck(_ client: BrokerWireClient, type: UInt8, id: Int, _ context: String) throws {
        var packet = try client.expect(type, timeout: 10, context)
        while Array(packet.body.prefix(2)) != RawMQTT.u16(id) {
            packet = try client.expect(type, timeout: 10, "\(context) (got one for another id: \(packet))")
        }
        if packet.body.count >= 3, packet.body[2] >= 0x80 {
            throw InteropError("\(context): refused with reason 0x\(String(packet.body[2], radix: 16))")
        }
    }

    /// A PUBLISH as the subscriber saw it.
    struct Delivery: CustomStringConvertible {
        var topic: String
        var payload: [UInt8]
        var qos: UInt8
        var dup: Bool
        var retain: Bool
        var packetID: Int?
        var properties: [WireProperty]

        init(_ publish: WirePublish) {
            topic = publish.topic
            payload = publish.payload
            qos = publish.qos
            dup = publish.dup
            retain = publish.retain
            packetID = publish.packetID
            properties = publish.properties
        }

        var description: String {
            "\(topic) q\(qos)\(dup ? " DUP" : "") id \(packetID.map(String.init) ?? "-") \"\(String(decoding: payload, as: UTF8.self))\""
        }
    }

    /// QoS 2 packet ids received and not yet released (a PUBLISH with one of them again is not a new message).
    struct ReceiverState {
        var unreleased = Set<Int>()
        /// Ids of the PUBRELs received, in order.
        var releases: [Int] = []
        /// QoS 2 PUBLISHes received again before their PUBREL (the same message, not a new delivery).
        var repeats: [Delivery] = []
    }

    /// Reads PUBLISHes and answers them like a correct client (PUBACK; PUBREC, then PUBCOMP on PUBREL) until
    /// `until` holds and the line has been quiet for `quiet` s, or `timeout` s pass, or the connection closes.
    private func receive(
        _ client: BrokerWireClient, quiet: TimeInterval = 1.5, timeout: TimeInterval = 30, until: ([Delivery]) -> Bool
    ) throws -> [Delivery] {
        var state = ReceiverState()
        return try receive(client, &state, quiet: quiet, timeout: timeout, until: until)
    }

    private func receive(
        _ client: BrokerWireClient, _ state: inout ReceiverState, quiet: TimeInterval, timeout: TimeInterval,
        until: ([Delivery]) -> Bool
    ) throws -> [Delivery] {
        let deadline = Date().addingTimeInterval(timeout)
        var deliveries: [Delivery] = []
        while Date() < deadline {
            let done = until(deliveries)
            let wait = done ? quiet : min(quiet, max(0.05, deadline.timeIntervalSinceNow))
            switch try client.next(timeout: wait) {
            case .packet(let packet):
                if let delivery = try handle(packet, client, &state) { deliveries.append(delivery) }
            case .closed:
                return deliveries
            case .timedOut:
                if done { return deliveries }
            }
        }
        return deliveries
    }

    /// What is already there (for the live subscriber during the storm), answered the same way.
    private func receiveAvailable(_ client: BrokerWireClient, _ state: inout ReceiverState, until end: Date = .now) throws -> [Delivery] {
        var deliveries: [Delivery] = []
        while true {
            switch try client.next(timeout: 0.002) {
            case .packet(let packet):
                if let delivery = try handle(packet, client, &state) { deliveries.append(delivery) }
            case .closed:
                return deliveries
            case .timedOut:
                if Date() >= end { return deliveries }
            }
        }
    }

    private func handle(_ packet: WirePacket, _ client: BrokerWireClient, _ state: inout ReceiverState) throws -> Delivery? {
        switch packet.type {
        case 3:
            let publish = try BrokerWire.publish(packet, client.version)
            let id = publish.packetID ?? 0
            switch publish.qos {
            case 1:
                try? client.send(BrokerWire.puback(id))
            case 2:
                try? client.send(RawMQTT.packet(0x50, RawMQTT.u16(id)))
                // Method B: a PUBLISH whose id is not released yet is the same message again.
                if !state.unreleased.insert(id).inserted {
                    state.repeats.append(Delivery(publish))
                    return nil
                }
            default:
                break
            }
            return Delivery(publish)
        case 6:
            let id = packet.body.count >= 2 ? Int(packet.body[0]) << 8 | Int(packet.body[1]) : 0
            state.unreleased.remove(id)
            state.releases.append(id)
            try? client.send(RawMQTT.packet(0x70, RawMQTT.u16(id)))
            return nil
        default:
            throw InteropError("the subscriber got an unexpected \(packet)")
        }
    }

    // MARK: - Checking deliveries

    /// Every acknowledged message arrived; nothing arrived that was not sent; per topic, first arrivals keep the
    /// send order; a repeat is a QoS 1 message with DUP set (none at all when `expectNoRepeats`).
    private func assertDelivered(
        _ deliveries: [Delivery], acknowledged: [SentMessage], sentAtAll: [SentMessage], expectNoRepeats: Bool,
        context: String = "", file: StaticString = #filePath, line: UInt = #line
    ) {
        let sentPayloads = Set(sentAtAll.map(\.payload))
        var seen = Set<[UInt8]>()
        var firstArrivals: [String: [Int]] = [:]
        for delivery in deliveries {
            guard sentPayloads.contains(delivery.payload) else {
                XCTFail("\(context) a payload that was never sent: \(delivery)", file: file, line: line)
                continue
            }
            if seen.insert(delivery.payload).inserted {
                if let number = SentMessage.number(in: delivery.payload) { firstArrivals[delivery.topic, default: []].append(number) }
            } else if expectNoRepeats {
                XCTFail("\(context) delivered twice: \(delivery)", file: file, line: line)
            } else {
                XCTAssertEqual(delivery.qos, 1, "\(context) a QoS 2 message delivered twice: \(delivery)", file: file, line: line)
                XCTAssertTrue(delivery.dup, "\(context) a repeat without DUP: \(delivery)", file: file, line: line)
            }
        }
        let missing = acknowledged.filter { !seen.contains($0.payload) }
        XCTAssertTrue(missing.isEmpty, "\(context) acknowledged but never delivered (\(missing.count) of \(acknowledged.count)): "
                        + missing.prefix(20).map { "\($0.topic) #\($0.number)" }.joined(separator: ", "), file: file, line: line)
        for (topic, numbers) in firstArrivals {
            XCTAssertEqual(numbers, numbers.sorted(), "\(context) \(topic) out of order", file: file, line: line)
        }
        let acknowledgedByTopic = Dictionary(grouping: acknowledged, by: \.topic)
        for (topic, messages) in acknowledgedByTopic {
            let expectedQoS = UInt8(messages.first?.qos ?? 1)
            for delivery in deliveries where delivery.topic == topic {
                XCTAssertEqual(delivery.qos, expectedQoS, "\(context) \(delivery) lost its QoS", file: file, line: line)
            }
        }
    }

    /// A numbered message: a payload unique to its topic and number that is not text (NUL, 0xFF) and, in 5.0,
    /// properties.
    struct SentMessage {
        let topic: String
        let number: Int
        let qos: Int
        let payload: [UInt8]
        let properties: [UInt8]

        init(topic: String, number: Int, qos: Int, version: WireVersion) {
            self.topic = topic
            self.number = number
            self.qos = qos
            payload = Array("m\(number)|\(topic)|".utf8) + [0x00, 0xFF, UInt8(number & 0xFF), 0xE2, 0x9C, 0x93]
            properties = version == .v5
                ? [0x26] + RawMQTT.string("n") + RawMQTT.string("\(number)") + [0x09] + RawMQTT.binary([0x00, 0xFF, 0x7F])
                : []
        }

        /// The number back from a payload.
        static func number(in payload: [UInt8]) -> Int? {
            guard payload.first == UInt8(ascii: "m"), let bar = payload.firstIndex(of: UInt8(ascii: "|")) else { return nil }
            return Int(String(decoding: payload[1..<bar], as: UTF8.self))
        }
    }
}
