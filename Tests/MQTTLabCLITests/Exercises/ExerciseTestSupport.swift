import Foundation
import MQTTClient
import MQTTCodec
import MQTTLabExercises
import XCTest
@testable import MQTTLabCLI

/// The built-in exercises and a way to run one through the real engine, with a student "solution"
/// acting once the checker's broker listens (on a free port: tests never take 1883).
enum ExerciseTestSupport {
    static let root = InteropTools.packageRoot

    /// The package's Exercises/ folder, checked against the package's Lessons/.
    static func catalog() throws -> ExerciseCatalog {
        let course = try CourseOptions(course: root.appendingPathComponent("Lessons").path).load()
        return try ExerciseSourceOptions.catalog(folder: root.appendingPathComponent("Exercises").path,
                                                 lessonIDs: Set(course.entries.map(\.id.folderName)))
    }

    static func exercise(_ id: String) throws -> Exercise {
        guard let exercise = try catalog().exercise(id) else { throw InteropError("no exercise \(id)") }
        return exercise
    }

    /// Runs the check; `student` gets the broker's port as soon as it listens.
    static func check(_ exercise: Exercise, timeout: Double, answer: String? = nil, program: [String] = [], file: String? = nil,
                      ctfSecret: (@Sendable (UInt64) -> String?)? = nil,
                      student: (@Sendable (Int) async throws -> Void)? = nil) async throws -> CheckResult {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let services = ExerciseServices(ctfSecret: ctfSecret, brokerConfiguration: ExerciseBrokerConfiguration.load, report: { progress in
            if case .brokerListening(_, let port, _, _) = progress { continuation.yield(port) }
        })
        let options = ExerciseRunOptions(language: .en, port: 0, timeout: timeout, answer: answer, program: program, studentFile: file)
        let running = Task { await ExerciseEngine.check(exercise, options: options, services: services) }
        if let student {
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw InteropError("the checker's broker never listened") }
            try await student(port)
        }
        continuation.finish()
        return await running.value
    }

    static func client(_ port: Int, id: String = "", clean: Bool = true, keepAlive: UInt16 = 60, version: ProtocolVersion = .v3_1_1,
                       expiry: UInt32? = nil, will: Connect.Will? = nil) async throws -> MQTTClient {
        try await MQTTClient.connect(MQTTClientConfiguration(host: "127.0.0.1", port: port, version: version, clientID: id, cleanStart: clean,
                                                             keepAlive: keepAlive, sessionExpiry: expiry, will: will))
    }

    static func publish(_ port: Int, _ topic: String, _ payload: String, qos: QoS = .atMostOnce, retain: Bool = false) async throws {
        let client = try await client(port)
        try await client.publish(topic: topic, payload: Array(payload.utf8), qos: qos, retain: retain)
        await client.disconnect()
    }

    static func subscribe(_ port: Int, id: String = "", _ filter: String, qos: QoS = .atMostOnce) async throws {
        let client = try await client(port, id: id)
        _ = try await client.subscribe([Subscribe.Subscription(filter: filter, qos: qos)])
        await client.disconnect()
    }

    /// Runs a program to the end (mosquitto_pub and the like), failing on a non-zero status.
    static func runTool(_ tool: URL, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 { throw InteropError("\(tool.lastPathComponent) \(arguments) exited \(process.terminationStatus)") }
    }
}
