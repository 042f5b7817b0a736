import GRDB
import XCTest
@testable import MQTTLabCourse

/// The student database: where it lives, migrations, resuming, read marks, bad files.
final class LessonProgressTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mqttlab-progress-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func testHomeFolderPrecedence() {
        XCTAssertEqual(StudentHome.folder(environment: ["MQTTLAB_HOME": "/a", "XDG_DATA_HOME": "/b", "HOME": "/c"]), "/a")
        XCTAssertEqual(StudentHome.folder(environment: ["XDG_DATA_HOME": "/b", "HOME": "/c"]), "/b/mqttlab")
        XCTAssertEqual(StudentHome.folder(environment: ["MQTTLAB_HOME": "", "HOME": "/c"]), "/c/.local/share/mqttlab")
    }

    func testResumesTheLessonOpenedLastAtItsStep() throws {
        let database = try StudentDatabase.open(environment: ["MQTTLAB_HOME": folder.appendingPathComponent("deep/home").path])
        let progress = LessonProgress(database: database, course: "builtin")
        XCTAssertNil(try progress.lastOpened())
        try progress.record(lessonID: "01-a", step: 2, stepCount: 5)
        try progress.record(lessonID: "02-b", step: 0, stepCount: 3)
        try progress.record(lessonID: "01-a", step: 3, stepCount: 5)
        XCTAssertEqual(try progress.lastOpened(), LessonProgress.State(lessonID: "01-a", step: 3, stepCount: 5, isRead: false))
        try database.close()

        // A second process (a new open of the same file) sees the same state.
        let reopened = LessonProgress(database: try StudentDatabase.open(environment: ["MQTTLAB_HOME": folder.appendingPathComponent("deep/home").path]), course: "builtin")
        XCTAssertEqual(try reopened.states().keys.sorted(), ["01-a", "02-b"])
        XCTAssertEqual(try reopened.lastOpened()?.lessonID, "01-a")
        // Another course keeps its own positions.
        XCTAssertNil(try LessonProgress(database: reopened.database, course: "/teacher/course").lastOpened())
    }

    func testReachingTheLastStepMarksTheLessonReadForGood() throws {
        let progress = LessonProgress(database: try StudentDatabase(path: folder.appendingPathComponent("s.sqlite").path), course: "c")
        try progress.record(lessonID: "01-a", step: 3, stepCount: 5)
        XCTAssertEqual(try progress.states()["01-a"]?.isRead, false)
        try progress.record(lessonID: "01-a", step: 4, stepCount: 5)
        XCTAssertEqual(try progress.states()["01-a"]?.isRead, true)
        try progress.record(lessonID: "01-a", step: 1, stepCount: 5)  // paging back
        XCTAssertEqual(try progress.states()["01-a"], LessonProgress.State(lessonID: "01-a", step: 1, stepCount: 5, isRead: true))
        try progress.reset()
        XCTAssertEqual(try progress.states(), [:])
    }

    func testWALAndMigrations() throws {
        let path = folder.appendingPathComponent("s.sqlite").path
        let database = try StudentDatabase(path: path)
        XCTAssertEqual(try database.appliedMigrations(), ["v1: meta, lesson_state", "v2: student, attempt, hint_use, exercise_state"])
        let mode = try database.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(mode, "wal")
    }

    func testRefusesAnotherApplicationsDatabaseAndANewerSchema() throws {
        let foreign = folder.appendingPathComponent("foreign.sqlite").path
        let queue = try DatabaseQueue(path: foreign)
        try queue.write { db in try db.execute(sql: "CREATE TABLE notes(x TEXT)") }
        try queue.close()
        XCTAssertThrowsError(try StudentDatabase(path: foreign)) { error in
            XCTAssertEqual(error as? StudentDatabaseError, .notStudentState(path: foreign))
        }

        let newer = folder.appendingPathComponent("newer.sqlite").path
        try StudentDatabase(path: newer).close()
        let writer = try DatabaseQueue(path: newer)
        try writer.write { db in try db.execute(sql: "UPDATE meta SET value = '9' WHERE key = 'schemaVersion'") }
        try writer.close()
        XCTAssertThrowsError(try StudentDatabase(path: newer)) { error in
            XCTAssertEqual(error as? StudentDatabaseError, .newerSchema(path: newer, found: 9, supported: 2))
        }

        let text = folder.appendingPathComponent("text.sqlite").path
        try "not a database, just words long enough to fill a header of sqlite".write(toFile: text, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StudentDatabase(path: text)) { error in
            XCTAssertEqual(error as? StudentDatabaseError, .notStudentState(path: text))
        }
    }
}
