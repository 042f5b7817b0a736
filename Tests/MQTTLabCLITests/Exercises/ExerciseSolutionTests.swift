import Foundation
import MQTTClient
import MQTTCodec
import MQTTLabExercises
import MQTTLabPublicSim
import MQTTBroker
import Synchronization
import XCTest
@testable import MQTTLabCLI

/// Every exercise has a reference solution that passes and a wrong one that fails with an explanation
/// that says what is wrong, run through the real engine with real clients (mqttlab's client in-process,
/// mosquitto_pub and paho-mqtt where noted; skipped with a message when missing). This also proves every
/// exercise can be solved.
final class ExerciseSolutionTests: XCTestCase {
    typealias Student = @Sendable (Int) async throws -> Void
    typealias S = ExerciseTestSupport

    /// (correct, wrong, a phrase the wrong attempt's explanation must contain).
    static let answers: [String: (right: String, wrong: String, says: String)] = [
        "packet-type": ("3", "2", "is not the value of mqtt.msgtype"),
        "keepalive-field": ("60", "0x3c0", "is not the value of mqtt.kalive"),
        "topic-levels": ("4", "3", "'3' is not right"),
        "wildcard-one-level": ("casa/+/temperatura", "casa/#", "would receive casa/salon/humedad, and it must not"),
        "wildcard-multi-level": ("casa/salon/#", "casa/salon/+", "would not receive casa/salon, and it must"),
        "same-room-any-building": ("+/sala1/co2", "oficina/+/co2", "would not receive fabrica/sala1/co2"),
        "qos-field": ("7", "1", "is not the value of mqtt.msgid"),
        "clean-session-value": ("0", "1", "'1' is not right"),
        "tls-port": ("8883", "1883", "'1883' is not right"),
        "reason-code": ("135", "0x80", "is not the value of mqtt.connack.reason_code"),
    ]

    static let live: [String: (right: Student, wrong: Student, says: String)] = [
        "first-publish": ({ try await S.publish($0, "saludos/clase", "hola") },
                          { try await S.publish($0, "saludos/clase", "Hola") }, "✗ a PUBLISH from a client with topic saludos/clase, payload \"hola\""),
        "named-client": ({ port in await (try S.client(port, id: "sensor-cocina", keepAlive: 20)).disconnect() },
                         { port in await (try S.client(port, id: "sensor-cocina", keepAlive: 60)).disconnect() }, "keep alive ≤ 30"),
        "keepalive-pings": ({ port in
                                let client = try await S.client(port, keepAlive: 1)
                                try await Task.sleep(for: .milliseconds(2600))
                                await client.disconnect()
                            },
                            { port in await (try S.client(port, keepAlive: 60)).disconnect() }, "at least 2 PINGREQ"),
        "publish-temperature": ({ try await S.publish($0, "casa/salon/temperatura", "21.5") },
                                { try await S.publish($0, "Casa/Salon/Temperatura", "21.5") }, "this must not happen, and it did"),
        "subscribe-humidity": ({ try await S.subscribe($0, "casa/+/humedad") },
                               { try await S.subscribe($0, "casa/#") }, "not matching casa/salon/temperatura"),
        "publish-qos1": ({ try await S.publish($0, "casa/alarma", "ON", qos: .atLeastOnce) },
                         { try await S.publish($0, "casa/alarma", "ON") }, "QoS ≥ 1"),
        "qos2-handshake": ({ try await S.publish($0, "casa/puerta", "abierta", qos: .exactlyOnce) },
                           { try await S.publish($0, "casa/puerta", "abierta", qos: .atLeastOnce) }, "PUBREC → PUBREL → PUBCOMP"),
        "subscribe-qos1": ({ try await S.subscribe($0, "casa/alarma", qos: .atLeastOnce) },
                           { try await S.subscribe($0, "casa/alarma") }, "SUBSCRIBE with filter casa/alarma, QoS ≥ 1"),
        "persistent-connect": ({ port in await (try S.client(port, id: "movil-ana", clean: false)).disconnect() },
                               { port in await (try S.client(port, id: "movil-ana", clean: true)).disconnect() }, "clean session/start 0"),
        "offline-queue": ({ port in try await offlineQueue(port, clean: false) },
                          { port in try await offlineQueue(port, clean: true) }, "queued while the client was offline"),
        "retained-light": ({ try await S.publish($0, "casa/salon/luz", "ON", qos: .atLeastOnce, retain: true) },
                           { try await S.publish($0, "casa/salon/luz", "ON", qos: .atLeastOnce) }, "retain 1"),
        "clear-retained": ({ port in
                               try await S.publish(port, "casa/garaje/puerta", "cerrada", retain: true)
                               try await S.publish(port, "casa/garaje/puerta", "", retain: true)
                           },
                           { try await S.publish($0, "casa/garaje/puerta", "cerrada", retain: true) }, "clears the retained message of casa/garaje/puerta"),
        "last-will": ({ port in await (try S.client(port, will: .init(topic: "casa/sensor1/estado", payload: Array("offline".utf8)))).abort() },
                      { port in await (try S.client(port, will: .init(topic: "casa/sensor1/estado", payload: Array("offline".utf8)))).disconnect() },
                      "✗ the broker publishes the will on casa/sensor1/estado"),
        "mqtt5-session-expiry": ({ port in await (try S.client(port, id: "tablet", version: .v5_0, expiry: 300)).disconnect() },
                                 { port in await (try S.client(port, id: "tablet", version: .v5_0)).disconnect() }, "session expiry ≥ 60"),
        "dashboard-subscribe": ({ try await S.subscribe($0, id: "panel", "casa/+/luz/estado", qos: .atLeastOnce) },
                                { try await S.subscribe($0, id: "panel", "casa/#", qos: .atLeastOnce) }, "not matching casa/salon/luz/set"),
    ]

    /// A persistent (or, wrongly, clean) subscriber goes away; two QoS 1 messages are published; it comes back.
    static func offlineQueue(_ port: Int, clean: Bool) async throws {
        let first = try await S.client(port, id: "movil-ana", clean: clean)
        _ = try await first.subscribe([Subscribe.Subscription(filter: "chat/ana", qos: .atLeastOnce)])
        await first.disconnect()
        try await S.publish(port, "chat/ana", "hola", qos: .atLeastOnce)
        try await S.publish(port, "chat/ana", "¿vienes?", qos: .atLeastOnce)
        let again = try await S.client(port, id: "movil-ana", clean: clean)
        try await Task.sleep(for: .milliseconds(300))
        await again.disconnect()
    }

    func testEveryExerciseHasAReferenceSolution() throws {
        let catalog = try S.catalog()
        XCTAssertEqual(catalog.diagnostics.map(\.description), [])
        XCTAssertGreaterThanOrEqual(catalog.exercises.count, 24)
        let solved = Set(Self.answers.keys).union(Self.live.keys).union(ExerciseProgramSolutionTests.programs)
            .union(ExerciseConfigSolutionTests.configs).union(["public-sim-flag"])
        XCTAssertEqual(Set(catalog.exercises.map(\.id)).subtracting(solved), [], "exercises without a scripted solution")
        XCTAssertEqual(solved.subtracting(catalog.exercises.map(\.id)), [], "solutions of exercises that do not exist")
        XCTAssertEqual(Set(catalog.exercises.map(\.kind)), Set(ExerciseKind.allCases), "every kind is used")
        XCTAssertGreaterThanOrEqual(catalog.exercises.filter { $0.kind == .config }.count, 2)
        for exercise in catalog.exercises {
            XCTAssertGreaterThanOrEqual(exercise.hints.count, 2, exercise.id)
        }
    }

    func testAnswerExercises() async throws {
        for (id, solution) in Self.answers.sorted(by: { $0.key < $1.key }) {
            let exercise = try S.exercise(id)
            let right = try await S.check(exercise, timeout: 2, answer: solution.right)
            XCTAssertEqual(right.outcome, .passed, "\(id) with '\(solution.right)': \(right.explanation)")
            XCTAssertEqual(right.score, exercise.points, id)
            let wrong = try await S.check(exercise, timeout: 2, answer: solution.wrong)
            XCTAssertEqual(wrong.outcome, .failed, "\(id) with '\(solution.wrong)'")
            XCTAssertEqual(wrong.score, 0, id)
            XCTAssertTrue(wrong.explanation.contains(solution.says), "\(id): '\(wrong.explanation)' should say '\(solution.says)'")
        }
    }

    func testAnAnswerFilterTheBrokerWouldRefuseIsExplained() async throws {
        let result = try await S.check(try S.exercise("wildcard-one-level"), timeout: 2, answer: "casa/+temperatura")
        XCTAssertEqual(result.outcome, .failed)
        XCTAssertTrue(result.explanation.contains("is not a valid topic filter"), result.explanation)
    }

    func testLiveExercises() async throws {
        for (id, solution) in Self.live.sorted(by: { $0.key < $1.key }) {
            let exercise = try S.exercise(id)
            let right = try await S.check(exercise, timeout: 8, student: solution.right)
            XCTAssertEqual(right.outcome, .passed, "\(id): \(right.explanation)")
            let wrong = try await S.check(exercise, timeout: 1.5, student: solution.wrong)
            XCTAssertEqual(wrong.outcome, .failed, "\(id): the wrong solution passed")
            XCTAssertTrue(wrong.explanation.contains(solution.says), "\(id): '\(wrong.explanation)' should say '\(solution.says)'")
        }
    }

    /// Any client works: Mosquitto's command line client and a paho-mqtt script solve a live exercise too.
    func testLiveExerciseWithMosquittoPub() async throws {
        let tool = try XCTUnwrap(try InteropTools.require(["mosquitto_pub"])["mosquitto_pub"])
        let result = try await S.check(try S.exercise("retained-light"), timeout: 8, student: { port in
            try S.runTool(tool, ["-p", "\(port)", "-t", "casa/salon/luz", "-m", "ON", "-q", "1", "-r"])
        })
        XCTAssertEqual(result.outcome, .passed, result.explanation)
        XCTAssertTrue(result.observed.contains("casa/salon/luz"), result.observed)
    }

    func testLiveExerciseWithPaho() async throws {
        let python = try PahoRunner.locate()
        let script = """
            import sys, paho.mqtt.client as mqtt
            c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="sensor-cocina")
            c.connect("127.0.0.1", int(sys.argv[1]), keepalive=20)
            c.loop_start(); c.publish("saludos/clase", "hola", qos=1).wait_for_publish(5); c.disconnect(); c.loop_stop()
            """
        let result = try await S.check(try S.exercise("first-publish"), timeout: 10, student: { port in
            try S.runTool(python, ["-c", script, "\(port)"])
        })
        XCTAssertEqual(result.outcome, .passed, result.explanation)
    }

    func testCTFAgainstAnInjectedSecret() async throws {
        let exercise = try S.exercise("public-sim-flag")
        guard case .ctf(let check) = exercise.check else { return XCTFail("public-sim-flag is not a ctf exercise") }
        let secret: @Sendable (UInt64) -> String? = { $0 == check.seed ? "FLAG{retenido-en-el-sotano}" : nil }
        let right = try await S.check(exercise, timeout: 1, answer: " FLAG{retenido-en-el-sotano} ", ctfSecret: secret)
        XCTAssertEqual(right.outcome, .passed, right.explanation)
        let wrong = try await S.check(exercise, timeout: 1, answer: "FLAG{otro}", ctfSecret: secret)
        XCTAssertEqual(wrong.outcome, .failed)
        XCTAssertTrue(wrong.explanation.contains("is not the secret"), wrong.explanation)
        let unwired = try await S.check(exercise, timeout: 1, answer: "FLAG{otro}")
        XCTAssertEqual(unwired.outcome, .error, "without the simulated broker the check cannot run, and says so")
    }

    /// The real chain: the simulated public broker with the exercise's seed hides a flag; a student who
    /// subscribes to `#` finds it among the strangers' messages, and the engine accepts it (and a near miss fails).
    func testCTFWithTheSimulatedPublicBroker() async throws {
        let secret = try XCTUnwrap(PublicSimSeam.secret, "the ctf seam is wired to the public simulation")
        let exercise = try S.exercise("public-sim-flag")
        guard case .ctf(let check) = exercise.check else { return XCTFail("public-sim-flag is a ctf exercise") }
        let server = try await BrokerServer.start(configuration: BrokerServerConfiguration(host: "127.0.0.1", port: 0))
        addTeardownBlock { try? await server.shutdown() }
        try await PublicSimulation(seed: check.seed, port: server.port, interval: .milliseconds(2), steps: 12).run()
        let student = try await MQTTClient.connect(MQTTClientConfiguration(host: "127.0.0.1", port: server.port, clientID: "student"))
        _ = try await student.subscribe([Subscribe.Subscription(filter: "#", options: .init(qos: .atMostOnce))])
        var found: String?
        for _ in 0..<10 where found == nil {
            guard let message = try await student.nextMessage() else { break }
            let payload = String(decoding: message.payload, as: UTF8.self)
            if payload.hasPrefix("FLAG{") { found = payload }
        }
        await student.disconnect()
        let flag = try XCTUnwrap(found, "a subscriber to # finds the flag among the retained messages")
        let right = try await S.check(exercise, timeout: 1, answer: flag, ctfSecret: secret)
        XCTAssertEqual(right.outcome, .passed, right.explanation)
        let wrong = try await S.check(exercise, timeout: 1, answer: String(flag.dropLast()) + "x}", ctfSecret: secret)
        XCTAssertEqual(wrong.outcome, .failed, wrong.explanation)
    }
}

/// The checker's broker: the preferred port when free, else a free one, said prominently; explanations in Spanish.
final class ExerciseBrokerPortTests: XCTestCase {
    func testATakenPortFallsBackToAFreeOne() async throws {
        // Hold a listening socket on a port, as another broker on 1883 would.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        XCTAssertTrue(bound)
        let taken = Int(UInt16(bigEndian: address.sin_port))

        let reports = ReportBox()
        let services = ExerciseServices(report: { reports.add($0) })
        let exercise = try ExerciseTestSupport.exercise("first-publish")
        let result = await ExerciseEngine.check(exercise, options: ExerciseRunOptions(language: .es, port: taken, timeout: 1), services: services)
        guard case .brokerListening(_, let port, let preferred, let fellBack)? = reports.first else { return XCTFail("no broker report") }
        XCTAssertEqual(preferred, taken)
        XCTAssertTrue(fellBack)
        XCTAssertNotEqual(port, taken)
        XCTAssertEqual(result.outcome, .failed)
        XCTAssertTrue(result.explanation.hasPrefix("Se acabó el tiempo. Falta:\n  ✗ un PUBLISH de un cliente con tema saludos/clase, payload \"hola\""),
                      result.explanation)
        XCTAssertTrue(ExerciseWords.brokerBanner(host: "127.0.0.1", port: port, language: .es).contains("-p \(port)"))
    }
}

/// Collects the engine's progress reports (called from the engine's task).
private final class ReportBox: Sendable {
    private let reports = Mutex<[ExerciseProgress]>([])
    func add(_ report: ExerciseProgress) { reports.withLock { $0.append(report) } }
    var first: ExerciseProgress? { reports.withLock { $0.first } }
}
