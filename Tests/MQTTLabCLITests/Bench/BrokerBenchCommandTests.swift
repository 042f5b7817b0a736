import Foundation
import XCTest

/// `mqttlab bench broker` with tiny numbers: every scenario runs on both brokers and nothing is lost.
/// No timing assertions: speed lives in the benchmark, never in tests.
final class BrokerBenchCommandTests: XCTestCase {
    private let tiny = [
        "bench", "broker", "--rounds", "1", "--messages", "200", "--clients", "5", "--connections", "20",
        "--rate", "500", "--latency-seconds", "0.2", "--timeout", "10", "--json",
    ]

    func testEveryScenarioOnBothBrokersWithNothingLost() throws {
        let mqttlab = try CommandRunner.locate()
        _ = try InteropTools.require(["mosquitto"])
        let result = try mqttlab.run(tiny)
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
        XCTAssertEqual(object["rounds"] as? Int, 1)
        XCTAssertNotNil(object["mosquitto"] as? String)
        XCTAssertNotNil(object["build"] as? String)
        let scenarios = try XCTUnwrap(object["scenarios"] as? [[String: Any]])
        XCTAssertEqual(scenarios.compactMap { $0["id"] as? String },
                       ["qos0", "qos1", "qos1Store", "fanout", "fanin", "latency", "memory"])
        for scenario in scenarios {
            let id = scenario["id"] as? String ?? "?"
            let brokers = try XCTUnwrap(scenario["brokers"] as? [String: [String: Any]], id)
            XCTAssertNotNil(scenario["ratio_mqttlab_to_mosquitto"] as? [String: Any], id)
            if id == "qos1Store" {
                // mqttlab's durability, compared with mqttlab without it.
                XCTAssertEqual(Set(brokers.keys), ["mqttlab"], id)
                XCTAssertNotNil(brokers["mqttlab"]?["cpu_ratio_to_without_store"] as? Double, "\(id): \(brokers)")
            } else {
                XCTAssertEqual(Set(brokers.keys), ["mqttlab", "mosquitto"], id)
            }
            for (broker, figures) in brokers {
                XCTAssertEqual(figures["lost"] as? Int, 0, "\(id) \(broker) lost messages: \(figures)")
                XCTAssertEqual(figures["duplicates"] as? Int, 0, "\(id) \(broker): \(figures)")
                XCTAssertEqual((figures["failures"] as? [Any])?.count, 0, "\(id) \(broker): \(figures)")
                switch id {
                case "memory":
                    XCTAssertNotNil(figures["kb_per_connection"] as? Double, "\(id) \(broker): \(figures)")
                case "latency":
                    XCTAssertNotNil(figures["latency_p99_us"] as? Double, "\(id) \(broker): \(figures)")
                    XCTAssertEqual(figures["expected_per_round"] as? Int, 100)
                default:
                    XCTAssertNotNil(figures["messages_per_second"] as? Double, "\(id) \(broker): \(figures)")
                    XCTAssertGreaterThan(figures["expected_per_round"] as? Int ?? 0, 0)
                }
            }
        }
    }

    func testWithoutReferenceOnlyMQTTLab() throws {
        let mqttlab = try CommandRunner.locate()
        let result = try mqttlab.run(["bench", "broker", "--rounds", "1", "--messages", "100", "--clients", "3",
                                      "--connections", "10", "--rate", "500", "--latency-seconds", "0.1",
                                      "--timeout", "10", "--no-reference"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("no mosquitto"), result.stdout)
        XCTAssertTrue(result.stdout.contains("1→1 QoS 1"), result.stdout)
        XCTAssertTrue(result.stdout.contains("1→1 QoS 1, --store"), result.stdout)
        XCTAssertFalse(result.stdout.contains("ratio"), result.stdout)
        #if DEBUG
        XCTAssertTrue(result.stderr.contains("DEBUG build"), result.stderr)
        #endif
    }

    func testRejectsNonsense() throws {
        let mqttlab = try CommandRunner.locate()
        let result = try mqttlab.run(["bench", "broker", "--rounds", "0"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("--rounds"), result.stderr)
    }
}
