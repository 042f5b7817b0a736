import ArgumentParser
import Foundation
import GRDB
import MQTTLabCourse

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mqttlab _test-db-writer` (hidden): writes attempts the way `exercise check` does — a 'running' row,
/// then its result, each in its own transaction — and prints "committed N" after each result is on disk.
///
/// It exists for the database robustness tests (Tests/MQTTLabCourseTests via the binary): a real second
/// process to kill -9 mid-write and to run two at once. It writes only under a course named "_test" unless
/// told otherwise, so a student who finds it cannot mix it up with real results.
struct DatabaseWriterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_test-db-writer",
        abstract: "Test helper: write attempts to the student database in a loop.",
        shouldDisplay: false
    )

    @Option var count = 100
    @Option var tag = "w"
    @Option(help: "Milliseconds to sleep while an attempt is 'running'.") var pause = 0
    @Option var course = "_test"
    @Option(name: .customLong("wait-for"), help: "Wait (at most 60 s) for this file to exist before opening the database.")
    var waitFor: String?

    func run() throws {
        if let waitFor {
            // A start line shared by several writers, so they open a new file and write at the same moment.
            let deadline = Date().addingTimeInterval(60)
            while !FileManager.default.fileExists(atPath: waitFor), Date() < deadline { usleep(1000) }
        }
        let database = try StudentDatabase.open(environment: ProcessEnvironment.current)
        let writer = TestAttemptWriter(database: database, course: course)
        for index in 1...max(count, 1) {
            let id = try writer.begin(exerciseID: "\(tag)-\(index)")
            if pause > 0 { usleep(UInt32(pause) * 1000) }
            try writer.finish(id: id)
            print("committed \(index)")
            fflush(nil)  // all C streams: print() writes through stdout's buffer
        }
    }
}

/// The two writes of one recorded check, per the contract in Docs/STUDENT-DATABASE.md. (The real writer is
/// the `exercises` branch's; this copy only feeds the robustness tests.)
struct TestAttemptWriter {
    let database: StudentDatabase
    let course: String

    /// Inserts the 'running' row, committed before the "check" starts.
    func begin(exerciseID: String) throws -> Int64 {
        try database.pool.write { db in
            try db.execute(sql: """
                INSERT INTO attempt(course, exerciseID, lessonID, kind, generation, startedAt, outcome, maxScore)
                VALUES (?, ?, '01-test', 'answer', 0, strftime('%Y-%m-%d %H:%M:%f', 'now'), 'running', 1)
                """, arguments: [course, exerciseID])
            return db.lastInsertedRowID
        }
    }

    /// Records the result in its own transaction.
    func finish(id: Int64) throws {
        try database.pool.write { db in
            try db.execute(sql: """
                UPDATE attempt SET outcome = 'passed', score = 1, endedAt = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = ?
                """, arguments: [id])
        }
    }
}
