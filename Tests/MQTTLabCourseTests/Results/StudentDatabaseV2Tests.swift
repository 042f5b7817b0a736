import GRDB
import XCTest
@testable import MQTTLabCourse

/// Identity, migration from v1, refusal of newer files, read-only opening for the teacher.
final class StudentDatabaseV2Tests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws { folder = try ResultsPaths.makeFolder() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func testTheUUIDIsMadeOnceAndRenamingKeepsIt() throws {
        let database = try StudentDatabase(path: folder.appendingPathComponent("s.sqlite").path)
        let store = StudentIdentityStore(database: database)
        XCTAssertNil(try store.read())
        let first = try store.update(name: "Ana", schoolID: nil)
        XCTAssertEqual(first.name, "Ana")
        XCTAssertEqual(first.schoolID, "")
        XCTAssertNotNil(UUID(uuidString: first.uuid))
        let second = try store.update(name: nil, schoolID: "A123")
        XCTAssertEqual(second.uuid, first.uuid)
        XCTAssertEqual(second.name, "Ana", "nil leaves the name as it was")
        XCTAssertEqual(second.schoolID, "A123")
        let renamed = try store.update(name: "Ana López", schoolID: nil)
        XCTAssertEqual(renamed.uuid, first.uuid)
        XCTAssertEqual(renamed.createdAt, first.createdAt)
        XCTAssertEqual(try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM student") }, 1)
    }

    /// A file made by mqttlab with only the v1 migration (lessons read before exercises existed).
    private func makeV1Database(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('v1: meta, lesson_state');
                CREATE TABLE meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE lesson_state (course TEXT NOT NULL, lessonID TEXT NOT NULL, step INTEGER NOT NULL,
                    stepCount INTEGER NOT NULL, readAt TEXT, seq INTEGER NOT NULL, updatedAt TEXT NOT NULL,
                    PRIMARY KEY (course, lessonID));
                INSERT INTO meta VALUES ('application', 'mqttlab student state'), ('schemaVersion', '1');
                INSERT INTO lesson_state VALUES ('builtin', '01-intro', 4, 5, '2026-11-01 10:00:00.000', 1, '2026-11-01 10:00:00.000');
                INSERT INTO lesson_state VALUES ('builtin', '02-publish', 2, 6, NULL, 2, '2026-11-01 11:00:00.000');
                """)
        }
        try queue.close()
    }

    func testMigratingAV1DatabaseKeepsTheLessonPositions() throws {
        let path = folder.appendingPathComponent("v1.sqlite").path
        try makeV1Database(at: path)

        // The teacher reads it as it is, read-only: no migration, no exercise tables, positions there.
        let (identity, records) = try StudentRecordReader.readFile(path: path)
        XCTAssertNil(identity)
        XCTAssertEqual(records.map(\.course), ["builtin"])
        XCTAssertEqual(records.first?.lessons.count, 2)
        XCTAssertEqual(try DatabaseQueue(path: path).read { db in try db.tableExists("attempt") }, false, "grading changed the file")

        let database = try StudentDatabase(path: path)
        XCTAssertEqual(try database.appliedMigrations(), ["v1: meta, lesson_state", "v2: student, attempt, hint_use, exercise_state"])
        let progress = LessonProgress(database: database, course: "builtin")
        XCTAssertEqual(try progress.states()["01-intro"], LessonProgress.State(lessonID: "01-intro", step: 4, stepCount: 5, isRead: true))
        XCTAssertEqual(try progress.lastOpened()?.lessonID, "02-publish")
        let version = try database.pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schemaVersion'") }
        XCTAssertEqual(version, "2")
        for table in ["student", "attempt", "hint_use", "exercise_state"] {
            XCTAssertTrue(try database.pool.read { db in try db.tableExists(table) }, table)
        }
    }

    func testANewerSchemaIsRefusedByTheStudentAndByTheTeacher() throws {
        let path = folder.appendingPathComponent("newer.sqlite").path
        try StudentDatabase(path: path).close()
        let writer = try DatabaseQueue(path: path)
        try writer.write { db in
            try db.execute(sql: "UPDATE meta SET value = '3' WHERE key = 'schemaVersion'")
            try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v3: from the future')")
        }
        try writer.close()
        XCTAssertThrowsError(try StudentDatabase(path: path)) { error in
            XCTAssertEqual(error as? StudentDatabaseError, .newerSchema(path: path, found: 3, supported: 2))
        }
        XCTAssertThrowsError(try StudentRecordReader.readFile(path: path)) { error in
            XCTAssertEqual(error as? StudentDatabaseError, .newerSchema(path: path, found: 3, supported: 2))
        }
    }

    func testTheTeacherReadsEveryCourseOfAStudentFile() throws {
        let ana = try ResultsFixture.ana(in: folder)
        var other = ana
        other.course = "/home/ana/curso-profe"
        try other.attempt("own-1", started: "2026-12-05 10:00:00.000", ended: "2026-12-05 10:00:01.000", outcome: "passed", score: 1, max: 1)
        try ana.database.close()
        let (identity, records) = try StudentRecordReader.readFile(path: folder.appendingPathComponent("ana.sqlite").path)
        XCTAssertEqual(identity?.name, "Ana López")
        XCTAssertEqual(records.map(\.course), ["/home/ana/curso-profe", "builtin"])
        XCTAssertEqual(records.last?.attempts.map(\.exerciseID), ["filter-basics", "filter-basics", "retained-light"])
        XCTAssertEqual(records.last?.hintUses.count, 1)
    }
}
