import Foundation
import MQTTLabCourse
import MQTTLabExercises
import XCTest
@testable import MQTTLabCLI

#if canImport(Glibc)
import Glibc
#endif

/// Attempts in the student database: a 'running' row before each check, updated when it ends; a kill -9 of a
/// real `mqttlab exercise check` mid-check keeps every earlier result and a consistent file; two processes
/// checking at once both record; hints and resets follow the contract of Docs (generation, history kept).
final class ExerciseRecordingTests: XCTestCase {
    private var home: URL!
    private var mqttlab: CommandRunner!

    override func setUpWithError() throws {
        home = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-attempts")
        mqttlab = try CommandRunner.locate()
    }

    override func tearDownWithError() throws {
        if let home { try? FileManager.default.removeItem(at: home) }
    }

    private var databasePath: String { home.appendingPathComponent("student.sqlite").path }

    private func check(_ arguments: [String]) throws -> CommandRunner.Result {
        try mqttlab.run(["exercise", "check"] + arguments, environment: ["MQTTLAB_HOME": home.path, "NO_COLOR": "1"])
    }

    private func sqlite(_ sql: String) throws -> String {
        let tool = try XCTUnwrap(try InteropTools.require(["sqlite3"])["sqlite3"])
        let process = Process()
        process.executableURL = tool
        process.arguments = [databasePath, sql]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func recorder() throws -> ExerciseRecorder {
        ExerciseRecorder(database: try StudentDatabase(path: databasePath), course: "builtin")
    }

    func testKillNineMidCheckKeepsEarlierResultsAndAConsistentDatabase() throws {
        _ = try InteropTools.require(["sqlite3"])
        XCTAssertEqual(try check(["topic-levels", "--answer", "4"]).status, 0)
        XCTAssertEqual(try check(["packet-type", "--answer", "9"]).status, 1)

        // A live check waits for traffic: kill it while it runs, as a crash or a closed laptop would.
        let process = Process()
        process.executableURL = mqttlab.binary
        process.arguments = ["exercise", "check", "first-publish", "-p", "0", "--timeout", "60"]
        process.environment = ProcessInfo.processInfo.environment.merging(["MQTTLAB_HOME": home.path, "NO_COLOR": "1"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, try sqlite("SELECT COUNT(*) FROM attempt WHERE outcome = 'running'") != "1" {
            usleep(50_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)

        XCTAssertEqual(try sqlite("PRAGMA integrity_check"), "ok")
        XCTAssertEqual(try sqlite("SELECT exerciseID, outcome, endedAt IS NULL, score FROM attempt ORDER BY id"),
                       "topic-levels|passed|0|1.0\npacket-type|failed|0|0.0\nfirst-publish|running|1|0.0")
        let states = try recorder().states()
        XCTAssertEqual(states["topic-levels"]?.status, .passed)
        XCTAssertEqual(states["packet-type"]?.status, .failed)
        XCTAssertEqual(states["first-publish"]?.status, .interrupted, "a killed check reads as interrupted, never passed")

        // The database is not left locked: the next check records as usual.
        XCTAssertEqual(try check(["packet-type", "--answer", "3"]).status, 0)
        XCTAssertEqual(try recorder().states()["packet-type"]?.status, .passed)
    }

    func testTwoProcessesCheckingAtOnceBothRecord() throws {
        var processes: [Process] = []
        for index in 0..<6 {
            let process = Process()
            process.executableURL = mqttlab.binary
            process.arguments = index.isMultiple(of: 2) ? ["exercise", "check", "topic-levels", "--answer", "4"]
                                                        : ["exercise", "check", "packet-type", "--answer", "3"]
            process.environment = ProcessInfo.processInfo.environment.merging(["MQTTLAB_HOME": home.path]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            let errors = home.appendingPathComponent("stderr-\(index)")
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: errors)
            processes.append(process)
        }
        for process in processes { try process.run() }
        for (index, process) in processes.enumerated() {
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
            let errors = try String(contentsOf: home.appendingPathComponent("stderr-\(index)"), encoding: .utf8)
            XCTAssertEqual(errors, "", "process \(index) said")
        }
        let states = try recorder().states()
        XCTAssertEqual(states["topic-levels"], ExerciseRecorder.State(status: .passed, score: 1, attempts: 3, hintsShown: 0))
        XCTAssertEqual(states["packet-type"], ExerciseRecorder.State(status: .passed, score: 1, attempts: 3, hintsShown: 0))
    }

    func testTryRecordsNothing() throws {
        let result = try mqttlab.run(["exercise", "try", "topic-levels", "--answer", "4"], environment: ["MQTTLAB_HOME": home.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("(not recorded)"), result.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: databasePath), "try must not even create the database")
    }

    func testHintsAreRecordedOneAtATimeAndResetStartsAGenerationKeepingHistory() throws {
        let environment = ["MQTTLAB_HOME": home.path, "NO_COLOR": "1"]
        let first = try mqttlab.run(["exercise", "hint", "wildcard-one-level", "--lang", "es"], environment: environment)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.hasPrefix("Pista 1 de 2: Solo cambia un nivel"), first.stdout)
        XCTAssertTrue(try mqttlab.run(["exercise", "hint", "wildcard-one-level"], environment: environment).stdout.hasPrefix("Hint 2 of 2"))
        let third = try mqttlab.run(["exercise", "hint", "wildcard-one-level"], environment: environment)
        XCTAssertTrue(third.stdout.contains("you have seen every hint"), third.stdout)

        XCTAssertEqual(try check(["wildcard-one-level", "--answer", "casa/+/temperatura"]).status, 0)
        XCTAssertEqual(try recorder().states()["wildcard-one-level"], ExerciseRecorder.State(status: .passed, score: 1, attempts: 1, hintsShown: 2))

        let reset = try mqttlab.run(["exercise", "reset", "wildcard-one-level"], environment: environment)
        XCTAssertEqual(reset.status, 0, reset.stderr)
        XCTAssertNil(try recorder().states()["wildcard-one-level"], "a reset exercise starts from nothing")
        XCTAssertEqual(try recorder().generation("wildcard-one-level"), 1)
        XCTAssertEqual(try sqlite("SELECT COUNT(*) FROM attempt") + "/" + sqlite("SELECT COUNT(*) FROM hint_use"), "1/2", "history kept")

        XCTAssertEqual(try mqttlab.run(["exercise", "reset", "--all"], environment: environment).status, 0)
        XCTAssertEqual(try recorder().generation("wildcard-one-level"), 2)
        XCTAssertEqual(try recorder().generation("topic-levels"), 1)
    }

    func testListShowsStatusAndPoints() throws {
        XCTAssertEqual(try check(["topic-levels", "--answer", "4"]).status, 0)
        let list = try mqttlab.run(["exercise", "list", "--lesson", "3"], environment: ["MQTTLAB_HOME": home.path, "NO_COLOR": "1"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("  ✓ topic-levels"), list.stdout)
        XCTAssertTrue(list.stdout.contains("1/1"), list.stdout)
        XCTAssertFalse(list.stdout.contains("wildcard"), "only lesson 3: \(list.stdout)")
    }

    func testAnswerFromThePromptAndUnknownID() throws {
        let prompted = try mqttlab.run(["exercise", "try", "tls-port"], stdin: Data("8883\n".utf8), environment: ["MQTTLAB_HOME": home.path])
        XCTAssertEqual(prompted.status, 0, prompted.stdout)
        XCTAssertTrue(prompted.stdout.contains("Your answer: "), prompted.stdout)
        let unknown = try mqttlab.run(["exercise", "show", "wildcard"], environment: ["MQTTLAB_HOME": home.path])
        XCTAssertEqual(unknown.status, 66)
        XCTAssertTrue(unknown.stderr.contains("no exercise 'wildcard' (did you mean"), unknown.stderr)
    }
}
