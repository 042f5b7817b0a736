import Foundation
import GRDB
import MQTTLabCourse
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The student database under real processes: `mqttlab _test-db-writer` writes attempts the way
/// `exercise check` does (a 'running' row, then its result, each committed on its own), and the tests
/// kill it with SIGKILL mid-write or run two at once.
final class StudentDatabaseCrashTests: XCTestCase {
    private var directory: URL!
    private var binary: URL!

    override func setUpWithError() throws {
        let (found, searched) = InteropTools.mqttlabBinary()
        guard let found else { throw XCTSkip("the mqttlab executable was not built next to the tests; looked in: \(searched.joined(separator: ", "))") }
        binary = found
        directory = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-db-crash")
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["MQTTLAB_HOME"] = directory.appendingPathComponent("home").path
        return environment
    }

    private func writer(_ tag: String, count: Int, pause: Int) throws -> InteropProcess {
        try InteropProcess(binary, ["_test-db-writer", "--tag", tag, "--count", "\(count)", "--pause", "\(pause)"],
                           label: "writer-\(tag)", directory: directory, environment: environment)
    }

    /// The highest N of the "committed N" lines the writer printed.
    private func committed(_ process: InteropProcess) -> Int {
        process.stdout.split(separator: "\n").compactMap { line in
            line.hasPrefix("committed ") ? Int(line.dropFirst("committed ".count)) : nil
        }.max() ?? 0
    }

    private func openRaw() throws -> DatabaseQueue {
        try DatabaseQueue(path: directory.appendingPathComponent("home/student.sqlite").path)
    }

    /// SIGKILL while a check is running: every result committed before survives, the cut attempt stays
    /// 'running' with no end (read as interrupted, never passed), and the file is consistent.
    ///
    /// The writer sleeps 300 ms inside each 'running' window; the test kills it ~50 ms after seeing a
    /// "committed N" line, so the kill lands inside the window of attempt N+1. On a very loaded machine the
    /// next 'running' row may not be written yet: then the round is repeated (up to 3 times, the same file).
    func testKill9MidWriteLosesNoCommittedAttempt() throws {
        var landedInsideACheck = false
        var committedBefore = 0
        for round in 1...3 where !landedInsideACheck {
            let tag = "k\(round)"
            let process = try writer(tag, count: 1000, pause: 300)
            defer { process.stop(signal: SIGKILL, grace: 1) }
            XCTAssertTrue(process.waitUntil(timeout: 60) { committed(process) >= 3 }, "the writer committed nothing: \(process.stderr)")
            usleep(50_000)
            XCTAssertEqual(kill(process.pid, SIGKILL), 0)
            XCTAssertTrue(process.waitForExit(timeout: 10))
            let reported = committed(process)

            let queue = try openRaw()
            defer { try? queue.close() }
            try queue.read { db in
                XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok")
                let passed = try String.fetchAll(db, sql: "SELECT exerciseID FROM attempt WHERE exerciseID LIKE ? AND outcome = 'passed' AND endedAt IS NOT NULL ORDER BY id",
                                                 arguments: ["\(tag)-%"])
                XCTAssertEqual(passed, (1...reported).map { "\(tag)-\($0)" }, "every committed attempt, in order, nothing more")
                let running = try Row.fetchAll(db, sql: "SELECT exerciseID, endedAt FROM attempt WHERE outcome = 'running'")
                XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempt WHERE outcome = 'passed'"), committedBefore + reported,
                               "earlier rounds' results are all still there")
                committedBefore += reported
                if let cut = running.first {
                    XCTAssertEqual(running.count, 1)
                    XCTAssertEqual(cut["exerciseID"] as String, "\(tag)-\(reported + 1)")
                    XCTAssertNil(cut["endedAt"] as String?)
                    landedInsideACheck = true
                }
            }
        }
        XCTAssertTrue(landedInsideACheck, "no kill landed inside a running check in 3 rounds")

        // The teacher's reader shows the cut attempt as interrupted, never as passed.
        let (_, records) = try StudentRecordReader.readFile(path: directory.appendingPathComponent("home/student.sqlite").path)
        let record = try XCTUnwrap(records.first { $0.course == "_test" })
        let cut = try XCTUnwrap(record.attempts.first { $0.outcome == "running" })
        XCTAssertEqual(ExerciseStanding.make(exerciseID: cut.exerciseID, points: 1, record: record).status, .interrupted)

        // The next mqttlab opens the file as usual (WAL recovered) and keeps writing.
        let again = try writer("after", count: 3, pause: 0)
        XCTAssertTrue(again.waitForExit(timeout: 60))
        XCTAssertEqual(again.exitStatus, 0, again.stderr)
        let queue = try openRaw()
        defer { try? queue.close() }
        XCTAssertEqual(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempt WHERE exerciseID LIKE 'after-%' AND outcome = 'passed'") }, 3)
    }

    /// Two writers start on one signal, so both open a new file (both run the migrations) and write at the
    /// same time: every attempt of both is kept, in each writer's order, and their writes interleave.
    func testTwoProcessesWritingAtOnceAreBothKept() throws {
        let count = 150
        let go = directory.appendingPathComponent("go").path
        func start(_ tag: String) throws -> InteropProcess {
            try InteropProcess(binary, ["_test-db-writer", "--tag", tag, "--count", "\(count)", "--pause", "1", "--wait-for", go],
                               label: "writer-\(tag)", directory: directory, environment: environment)
        }
        let first = try start("a")
        let second = try start("b")
        defer {
            first.stop(signal: SIGKILL, grace: 1)
            second.stop(signal: SIGKILL, grace: 1)
        }
        usleep(300_000)  // both processes are up and polling for the signal
        XCTAssertTrue(FileManager.default.createFile(atPath: go, contents: nil))
        XCTAssertTrue(first.waitForExit(timeout: 120))
        XCTAssertTrue(second.waitForExit(timeout: 120))
        XCTAssertEqual(first.exitStatus, 0, first.stderr)
        XCTAssertEqual(second.exitStatus, 0, second.stderr)
        let queue = try openRaw()
        defer { try? queue.close() }
        try queue.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok")
            for tag in ["a", "b"] {
                let names = try String.fetchAll(db, sql: "SELECT exerciseID FROM attempt WHERE exerciseID LIKE ? AND outcome = 'passed' ORDER BY id",
                                                arguments: ["\(tag)-%"])
                XCTAssertEqual(names, (1...count).map { "\(tag)-\($0)" })
            }
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempt WHERE outcome = 'running'"), 0)
            // Interleaved: some 'b' row lies between the first and the last 'a' row (they really overlapped).
            let order = try String.fetchAll(db, sql: "SELECT substr(exerciseID, 1, 1) FROM attempt ORDER BY id").joined()
            XCTAssertTrue(order.contains("ab") && order.contains("ba"), "the writers did not overlap: \(order.prefix(80))…")
        }
    }
}
