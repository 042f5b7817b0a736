import Foundation
import XCTest

/// `mqttlab sub` opens the connection again when the broker goes away, and subscribes again, as
/// mosquitto_sub does: a lesson that restarts the broker does not need to restart the subscriber.
final class SubReconnectTests: ClientInteropTestCase {
    func testSubscriberComesBackAfterABrokerRestart() throws {
        let port = try InteropTools.freePort()
        let arguments = ["broker", "-p", "\(port)", "--trace", "off", "--lang", "en"]
        let first = try MQTTLabBrokerProcess(executable: try mqttlab(), arguments: arguments, directory: try directory(), label: label("broker"))
        let sub = try backgroundSubscriber(try mqttlab(), ["sub", "-p", "\(port)", "-t", "r", "-q", "1", "-v", "-C", "2", "-i", "back"])
        XCTAssertEqual(try mosquitto("mosquitto_pub", ["-p", "\(port)", "-t", "r", "-m", "before", "-q", "1"]).status, 0)
        XCTAssertTrue(sub.waitUntil(timeout: 5) { Self.messageOutput(sub).contains("r before") })
        _ = first.stop()
        let second = try MQTTLabBrokerProcess(executable: try mqttlab(), arguments: arguments, directory: try directory(), label: label("broker"))
        defer { _ = second.stop() }
        let resubscribed = sub.waitUntil(timeout: 15) { sub.stdout.components(separatedBy: "received SUBACK").count >= 3 }
        XCTAssertTrue(resubscribed, "no second SUBACK: \(sub.stdout.suffix(500)) \(sub.stderr)")
        XCTAssertEqual(try mosquitto("mosquitto_pub", ["-p", "\(port)", "-t", "r", "-m", "after", "-q", "1"]).status, 0)
        XCTAssertTrue(sub.waitForExit(timeout: 10))
        XCTAssertEqual(sub.exitStatus, 0)
        XCTAssertEqual(Self.messageOutput(sub), "r before\nr after\n")
        XCTAssertEqual(sub.stderr, "", "reconnecting is silent, as with mosquitto_sub")
    }
}
