import Foundation
import XCTest

/// `mqttlab bench` counts exactly: every message published at QoS 1 and 2 reaches every subscriber
/// once, on Mosquitto and on mqttlab's broker, and the JSON says so.
final class ClientBenchTests: ClientInteropTestCase {
    func testCountsAreExactAndNothingIsLostAtQoS1And2() throws {
        for broker in ClientTestBroker.allCases {
            let port = try start(broker)
            for qos in [1, 2] {
                let outcome = try lab(["bench", "-h", "127.0.0.1", "-p", "\(port)", "-q", "\(qos)", "--publishers", "2",
                                       "--subscribers", "3", "--count", "300", "--size", "32", "--json"], timeout: 60)
                XCTAssertEqual(outcome.status, 0, outcome.stderr)
                let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: outcome.stdout) as? [String: Any], outcome.stdoutText)
                XCTAssertEqual(object["published"] as? Int, 600, "\(broker) QoS \(qos)")
                XCTAssertEqual(object["expected"] as? Int, 1800, "each of 3 subscribers expects all 600")
                XCTAssertEqual(object["received"] as? Int, 1800, "\(broker) QoS \(qos): \(outcome.stdoutText)")
                XCTAssertEqual(object["lost"] as? Int, 0)
                XCTAssertEqual(object["duplicated"] as? Int, 0)
                let latency = try XCTUnwrap(object["latency"] as? [String: Double])
                let p50 = try XCTUnwrap(latency["p50_us"]), p99 = try XCTUnwrap(latency["p99_us"]), max = try XCTUnwrap(latency["max_us"])
                XCTAssertTrue(p50 > 0 && p50 <= p99 && p99 <= max, "percentiles are ordered: \(latency)")
            }
        }
    }

    func testQoS0WithoutSubscribersPublishesTheExactCountAndTheOldSubcommandsRemain() throws {
        let port = try start(.mqttlab)
        let outcome = try lab(["bench", "-p", "\(port)", "--subscribers", "0", "--count", "250"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stdoutText.contains("published   250"), outcome.stdoutText)
        XCTAssertTrue(outcome.stdoutText.contains("received    0 of 0 expected · lost 0"), outcome.stdoutText)
        for subcommand in ["decode", "broker"] {
            XCTAssertEqual(try lab(["bench", subcommand, "--help"]).status, 0, "bench \(subcommand) is still there")
        }
    }

    /// Two runs at the same time against one broker each count only their own messages (before, both used
    /// `mqttlab/bench/%i` and each subscriber also received the other run's messages).
    func testTwoRunsAtOnceDoNotMix() throws {
        let port = try start(.mqttlab)
        let arguments = ["bench", "-h", "127.0.0.1", "-p", "\(port)", "-q", "1", "--publishers", "1", "--subscribers", "1",
                         "--count", "400", "--rate", "200", "--json"]
        let outcomes = try [0, 1].map { index in
            try InteropProcess(try mqttlab(), arguments, label: label("bench\(index)"), directory: try directory())
        }
        for (index, run) in outcomes.enumerated() {
            ownBackground(run)
            XCTAssertTrue(run.waitForExit(timeout: 60), "run \(index) ends")
            XCTAssertEqual(run.exitStatus, 0, run.stderr)
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any], run.stdout)
            XCTAssertEqual(object["received"] as? Int, 400, "run \(index): \(run.stdout)")
            XCTAssertEqual(object["duplicated"] as? Int, 0, "run \(index): \(run.stdout)")
        }
    }
}
