import MQTTBrokerCore
import MQTTCodec
import XCTest

final class WillAndSessionTests: XCTestCase {
    private let will = Connect.Will(topic: "estado/ana", payload: Array("offline".utf8), qos: .atLeastOnce, retain: true)

    /// The will is published when the connection ends without DISCONNECT [MQTT-3.1.2-8] and not after a
    /// normal DISCONNECT [MQTT-3.14.4-3].
    func testWillOnAbnormalEndOnly() {
        let harness = EngineHarness()
        let (watcher, _) = harness.connect("watcher")
        _ = harness.subscribe(watcher, "estado/#")
        let (ana, _) = harness.connect("ana", will: will)
        harness.send(.disconnect(Disconnect()), from: ana)
        XCTAssertEqual(harness.publishes(watcher), [])
        let (again, _) = harness.connect("ana", will: will)
        harness.feed(.disconnected(again))
        let received = harness.publishes(watcher)
        XCTAssertEqual(received.map(\.text), ["offline"])
        XCTAssertEqual(received.first?.qos, .atLeastOnce)
    }

    func testWillOnKeepAliveExpiryAndDisconnectWithWill() {
        let harness = EngineHarness()
        let (watcher, _) = harness.connect("watcher")
        _ = harness.subscribe(watcher, "estado/#", qos: .atMostOnce)
        harness.connect("ana", keepAlive: 2, will: will)
        harness.advance(seconds: 3.5)
        XCTAssertEqual(harness.publishes(watcher).map(\.text), ["offline"])
        let (v5, _) = harness.connect("v5", version: .v5_0, will: will)
        harness.send(.disconnect(Disconnect(reasonCode: .disconnectWithWillMessage)), from: v5)
        XCTAssertEqual(harness.publishes(watcher).map(\.text), ["offline"], "5.0 DISCONNECT 0x04 keeps the will")
    }

    /// 5.0 will delay: published after the delay, cancelled if the session continues in time [MQTT-3.1.3-9].
    func testWillDelay() {
        let harness = EngineHarness()
        let (watcher, _) = harness.connect("watcher")
        _ = harness.subscribe(watcher, "estado/#", qos: .atMostOnce)
        var delayed = will
        delayed.properties = [.willDelayInterval(5)]
        let (ana, _) = harness.connect("ana", version: .v5_0, will: delayed, properties: [.sessionExpiryInterval(60)])
        harness.feed(.disconnected(ana))
        harness.advance(seconds: 3)
        XCTAssertEqual(harness.publishes(watcher), [])
        harness.connect("ana", version: .v5_0, clean: false, properties: [.sessionExpiryInterval(60)])
        harness.advance(seconds: 10)
        XCTAssertEqual(harness.publishes(watcher), [], "the session continued: no will")
        let (ben, _) = harness.connect("ben", version: .v5_0, will: delayed, properties: [.sessionExpiryInterval(60)])
        harness.feed(.disconnected(ben))
        harness.advance(seconds: 6)
        XCTAssertEqual(harness.publishes(watcher).map(\.text), ["offline"])
        // A clean start ends the old session: its delayed will goes out at once.
        let (carla, _) = harness.connect("carla", version: .v5_0, will: delayed, properties: [.sessionExpiryInterval(60)])
        harness.feed(.disconnected(carla))
        harness.advance(seconds: 1)
        XCTAssertEqual(harness.publishes(watcher), [])
        harness.connect("carla", version: .v5_0, clean: true)
        XCTAssertEqual(harness.publishes(watcher).map(\.text), ["offline"])
        harness.advance(seconds: 10)
        XCTAssertEqual(harness.publishes(watcher), [], "and only once")
    }

    /// 5.0 session expiry: kept for its interval, then discarded [MQTT-4.1.0-2]; 0 ends with the connection.
    func testSessionExpiry() {
        let harness = EngineHarness()
        let (first, _) = harness.connect("ana", version: .v5_0, properties: [.sessionExpiryInterval(30)])
        harness.feed(.disconnected(first))
        harness.advance(seconds: 20)
        XCTAssertEqual(harness.connect("ana", version: .v5_0, clean: false, properties: [.sessionExpiryInterval(30)]).1?.sessionPresent, true)
        harness.feed(.disconnected(ConnectionID(2)))
        harness.advance(seconds: 31)
        XCTAssertTrue(harness.events.contains(.sessionEnded(clientID: "ana", expired: true)))
        XCTAssertEqual(harness.connect("ana", version: .v5_0, clean: false).1?.sessionPresent, false)
    }

    /// A DISCONNECT may not raise the session expiry from 0 (Protocol Error).
    func testDisconnectCannotRaiseExpiryFromZero() {
        let harness = EngineHarness()
        let (id, _) = harness.connect("ana", version: .v5_0)
        harness.send(.disconnect(Disconnect(properties: [.sessionExpiryInterval(60)])), from: id)
        XCTAssertEqual(harness.take(id), [.disconnect(Disconnect(reasonCode: .protocolError, properties: [
            .reasonString("a DISCONNECT may not set a Session Expiry Interval when the CONNECT set it to 0"),
        ]))])
    }

    /// Unsubscribe compares filters exactly [MQTT-3.10.4-1]; 5.0 says 0x11 when nothing was subscribed.
    func testUnsubscribe() {
        let harness = EngineHarness()
        let (id, _) = harness.connect("ana", version: .v5_0)
        _ = harness.subscribe(id, "casa/#")
        harness.send(.unsubscribe(Unsubscribe(packetID: 4, filters: ["casa/#", "casa/+"])), from: id)
        XCTAssertEqual(harness.take(id), [.unsuback(UnsubAck(packetID: 4, reasonCodes: [.success, .noSubscriptionExisted]))])
        let (pub, _) = harness.connect("pub")
        harness.publish(pub, "casa/x", "1")
        XCTAssertEqual(harness.publishes(id), [])
    }
}
