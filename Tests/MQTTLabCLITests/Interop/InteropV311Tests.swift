import XCTest

/// MQTT 3.1.1 traffic from mosquitto_pub/sub through Mosquitto, dissected by tshark and by `mqttlab decode`:
/// every tshark field must be in mqttlab's output with the same value (see `InteropFieldComparison`).
final class InteropV311Tests: InteropTestCase {
    func testPublishQoS0() throws { try runPublishScenario(.v311, qos: 0) }
    func testPublishQoS1() throws { try runPublishScenario(.v311, qos: 1) }
    func testPublishQoS2() throws { try runPublishScenario(.v311, qos: 2) }
    func testRetainedSetAndClear() throws { try runRetainedScenario(.v311) }
    func testWillWithQoSAndRetain() throws { try runWillScenario(.v311) }
    func testUsernameAndPassword() throws { try runCredentialsScenario(.v311) }
    func testPersistentSessionQueuesWhileOffline() throws { try runPersistentSessionScenario(.v311) }
    func testUnsubscribe() throws { try runUnsubscribeScenario(.v311) }
}
