import Foundation
import GRDB
import MQTTCodec
@testable import MQTTLabCourse

/// Student databases with known rows and fixed times, written with the contract's SQL (the same rows
/// `exercise check|hint|reset` write), for the progress, export and grade tests.
struct ResultsFixture {
    let database: StudentDatabase
    var course = "builtin"

    init(path: String, uuid: String, name: String, schoolID: String) throws {
        database = try StudentDatabase(path: path)
        try StudentIdentityStore(database: database, makeUUID: { uuid }).update(name: name, schoolID: schoolID)
        try database.pool.write { db in try db.execute(sql: "UPDATE student SET createdAt = '2026-12-01 09:00:00.000'") }
    }

    /// One ended (or, with `endedAt` nil, interrupted) attempt.
    func attempt(_ exerciseID: String, lesson: String = "01-intro", kind: String = "answer", generation: Int = 0,
                 started: String, ended: String?, outcome: String, score: Double, max: Double, hints: Int = 0,
                 answer: String? = nil, observed: String? = nil, explanation: String? = nil) throws {
        try database.pool.write { db in
            try db.execute(sql: """
                INSERT INTO attempt(course, exerciseID, lessonID, kind, generation, startedAt, endedAt, outcome, score, maxScore,
                                    hintsShown, answer, observed, explanation)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [course, exerciseID, lesson, kind, generation, started, ended, outcome, score, max, hints,
                                 answer, observed, explanation])
        }
    }

    func hint(_ exerciseID: String, index: Int, generation: Int = 0, at time: String) throws {
        try database.pool.write { db in
            try db.execute(sql: "INSERT INTO hint_use(course, exerciseID, generation, hintIndex, shownAt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [course, exerciseID, generation, index, time])
        }
    }

    /// What `exercise reset ID` does: the next generation.
    func reset(_ exerciseID: String, at time: String) throws {
        try database.pool.write { db in
            try db.execute(sql: """
                INSERT INTO exercise_state(course, exerciseID, generation, updatedAt) VALUES (?, ?, 1, ?)
                ON CONFLICT(course, exerciseID) DO UPDATE SET generation = exercise_state.generation + 1, updatedAt = excluded.updatedAt
                """, arguments: [course, exerciseID, time])
        }
    }

    func lesson(_ lessonID: String, step: Int, of count: Int, readAt: String?, at time: String) throws {
        try database.pool.write { db in
            try db.execute(sql: """
                INSERT INTO lesson_state(course, lessonID, step, stepCount, readAt, seq, updatedAt)
                VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM lesson_state), ?)
                """, arguments: [course, lessonID, step, count, readAt, time])
        }
    }

    /// The catalog the tests share: three exercises over two lessons, 10 points in all.
    static let catalog = [
        ExerciseCatalogEntry(id: "filter-basics", lessonID: "01-intro", points: 2,
                             title: LocalizedText(en: "Topic filters", es: "Filtros de tema")),
        ExerciseCatalogEntry(id: "retained-light", lessonID: "02-publish", points: 5,
                             title: LocalizedText(en: "A retained light", es: "Una luz retenida")),
        ExerciseCatalogEntry(id: "bytes-connect", lessonID: "01-intro", points: 3,
                             title: LocalizedText(en: "CONNECT, byte by byte", es: "CONNECT, byte a byte")),
    ]

    /// Ana: passed filter-basics after a failure and a hint; retained-light interrupted; "Ana López" tests UTF-8.
    static func ana(in folder: URL) throws -> ResultsFixture {
        let fixture = try ResultsFixture(path: folder.appendingPathComponent("ana.sqlite").path,
                                         uuid: "0a0a0a0a-0000-4000-8000-000000000001", name: "Ana López", schoolID: "A123")
        try fixture.lesson("01-intro", step: 4, of: 5, readAt: "2026-12-02 10:05:00.000", at: "2026-12-02 10:05:00.000")
        try fixture.lesson("02-publish", step: 1, of: 6, readAt: nil, at: "2026-12-02 10:30:00.000")
        try fixture.attempt("filter-basics", started: "2026-12-02 10:10:00.000", ended: "2026-12-02 10:10:05.250",
                            outcome: "failed", score: 0, max: 2, answer: "casa/#/luz", explanation: "'#' must be the last level")
        try fixture.hint("filter-basics", index: 0, at: "2026-12-02 10:11:00.000")
        try fixture.attempt("filter-basics", started: "2026-12-02 10:12:00.000", ended: "2026-12-02 10:12:01.000",
                            outcome: "passed", score: 2, max: 2, hints: 1, answer: "casa/+/luz")
        try fixture.attempt("retained-light", lesson: "02-publish", kind: "live", started: "2026-12-02 10:40:00.000", ended: nil,
                            outcome: "running", score: 0, max: 5)
        return fixture
    }

    /// Luis: passed everything, but reset bytes-connect and failed it since (history keeps the old pass).
    static func luis(in folder: URL) throws -> ResultsFixture {
        let fixture = try ResultsFixture(path: folder.appendingPathComponent("luis.sqlite").path,
                                         uuid: "0a0a0a0a-0000-4000-8000-000000000002", name: "Luis \"Lucho\" Pérez, Jr.", schoolID: "A124")
        try fixture.lesson("01-intro", step: 4, of: 5, readAt: "2026-12-03 08:00:00.000", at: "2026-12-03 08:00:00.000")
        try fixture.lesson("02-publish", step: 5, of: 6, readAt: "2026-12-03 08:20:00.000", at: "2026-12-03 08:20:00.000")
        try fixture.attempt("filter-basics", started: "2026-12-03 08:01:00.000", ended: "2026-12-03 08:01:02.000",
                            outcome: "passed", score: 2, max: 2, answer: "casa/+/luz")
        try fixture.attempt("bytes-connect", started: "2026-12-03 08:05:00.000", ended: "2026-12-03 08:05:03.000",
                            outcome: "passed", score: 3, max: 3, answer: "10 0f 00 04")
        try fixture.reset("bytes-connect", at: "2026-12-03 08:06:00.000")
        try fixture.attempt("bytes-connect", generation: 1, started: "2026-12-03 08:07:00.000", ended: "2026-12-03 08:07:09.000",
                            outcome: "failed", score: 1.5, max: 3, answer: "10 0f", explanation: "the length is missing")
        try fixture.attempt("retained-light", lesson: "02-publish", kind: "live", started: "2026-12-03 08:25:00.000",
                            ended: "2026-12-03 08:25:30.500", outcome: "passed", score: 5, max: 5, observed: "PUBLISH casa/salon/luz retain=1 qos=1 ON")
        return fixture
    }

    /// Marta: has only read the first lesson.
    static func marta(in folder: URL) throws -> ResultsFixture {
        let fixture = try ResultsFixture(path: folder.appendingPathComponent("marta.sqlite").path,
                                         uuid: "0a0a0a0a-0000-4000-8000-000000000003", name: "Marta Núñez", schoolID: "")
        try fixture.lesson("01-intro", step: 2, of: 5, readAt: nil, at: "2026-12-04 12:00:00.000")
        return fixture
    }

    func export(at time: String) throws -> ResultsBundle {
        try ResultsExport.bundle(database: database, course: course, catalog: Self.catalog, mqttlabVersion: "0.1.0", now: time)
    }
}

enum ResultsPaths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let golden = packageRoot.appendingPathComponent("Tests/Fixtures/Golden/Results")

    static func makeFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mqttlab-results-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Compares `text` with the golden file; `MQTTLAB_UPDATE_GOLDEN=1` writes it instead (to accept a deliberate change).
    static func assertGolden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String? {
        let url = golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["MQTTLAB_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: golden, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return try? String(contentsOf: url, encoding: .utf8)
    }
}
