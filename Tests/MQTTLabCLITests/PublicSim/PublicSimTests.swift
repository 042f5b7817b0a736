import MQTTBroker
import MQTTClient
import MQTTCodec
import MQTTLabPublicSim
import XCTest

/// `mqttlab broker --public-sim`: the strangers' script follows from the seed, real clients play it against
/// an in-process broker, the secret is found by subscribing to `#`, and the prankster answers the student's home.
final class PublicSimTests: XCTestCase {
    private struct Seen: Equatable, CustomStringConvertible {
        var topic: String
        var payload: String
        var retain: Bool
        var description: String { "\(topic) \(payload)\(retain ? " (retained)" : "")" }
    }

    // MARK: The script, without a network

    func testTheScriptIsAFunctionOfTheSeed() {
        func steps(_ seed: UInt64, _ count: Int = 60) -> [PublicSimScript.Step] {
            var script = PublicSimScript(seed: seed)
            return (0..<count).map { _ in script.next() }
        }
        XCTAssertEqual(steps(7), steps(7))
        XCTAssertNotEqual(steps(7), steps(8))
        XCTAssertEqual(PublicSimSecret.flag(seed: 7), PublicSimSecret.flag(seed: 7))
        XCTAssertNotEqual(PublicSimSecret.flag(seed: 7), PublicSimSecret.flag(seed: 8))
        XCTAssertTrue(PublicSimSecret.flag(seed: 7).hasPrefix("FLAG{"))
        // The secret comes first, retained, from the backup stranger, and again later.
        let first = steps(7)
        XCTAssertEqual(first[0].topic, PublicSimSecret.topic(seed: 7))
        XCTAssertEqual(first[0].payload, PublicSimSecret.flag(seed: 7))
        XCTAssertTrue(first[0].retain)
        XCTAssertGreaterThan(first.filter { $0.payload == PublicSimSecret.flag(seed: 7) }.count, 1)
        // Three homes, each with temperature, door and light; the doors retained.
        let script = PublicSimScript(seed: 7)
        XCTAssertEqual(script.strangers.count, 10)
        XCTAssertEqual(Set(first.map { $0.topic.split(separator: "/").first.map(String.init) ?? "" }),
                       PublicSimScript.strangerTopLevels)
        XCTAssertTrue(first.filter { $0.topic.hasSuffix("/puerta/estado") }.allSatisfy(\.retain))
        XCTAssertTrue(first.contains { $0.topic.hasSuffix("/salon/temperatura") && !$0.retain })
    }

    func testThePranksterKnowsTheStrangersHomesAndFindsTheStudents() {
        var script = PublicSimScript(seed: 3)
        var prankster = PublicSimPrankster(script: script)
        for _ in 0..<40 {
            XCTAssertEqual(prankster.react(to: script.next().topic).count, 0, "a stranger's topic is not the student's home")
        }
        XCTAssertNil(prankster.home(of: "$SYS/broker/uptime"))
        XCTAssertEqual(prankster.home(of: "casa/salon/temperatura"), "casa")
        XCTAssertEqual(prankster.home(of: "hogar/pepe/luz/estado"), "hogar/pepe")
        let commands = prankster.react(to: "casa/salon/temperatura")
        XCTAssertEqual(commands.first?.topic, "casa/luz/set")
        XCTAssertEqual(commands.first?.payload, "ON")
        XCTAssertEqual(commands.count, 2)
        XCTAssertTrue(prankster.react(to: "casa/luz/set").isEmpty, "once per home, and never on its own commands")
        XCTAssertTrue(prankster.clientID.hasPrefix("bromista-"))
    }

    // MARK: Real clients against the broker

    private func startBroker() async throws -> BrokerServer {
        let server = try await BrokerServer.start(configuration: BrokerServerConfiguration(host: "127.0.0.1", port: 0))
        addTeardownBlock { try? await server.shutdown() }
        return server
    }

    private func client(_ server: BrokerServer, _ id: String) async throws -> MQTTClient {
        let client = try await MQTTClient.connect(MQTTClientConfiguration(host: "127.0.0.1", port: server.port, version: .v5_0, clientID: id))
        addTeardownBlock { await client.disconnect() }
        return client
    }

    /// The next `count` messages of `client` (fails after 10 s without one).
    private func collect(_ client: MQTTClient, _ count: Int) async throws -> [Seen] {
        var seen: [Seen] = []
        while seen.count < count {
            let message = try await withThrowingTaskGroup(of: MQTTMessage?.self) { group in
                group.addTask { try await client.nextMessage() }
                group.addTask {
                    try await Task.sleep(for: .seconds(10))
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
            guard let message else {
                XCTFail("only \(seen.count) of \(count) messages: \(seen)")
                return seen
            }
            seen.append(Seen(topic: message.topic, payload: String(decoding: message.payload, as: UTF8.self), retain: message.retain))
        }
        return seen
    }

    /// What a subscriber to `#` sees of `steps` publications of the strangers.
    private func observe(seed: UInt64, steps: Int) async throws -> [Seen] {
        let server = try await startBroker()
        let watcher = try await client(server, "watcher")
        _ = try await watcher.subscribe([Subscribe.Subscription(filter: "#", options: .init(qos: .atLeastOnce))])
        try await PublicSimulation(seed: seed, port: server.port, interval: .milliseconds(2), steps: steps).run()
        return try await collect(watcher, steps)
    }

    func testTwoRunsWithOneSeedShowTheSameSequenceAndOtherSeedsDiffer() async throws {
        let first = try await observe(seed: 42, steps: 30)
        let second = try await observe(seed: 42, steps: 30)
        XCTAssertEqual(first, second)
        var script = PublicSimScript(seed: 42)
        XCTAssertEqual(first.map(\.topic), (0..<30).map { _ in script.next().topic }, "in the script's order")
        let other = try await observe(seed: 43, steps: 30)
        XCTAssertNotEqual(first, other)
    }

    func testTheSecretIsFoundBySubscribingToEverything() async throws {
        let server = try await startBroker()
        try await PublicSimulation(seed: 99, port: server.port, interval: .milliseconds(2), steps: 12).run()
        // Long after the stranger left, a student who subscribes to `#` still gets the retained secret.
        let student = try await client(server, "student")
        _ = try await student.subscribe([Subscribe.Subscription(filter: "#", options: .init(qos: .atMostOnce))])
        let retained = try await collect(student, 4)  // the secret and the three doors, all retained
        XCTAssertTrue(retained.contains(Seen(topic: PublicSimSecret.topic(seed: 99), payload: PublicSimSecret.flag(seed: 99), retain: true)),
                      "\(retained)")
    }

    func testThePranksterSwitchesTheStudentsLight() async throws {
        let server = try await startBroker()
        let simulation = Task { try await PublicSimulation(seed: 5, port: server.port, interval: .milliseconds(50)).run() }
        defer { simulation.cancel() }
        let student = try await client(server, "student")
        _ = try await student.subscribe([Subscribe.Subscription(filter: "casa/#", options: .init(qos: .atLeastOnce))])
        // Retained, so the prankster sees it whether its subscription to # is already in place or comes later.
        try await student.publish(topic: "casa/salon/temperatura", payload: Array("21.5".utf8), qos: .atLeastOnce, retain: true)
        let seen = try await collect(student, 3)
        XCTAssertEqual(seen.first?.topic, "casa/salon/temperatura")
        XCTAssertEqual(seen.dropFirst().first, Seen(topic: "casa/luz/set", payload: "ON", retain: false))
        simulation.cancel()
        try await simulation.value
    }
}
