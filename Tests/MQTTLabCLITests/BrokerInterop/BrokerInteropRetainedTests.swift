import Foundation
import XCTest

/// Retained messages: store, replace, clear; the RETAIN flag on subscription-time and live deliveries;
/// 5.0 Retain As Published and Retain Handling.
final class BrokerInteropRetainedTests: BrokerInteropTestCase {
    func testRetainedSetReplaceAndClearWithMosquittoClients_v311() throws { try runSetReplaceClear(.v311) }
    func testRetainedSetReplaceAndClearWithMosquittoClients_v5() throws { try runSetReplaceClear(.v5) }

    /// `mosquitto_pub -r` stores the message [MQTT-3.3.1-5]; a later subscriber gets it with RETAIN 1 [MQTT-3.3.1-6]
    /// [MQTT-3.3.1-8 (3.1.1) / MQTT-3.3.1-9 (5.0)] at min(stored QoS, granted QoS); a new retained publish replaces it;
    /// `-r -n` (empty payload) is forwarded to current subscribers as a live message and deletes the retained one
    /// [MQTT-3.3.1-10, -11 (3.1.1) / MQTT-3.3.1-6, -7 (5.0)]: a later subscriber gets nothing.
    private func runSetReplaceClear(_ version: WireVersion) throws {
        let broker = try startBroker()
        let clients = try mosquitto(broker, version)
        try clients.pub(["-t", "ret/t", "-m", "one", "-r", "-q", "1", "-i", "ret-set"])
        let first = try subscribeAndCollect(clients, ["-t", "ret/t", "-q", "1", "-C", "1", "-W", "5", "-i", "ret-get1"])
        XCTAssertEqual(first.status, 0)
        XCTAssertEqual(first.messages, [SubLine(topic: "ret/t", qos: 1, retain: true, payload: "one")])

        try clients.pub(["-t", "ret/t", "-m", "two", "-r", "-q", "0", "-i", "ret-replace"])
        let second = try subscribeAndCollect(clients, ["-t", "ret/t", "-q", "2", "-C", "1", "-W", "5", "-i", "ret-get2"])
        XCTAssertEqual(second.messages, [SubLine(topic: "ret/t", qos: 0, retain: true, payload: "two")], "replaced, stored at QoS 0")

        let live = try startSubscriber(broker, version, clientID: "ret-live", ["-t", "ret/t", "-q", "1", "-C", "2", "-W", "8"])
        try clients.pub(["-t", "ret/t", "-n", "-r", "-q", "1", "-i", "ret-clear"])
        XCTAssertEqual(live.waitForExit(), 0, "live subscriber: \(live.process.stdout)")
        XCTAssertEqual(live.messages, [
            SubLine(topic: "ret/t", qos: 0, retain: true, payload: "two"),
            SubLine(topic: "ret/t", qos: 1, retain: false, payload: ""),
        ])

        let after = try subscribeAndCollect(clients, ["-t", "ret/t", "-q", "1", "-C", "1", "-W", "1", "-i", "ret-get3"])
        XCTAssertEqual(after.messages, [], "the empty retained publish must delete the retained message")
        XCTAssertEqual(after.status, 27, "mosquitto_sub should time out (exit 27) with nothing to receive")
    }

    // MARK: - RETAIN flag on delivery

    func testLiveForwardingClearsRetainFlag_v311() throws { try runRetainFlag(.v311) }
    func testRetainAsPublished_v5() throws { try runRetainFlag(.v5) }

    private struct RetainFlagResult: Decodable {
        var live: [PahoMessage]
        var livePublished: [PahoMessage]
        var late: [PahoMessage]
        var resubscribed: [PahoMessage]
    }

    /// Live forwarding of a retained publish: 3.1.1 RETAIN 0 [MQTT-3.3.1-9 (3.1.1)]; 5.0 RETAIN 0 unless the
    /// subscription has Retain As Published, then the publisher's flag [MQTT-3.3.1-12, -13 (5.0)]. A RETAIN 0
    /// publish leaves the store alone [MQTT-3.3.1-12 (3.1.1) / MQTT-3.3.1-8 (5.0)]. A new subscriber gets the stored
    /// message with RETAIN 1 whatever its RAP [MQTT-3.3.1-8 (3.1.1)], and again on an identical re-subscribe
    /// [MQTT-3.8.4-3 (3.1.1) / MQTT-3.8.4-4 (5.0)].
    private func runRetainFlag(_ version: WireVersion) throws {
        let broker = try startBroker()
        let result = try paho(broker).run(#"""
def scenario():
    live = LabClient("rf-live")
    live.subscribe("rf/#", qos=1)
    rap = None
    if V5:
        rap = LabClient("rf-rap")
        rap.subscribe("rf/#", options=sub_options(qos=1, retain_as_published=True))
    pub = LabClient("rf-pub")
    pub.publish("rf/a", "stored", qos=1, retain=True)
    pub.publish("rf/b", "not stored", qos=1, retain=False)
    live.wait_messages(2)
    if rap:
        rap.wait_messages(2)
    late = LabClient("rf-late")
    late.subscribe("rf/#", options=sub_options(qos=1) if V5 else None, qos=1)
    late.wait_messages(1)
    late.collect(0.3)
    late.subscribe("rf/#", options=sub_options(qos=1) if V5 else None, qos=1)
    time.sleep(0.4)
    return {"live": live.received(), "livePublished": rap.received() if rap else [],
            "late": late.received()[:1], "resubscribed": late.received()[1:]}
"""#, version: version, as: RetainFlagResult.self)
        let stored = PahoMessage(topic: "rf/a", payload: "stored", hex: hex("stored"), qos: 1, retain: true, dup: false, properties: .init())
        let notStored = PahoMessage(topic: "rf/b", payload: "not stored", hex: hex("not stored"), qos: 1, retain: false, dup: false, properties: .init())
        var storedLive = stored
        storedLive.retain = false
        XCTAssertEqual(result.live, [storedLive, notStored], "live forwarding clears RETAIN")
        if version == .v5 {
            XCTAssertEqual(result.livePublished, [stored, notStored], "Retain As Published keeps the publisher's flag")
        }
        XCTAssertEqual(result.late, [stored], "subscription-time delivery has RETAIN 1; rf/b was not stored")
        XCTAssertEqual(result.resubscribed, [stored], "an identical re-subscription sends the retained message again")
    }

    // MARK: - Retain Handling (5.0)

    private struct RetainHandlingResult: Decodable {
        var never: [PahoMessage]
        var ifNew: [PahoMessage]
        var always: [PahoMessage]
    }

    /// Retain Handling 0 sends retained messages on every subscribe [MQTT-3.3.1-9], 1 only when the subscription is
    /// new [MQTT-3.3.1-10], 2 never [MQTT-3.3.1-11]. Re-subscribing replaces the subscription (one copy of later
    /// live messages) [MQTT-3.8.4-3].
    func testRetainHandling_v5() throws {
        let broker = try startBroker()
        let result = try paho(broker).run(#"""
def scenario():
    pub = LabClient("rh-pub")
    pub.publish("rh/t", "kept", qos=1, retain=True)
    clients = {}
    for name, rh in (("never", 2), ("ifNew", 1), ("always", 0)):
        c = LabClient("rh-" + name)
        c.subscribe("rh/t", options=sub_options(qos=1, retain_handling=rh))
        c.subscribe("rh/t", options=sub_options(qos=1, retain_handling=rh))
        clients[name] = c
    time.sleep(0.4)
    pub.publish("rh/t", "live", qos=1)
    for c in clients.values():
        c.wait(lambda: any(m["payload"] == "live" for m in c.messages), "live message")
    time.sleep(0.2)
    return {name: c.received() for name, c in clients.items()}
"""#, version: .v5, as: RetainHandlingResult.self)
        XCTAssertEqual(result.never.map(\.payload), ["live"], "RH 2: no retained message")
        XCTAssertEqual(result.ifNew.map(\.payload), ["kept", "live"], "RH 1: retained only for the new subscription")
        XCTAssertEqual(result.always.map(\.payload), ["kept", "kept", "live"], "RH 0: retained on every subscribe")
        XCTAssertEqual(result.always.map(\.retain), [true, true, false])
    }

    private func hex(_ text: String) -> String { text.utf8.map { String(format: "%02x", $0) }.joined() }
}
