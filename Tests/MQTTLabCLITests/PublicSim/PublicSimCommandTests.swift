import Foundation
import MQTTLabPublicSim
import XCTest

/// `mqttlab broker --public-sim` as a student runs it: the strangers appear in the trace as ordinary clients,
/// `mosquitto_sub -t '#'` finds the secret of the seed, and the prankster's command reaches the student's home.
final class PublicSimCommandTests: BrokerInteropTestCase {
    func testAStudentFindsTheSecretAndMeetsThePrankster() throws {
        try XCTSkipIf(MQTTLabBrokerProcess.referenceMode, "mqttlab-only feature")
        let broker = try startBroker(["--public-sim", "--seed", "11", "--sim-interval", "0.05", "--trace", "summary"])
        let clients = try mosquitto(broker, .v311)
        // The secret is retained: the first messages of a subscriber to # include it.
        let (messages, status) = try subscribeAndCollect(clients, ["-t", "#", "-C", "6", "-W", "10"])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(messages.contains { $0.topic == PublicSimSecret.topic(seed: 11) && $0.payload == PublicSimSecret.flag(seed: 11) },
                      "\(messages)")
        let light = try startSubscriber(broker, .v311, clientID: "mi-luz", ["-t", "casa/#"])
        XCTAssertEqual(try clients.pub(["-i", "mi-casa", "-t", "casa/salon/temperatura", "-m", "21.5"]).status, 0)
        let seen = light.waitForMessages(3)
        XCTAssertEqual(seen.prefix(2).map(\.topic), ["casa/salon/temperatura", "casa/luz/set"])
        XCTAssertEqual(seen.dropFirst().first?.payload, "ON")
        // Every stranger is an ordinary client of the trace.
        XCTAssertTrue(eventually(timeout: 3) { broker.stdout.contains("bromista-") && broker.stdout.contains("casa/luz/set") }, broker.outputTail())
        XCTAssertTrue(broker.stdout.contains("termostato-") && broker.stdout.contains("backup-x"), broker.outputTail())
    }

    func testSeedWithoutPublicSimIsAUsageError() throws {
        try XCTSkipIf(MQTTLabBrokerProcess.referenceMode, "mqttlab-only feature")
        guard let mqttlab = try requireMQTTLab() else { return }
        let outcome = try InteropProcess.run(mqttlab, ["broker", "-p", "0", "--seed", "3"], label: nextLabel("seed-alone"),
                                             directory: try directory(), timeout: 10)
        XCTAssertEqual(outcome.status, 64)
        XCTAssertTrue(outcome.stderr.contains("--seed and --sim-interval go with --public-sim"), outcome.stderr)
    }
}
