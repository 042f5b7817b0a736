import XCTest

/// MQTT 5.0 traffic from mosquitto_pub/sub through Mosquitto, dissected by tshark and by `mqttlab decode`:
/// every tshark field must be in mqttlab's output with the same value (see `InteropFieldComparison`).
final class InteropV5Tests: InteropTestCase {
    func testPublishQoS0() throws { try runPublishScenario(.v5, qos: 0) }
    func testPublishQoS1() throws { try runPublishScenario(.v5, qos: 1) }
    func testPublishQoS2() throws { try runPublishScenario(.v5, qos: 2) }
    func testRetainedSetAndClear() throws { try runRetainedScenario(.v5) }
    func testWillWithQoSAndRetain() throws { try runWillScenario(.v5) }
    func testUsernameAndPassword() throws { try runCredentialsScenario(.v5) }
    func testPersistentSessionQueuesWhileOffline() throws { try runPersistentSessionScenario(.v5) }
    func testUnsubscribe() throws { try runUnsubscribeScenario(.v5) }
}
