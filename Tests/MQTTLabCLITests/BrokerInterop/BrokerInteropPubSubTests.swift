import Foundation
import XCTest

/// Publish/subscribe at every QoS with mosquitto_pub/sub and paho; QoS downgrade; overlapping subscriptions;
/// `+`, `#` and `$` topics.
final class BrokerInteropPubSubTests: BrokerInteropTestCase {
    // MARK: - mosquitto_pub → mosquitto_sub

    func testMosquittoPubToSubAtEveryQoS_v311() throws { try runMosquittoQoS(.v311) }
    func testMosquittoPubToSubAtEveryQoS_v5() throws { try runMosquittoQoS(.v5) }

    /// mosquitto_pub at QoS 0, 1, 2 (it exits 0 only once PUBACK / PUBCOMP arrived [MQTT-3.3.4-1]); a QoS 2
    /// mosquitto_sub gets each message once at the published QoS [MQTT-3.8.4-6 (3.1.1) / MQTT-3.8.4-8 (5.0)], live
    /// (RETAIN 0) [MQTT-3.3.1-9 (3.1.1) / MQTT-3.3.1-12 (5.0)].
    private func runMosquittoQoS(_ version: WireVersion) throws {
        let broker = try startBroker()
        let clients = try mosquitto(broker, version)
        let subscriber = try startSubscriber(broker, version, clientID: "qos-sub", ["-t", "lab/#", "-q", "2", "-C", "3", "-W", "10"])
        for qos in 0...2 {
            let outcome = try clients.pub(["-t", "lab/q\(qos)", "-m", "hello qos \(qos)", "-q", String(qos), "-i", "qos-pub-\(qos)"])
            XCTAssertEqual(outcome.status, 0, "mosquitto_pub QoS \(qos): \(outcome.stderr)")
        }
        XCTAssertEqual(subscriber.waitForExit(), 0, "mosquitto_sub did not get 3 messages: \(subscriber.process.stdout)")
        XCTAssertEqual(subscriber.messages.sorted { $0.topic < $1.topic }, (0...2).map {
            SubLine(topic: "lab/q\($0)", qos: $0, retain: false, payload: "hello qos \($0)")
        })
    }

    // MARK: - paho: the QoS matrix

    func testPahoDeliveredQoSIsMinimumOfPublishedAndGranted_v311() throws { try runQoSMatrix(.v311) }
    func testPahoDeliveredQoSIsMinimumOfPublishedAndGranted_v5() throws { try runQoSMatrix(.v5) }

    private struct MatrixResult: Decodable {
        var granted: [String: [Int]]
        var received: [String: [PahoMessage]]
    }

    /// Three subscribers granted QoS 0, 1, 2 [MQTT-3.9.3-1]; one publisher sends QoS 0, 1, 2 plus 10 QoS 1 messages in a
    /// row and one binary payload. Delivered QoS = min(published, granted), never upgraded [MQTT-3.8.4-6 (3.1.1) /
    /// MQTT-3.8.4-8 (5.0)] (pitfall §10.2); DUP 0 on first delivery [MQTT-3.3.1-1..-3]; payload bytes untouched;
    /// same-QoS messages of one publisher arrive in order [MQTT-4.6.0-6 (3.1.1) / MQTT-4.6.0-5 (5.0)].
    private func runQoSMatrix(_ version: WireVersion) throws {
        let broker = try startBroker()
        let result = try paho(broker).run(#"""
def scenario():
    subs = {g: LabClient(f"matrix-sub{g}") for g in (0, 1, 2)}
    granted = {str(g): c.subscribe("matrix/#", qos=g) for g, c in subs.items()}
    pub = LabClient("matrix-pub")
    for q in (0, 1, 2):
        pub.publish("matrix/single", f"p{q}", qos=q)
    for n in range(10):
        pub.publish("matrix/seq", f"seq-{n}", qos=1)
    pub.publish("matrix/bin", bytes(range(256)), qos=2)
    received = {str(g): c.wait_messages(14) for g, c in subs.items()}
    time.sleep(0.3)
    received = {str(g): c.received() for g, c in subs.items()}
    return {"granted": granted, "received": received}
"""#, version: version, as: MatrixResult.self)
        XCTAssertEqual(result.granted, ["0": [0], "1": [1], "2": [2]], "SUBACK granted QoS")
        for granted in 0...2 {
            let messages = result.received[String(granted)] ?? []
            XCTAssertEqual(messages.count, 14, "subscriber granted \(granted) got \(messages)")
            let singles = messages.filter { $0.topic == "matrix/single" }.sorted { $0.payload < $1.payload }
            XCTAssertEqual(singles.map(\.payload), ["p0", "p1", "p2"], "granted \(granted)")
            XCTAssertEqual(singles.map(\.qos), (0...2).map { min($0, granted) }, "granted \(granted): delivered QoS = min(published, granted)")
            let sequence = messages.filter { $0.topic == "matrix/seq" }
            XCTAssertEqual(sequence.map(\.payload), (0..<10).map { "seq-\($0)" }, "granted \(granted): order of one publisher's QoS 1 messages")
            XCTAssertEqual(Set(sequence.map(\.qos)), [min(1, granted)])
            let binary = messages.filter { $0.topic == "matrix/bin" }
            XCTAssertEqual(binary.map(\.hex), [(0..<256).map { String(format: "%02x", $0) }.joined()], "binary payload")
            XCTAssertEqual(binary.map(\.qos), [min(2, granted)])
            XCTAssertTrue(messages.allSatisfy { !$0.dup && !$0.retain }, "DUP and RETAIN must be 0: \(messages)")
        }
    }

    // MARK: - Overlapping subscriptions

    func testOverlappingSubscriptionsDeliverAtHighestQoS_v311() throws { try runOverlapping(.v311) }
    func testOverlappingSubscriptionsDeliverOnceAtHighestQoS_v5() throws { try runOverlapping(.v5) }

    private struct OverlapResult: Decodable {
        var granted: [Int]
        var received: [PahoMessage]
    }

    /// One client subscribed to `ov/#` (QoS 0) and `ov/+` (QoS 2). A QoS 2 message on `ov/a` matches both: it is
    /// delivered at the highest granted QoS [MQTT-3.3.5-1 (3.1.1) / MQTT-3.3.4-2 (5.0)]; mqttlab sends one copy per
    /// client (pitfall §10.3), asserted for 5.0. `ov/a/b` matches only `ov/#`: one copy at QoS 0.
    private func runOverlapping(_ version: WireVersion) throws {
        let broker = try startBroker()
        let result = try paho(broker).run(#"""
def scenario():
    sub = LabClient("overlap-sub")
    granted = sub.subscribe([("ov/#", 0), ("ov/+", 2)])
    pub = LabClient("overlap-pub")
    pub.publish("ov/a", "both", qos=2)
    pub.publish("ov/a/b", "only-hash", qos=2)
    pub.publish("ov/end", "end", qos=0)
    sub.wait(lambda: any(m["payload"] == "end" for m in sub.messages), "end marker")
    return {"granted": granted, "received": sub.collect(0.4)}
"""#, version: version, as: OverlapResult.self)
        XCTAssertEqual(result.granted, [0, 2])
        let both = result.received.filter { $0.payload == "both" }
        XCTAssertFalse(both.isEmpty, "the message matching both filters was not delivered: \(result.received)")
        XCTAssertEqual(both.map(\.qos).max(), 2, "delivered at the maximum QoS of the matching subscriptions: \(both)")
        if version == .v5 {
            XCTAssertEqual(both.count, 1, "one copy per client: \(both)")
        }
        let onlyHash = result.received.filter { $0.payload == "only-hash" }
        XCTAssertEqual(onlyHash.map(\.qos), [0], "\(onlyHash)")
    }

    // MARK: - Wildcards and $ topics

    func testWildcardMatchingAndDollarTopics_v311() throws { try runWildcards(.v311) }
    func testWildcardMatchingAndDollarTopics_v5() throws { try runWildcards(.v5) }

    /// `+` matches exactly one (possibly empty) level, `#` zero or more including the parent [MQTT-4.7.1-2]
    /// [MQTT-4.7.1-3 (3.1.1) / MQTT-4.7.1-1, -2 (5.0)]; topics are case-sensitive and compared byte for byte
    /// [MQTT-4.7.3-4]; filters starting with a wildcard never match `$` topics [MQTT-4.7.2-1] (nor the broker's `$SYS`);
    /// an explicit `$lab/#` does (as in Mosquitto).
    private func runWildcards(_ version: WireVersion) throws {
        let broker = try startBroker()
        let filters = ["casa/+/temp", "casa/#", "#", "+/+", "+/#", "$lab/#"]
        let result = try paho(broker).run(#"""
def scenario():
    subs = {}
    for n, f in enumerate(ARGS["filters"]):
        subs[f] = LabClient(f"wild{n}")
        subs[f].subscribe(f, qos=1)
    pub = LabClient("wild-pub")
    for topic in ARGS["topics"]:
        pub.publish(topic, topic, qos=1)
    for f in ("#", "+/+", "+/#"):
        subs[f].wait(lambda: any(m["topic"] == "zz/end" for m in subs[f].messages), "end marker on " + f)
    time.sleep(0.3)
    return {f: [m["topic"] for m in c.received()] for f, c in subs.items()}
"""#, version: version, parameters: [
            "filters": filters,
            "topics": ["casa/cocina/temp", "casa/temp", "casa", "casa/a/b/temp", "casa/", "/casa", "$lab/x", "Casa/cocina/temp", "zz/end"],
        ], as: [String: [String]].self)
        let everythingButDollar = ["casa/cocina/temp", "casa/temp", "casa", "casa/a/b/temp", "casa/", "/casa", "Casa/cocina/temp", "zz/end"]
        let expected: [String: [String]] = [
            "casa/+/temp": ["casa/cocina/temp"],
            "casa/#": ["casa/cocina/temp", "casa/temp", "casa", "casa/a/b/temp", "casa/"],
            "#": everythingButDollar,
            "+/+": ["casa/temp", "casa/", "/casa", "zz/end"],
            "+/#": everythingButDollar,
            "$lab/#": ["$lab/x"],
        ]
        for filter in filters {
            XCTAssertEqual(result[filter], expected[filter], "filter \(filter)")
        }
    }
}
