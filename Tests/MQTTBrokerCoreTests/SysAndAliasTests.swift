import MQTTBrokerCore
import MQTTCodec
import XCTest

final class SysAndAliasTests: XCTestCase {
    /// `$SYS/broker/...` statistics every sys_interval, retained, invisible to `#` [MQTT-4.7.2-1].
    func testSysTopicsArePublishedEveryInterval() {
        let harness = EngineHarness { $0.sysInterval = 10 }
        let (everything, _) = harness.connect("everything")
        _ = harness.subscribe(everything, "#", qos: .atMostOnce)
        let (sys, _) = harness.connect("sys")
        _ = harness.subscribe(sys, "$SYS/broker/clients/connected", qos: .atMostOnce, packetID: 2)
        harness.advance(seconds: 1)
        XCTAssertEqual(harness.publishes(sys).map(\.text), ["2"])
        harness.advance(seconds: 5)
        XCTAssertEqual(harness.publishes(sys), [], "not before the interval")
        harness.connect("third")
        harness.advance(seconds: 5)
        XCTAssertEqual(harness.publishes(sys).map(\.text), ["3"])
        XCTAssertEqual(harness.publishes(everything), [], "# never sees $SYS")
        // Retained: a late subscriber gets the current value at once.
        let (late, _) = harness.connect("late")
        _ = harness.subscribe(late, "$SYS/broker/version", qos: .atMostOnce)
        XCTAssertEqual(harness.publishes(late).first?.text, "mqttlab version 0.1.0")
    }

    func testSysTopicsOff() {
        let harness = EngineHarness { $0.sysInterval = 0 }
        let (sys, _) = harness.connect("sys")
        _ = harness.subscribe(sys, "$SYS/#", qos: .atMostOnce)
        harness.advance(seconds: 30)
        XCTAssertEqual(harness.publishes(sys), [])
    }

    /// The broker uses topic aliases towards a 5.0 client that accepts them [MQTT-3.3.2-9..12].
    func testOutgoingTopicAliases() {
        let harness = EngineHarness()
        let (sub, _) = harness.connect("sub", version: .v5_0, properties: [.topicAliasMaximum(1)])
        _ = harness.subscribe(sub, "casa/#", qos: .atMostOnce)
        let (pub, _) = harness.connect("pub")
        harness.publish(pub, "casa/luz", "1")
        harness.publish(pub, "casa/luz", "2")
        harness.publish(pub, "casa/puerta", "3")
        let received = harness.publishes(sub)
        XCTAssertEqual(received.map(\.topic), ["casa/luz", "", "casa/puerta"], "alias 1 is taken: the third topic goes in full")
        XCTAssertEqual(received.map { $0.properties.contains(.topicAlias(1)) }, [true, true, false])
        // Without a Topic Alias Maximum (default 0) no aliases are used.
        let (plain, _) = harness.connect("plain", version: .v5_0)
        _ = harness.subscribe(plain, "casa/#", qos: .atMostOnce)
        harness.publish(pub, "casa/luz", "4")
        XCTAssertEqual(harness.publishes(plain).first?.properties, [])
    }
}
