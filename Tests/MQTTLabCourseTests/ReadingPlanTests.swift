import XCTest
@testable import MQTTLabCourse

/// What `mqttlab lesson next` and the course map suggest.
final class ReadingPlanTests: XCTestCase {
    private let course: Course = {
        let text = { (title: String) in "---\ntitle: \(title)\nsummary: s\n---\n## One\n## Two\n## Three\n" }
        let files = ["01-a", "02-b", "03-c"].flatMap { id in
            ["es", "en"].map { CourseSource.File(path: "\(id)/\($0).md", text: text(id)) }
        }
        return Course(source: CourseSource(displayName: "C", key: "k", files: files))
    }()

    private func state(_ id: String, step: Int, read: Bool) -> LessonProgress.State {
        LessonProgress.State(lessonID: id, step: step, stepCount: 3, isRead: read)
    }

    private func describe(_ plan: ReadingPlan) -> String {
        switch plan {
        case .resume(let entry, let step): "resume \(entry.id) \(step)"
        case .start(let entry): "start \(entry.id)"
        case .finished: "finished"
        case .empty: "empty"
        }
    }

    func testPlans() {
        XCTAssertEqual(describe(.next(course: course, states: [:], lastOpened: nil)), "start 01-a")
        let midway = state("02-b", step: 1, read: false)
        XCTAssertEqual(describe(.next(course: course, states: ["02-b": midway], lastOpened: midway)), "resume 02-b 1")
        let readA = state("01-a", step: 2, read: true)
        XCTAssertEqual(describe(.next(course: course, states: ["01-a": readA], lastOpened: readA)), "start 02-b")
        let all = ["01-a": readA, "02-b": state("02-b", step: 2, read: true), "03-c": state("03-c", step: 2, read: true)]
        XCTAssertEqual(describe(.next(course: course, states: all, lastOpened: readA)), "finished")
        XCTAssertEqual(describe(.next(course: Course(source: CourseSource(displayName: "", key: "", files: [])), states: [:], lastOpened: nil)), "empty")
    }
}
