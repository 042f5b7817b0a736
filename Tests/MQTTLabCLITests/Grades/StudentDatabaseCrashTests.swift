import Foundation
import GRDB
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

    func testKill9MidWriteLosesNoCommittedAttempt() throws {
        // 5 ms inside each 'running' window: the kill lands inside one far more often than not.
        let process = try writer("k", count: 100_000, pause: 5)
        defer { process.stop(signal: SIGKILL, grace: 1) }
        XCTAssertTrue(process.waitUntil(timeout: 60) { committed(process) >= 40 }, "the writer committed nothing: \(process.stderr)")
        XCTAssertEqual(kill(process.pid, SIGKILL), 0)
        XCTAssertTrue(process.waitForExit(timeout: 10))
        let reported = committed(process)

        let queue = try openRaw()
        defer { try? queue.close() }
        try queue.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok")
            let passed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempt WHERE outcome = 'passed' AND endedAt IS NOT NULL") ?? 0
            let running = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempt WHERE outcome = 'running'") ?? 0
            // Every result the writer reported as committed is there; at most one more finished after its
            // last print, and at most one check was cut short (left 'running', shown as interrupted).
            XCTAssertGreaterThanOrEqual(passed, reported)
            XCTAssertLessThanOrEqual(passed, reported + 1)
            XCTAssertLessThanOrEqual(running, 1)
            let names = try String.fetchAll(db, sql: "SELECT exerciseID FROM attempt WHERE outcome = 'passed' ORDER BY id")
            XCTAssertEqual(Array(names.prefix(reported)), (1...reported).map { "k-\($0)" }, "committed attempts in order, none lost")
        }
        // The next mqttlab opens the file as usual (WAL recovered) and keeps writing.
        let again = try writer("after", count: 3, pause: 0)
        XCTAssertTrue(again.waitForExit(timeout: 60))
        XCTAssertEqual(again.exitStatus, 0, again.stderr)
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
