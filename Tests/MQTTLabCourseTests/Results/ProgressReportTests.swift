import MQTTCodec
import XCTest
@testable import MQTTLabCourse

/// The student's view: lesson states, exercise lines, total, and the next suggestion.
final class ProgressReportTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws { folder = try ResultsPaths.makeFolder() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private let lessons = [(id: "01-intro", number: 1, title: "Intro"), (id: "02-publish", number: 2, title: "Publish"),
                           (id: "03-subscribe", number: 3, title: "Subscribe")]

    func testAnasReport() throws {
        let ana = try ResultsFixture.ana(in: folder)
        let record = try StudentRecordReader.read(ana.database, course: "builtin")
        let report = ProgressReport.make(lessons: lessons, catalog: ResultsFixture.catalog, record: record, language: .en)
        XCTAssertEqual(report.lessons.map(\.status), [.read, .inProgress, .notStarted])
        XCTAssertEqual(report.lessons[1].step, 1)
        XCTAssertEqual(report.exercises.map(\.entry.id), ["filter-basics", "bytes-connect", "retained-light"], "by lesson, then the catalog's order")
        XCTAssertEqual(report.exercises.map(\.summary.status), [.passed, .notStarted, .interrupted])
        XCTAssertEqual(report.exercises[0].summary.attempts, 2)
        XCTAssertEqual(report.exercises[0].summary.hintsUsed, 1)
        XCTAssertEqual(report.score, 2)
        XCTAssertEqual(report.points, 10)
        // Lesson 1 is read and bytes-connect (lesson 1) is unsolved: practise before reading on.
        XCTAssertEqual(report.next, .exercise(id: "bytes-connect", title: "CONNECT, byte by byte"))
    }

    func testTheNextSuggestionWalksTheCourse() throws {
        let marta = try ResultsFixture.marta(in: folder)
        var record = try StudentRecordReader.read(marta.database, course: "builtin")
        var report = ProgressReport.make(lessons: lessons, catalog: ResultsFixture.catalog, record: record, language: .es)
        XCTAssertEqual(report.next, .lesson(id: "01-intro", number: 1, title: "Intro"), "lesson 1 is begun, not read")

        record.lessons = lessons.map { .init(lessonID: $0.id, step: 4, stepCount: 5, readAt: "2026-12-01 00:00:00.000", updatedAt: "2026-12-01 00:00:00.000") }
        report = ProgressReport.make(lessons: lessons, catalog: ResultsFixture.catalog, record: record, language: .es)
        XCTAssertEqual(report.next, .exercise(id: "filter-basics", title: "Filtros de tema"), "all read: the first unsolved exercise")

        record.attempts = ResultsFixture.catalog.enumerated().map { index, entry in
            .init(id: Int64(index + 1), exerciseID: entry.id, lessonID: entry.lessonID, kind: "answer", generation: 0,
                  startedAt: "2026-12-01 00:00:00.000", endedAt: "2026-12-01 00:00:01.000", outcome: "passed",
                  score: entry.points, maxScore: entry.points, hintsShown: 0)
        }
        report = ProgressReport.make(lessons: lessons, catalog: ResultsFixture.catalog, record: record, language: .es)
        XCTAssertEqual(report.next, .allDone)
        XCTAssertEqual(report.score, 10)
    }

    func testWithoutACatalogOnlyLessonsCount() throws {
        let report = ProgressReport.make(lessons: lessons, catalog: [], record: StudentRecord(course: "builtin"), language: .en)
        XCTAssertEqual(report.exercises, [])
        XCTAssertEqual(report.points, 0)
        XCTAssertEqual(report.next, .lesson(id: "01-intro", number: 1, title: "Intro"))
    }
}
