import MQTTCodec
import MQTTLabCourse
import XCTest
@testable import MQTTLabCLI

/// The student's progress screen and the teacher's class table, rendered from known values.
final class GradesRenderingTests: XCTestCase {
    private let catalog = [
        ExerciseCatalogEntry(id: "filter-basics", lessonID: "01-intro", points: 2, title: LocalizedText(en: "Topic filters", es: "Filtros de tema")),
        ExerciseCatalogEntry(id: "retained-light", lessonID: "02-publish", points: 5, title: LocalizedText(en: "A retained light", es: "Una luz retenida")),
    ]

    private func attempt(_ id: Int64, _ exercise: String, outcome: String, score: Double, ended: String?) -> StudentRecord.Attempt {
        StudentRecord.Attempt(id: id, exerciseID: exercise, lessonID: "01-intro", kind: "answer", generation: 0,
                              startedAt: "2026-12-02 10:00:00.000", endedAt: ended, outcome: outcome, score: score, maxScore: 2, hintsShown: 0)
    }

    func testTheProgressScreen() {
        let record = StudentRecord(
            course: "builtin",
            attempts: [attempt(1, "filter-basics", outcome: "failed", score: 0, ended: "2026-12-02 10:00:03.000"),
                       attempt(2, "filter-basics", outcome: "passed", score: 2, ended: "2026-12-02 10:05:00.000"),
                       attempt(3, "retained-light", outcome: "running", score: 0, ended: nil)],
            hintUses: [.init(exerciseID: "filter-basics", generation: 0, hintIndex: 0, shownAt: "2026-12-02 10:01:00.000")],
            lessons: [.init(lessonID: "01-intro", step: 4, stepCount: 5, readAt: "2026-12-02 09:00:00.000", updatedAt: "2026-12-02 09:00:00.000"),
                      .init(lessonID: "02-publish", step: 2, stepCount: 6, readAt: nil, updatedAt: "2026-12-02 11:00:00.000")])
        let report = ProgressReport.make(lessons: [(id: "01-intro", number: 1, title: "Intro"), (id: "02-publish", number: 2, title: "Publishing")],
                                         catalog: catalog, record: record, language: .en)
        let student = StudentIdentity(uuid: "u", name: "Ana López", schoolID: "A123", createdAt: "2026-12-01 00:00:00.000")
        let text = ProgressText(report: report, student: student, language: .en, style: Style(enabled: false), width: 80).render()
        XCTAssertEqual(text, """
            Ana López (A123)

            Lessons
              ✓  1 Intro       read
              ▸  2 Publishing  step 3/6

            Exercises
                 id                           points  attempts  hints  last activity
              ✓  filter-basics   passed       2/2     2         1      2026-12-02 10:05
              …  retained-light  interrupted  0/5     1         0      2026-12-02 10:00

            Total: 2/7 points · 1 of 2 exercises passed

            Next: mqttlab lesson 2  → Publishing
            """)
    }

    func testTheClassTableFitsTheTerminalWidth() {
        let exercises = (1...24).map { ExerciseCatalogEntry(id: "ex-\($0)", lessonID: "01-intro", points: 10, title: LocalizedText(en: "E\($0)", es: "E\($0)")) }
        let sources = (1...3).map { index in
            GradeSource(path: "s\(index).json", kind: .export(index == 2 ? .changed(.checksumMismatch) : .intact),
                        identity: StudentIdentity(uuid: "u\(index)", name: "Student number \(index) with a long name", schoolID: "ID\(index)",
                                                  createdAt: "2026-12-01 00:00:00.000"),
                        record: StudentRecord(course: "builtin", attempts: [
                            StudentRecord.Attempt(id: 1, exerciseID: "ex-\(index)", lessonID: "01-intro", kind: "answer", generation: 0,
                                                  startedAt: "2026-12-02 10:00:00.000", endedAt: "2026-12-02 10:00:01.000",
                                                  outcome: "passed", score: 10, maxScore: 10, hintsShown: 0)]),
                        catalog: exercises, asOf: "2026-12-07 00:00:00.000")
        }
        let book = ClassGradebook.make(sources: sources, catalog: [])
        for width in [60, 80, 120] {
            let lines = ClassTable(book: book, language: .en, style: Style(enabled: false), width: width).render()
            let table = lines.prefix { !$0.hasPrefix("Cells") }
            for line in table { XCTAssertLessThanOrEqual(TextLayout.width(line), width, "\(width): \(line)") }
            // Every exercise column appears once per block; each student appears once per block.
            let headers = lines.filter { $0.contains("student") }
            XCTAssertEqual(lines.filter { $0.contains("Student number 2") }.count, headers.count)
            XCTAssertEqual(headers.joined().components(separatedBy: " e").count - 1, 24, "every exercise column is shown once")
        }
        let lines = ClassTable(book: book, language: .en, style: Style(enabled: false), width: 80).render()
        XCTAssertTrue(lines.contains { $0.hasPrefix("  ! Student number 2") }, "a changed export is marked")
        XCTAssertTrue(lines.contains("  e24  ex-24  E24 (10)"))
    }
}
