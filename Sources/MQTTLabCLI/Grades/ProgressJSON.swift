import Foundation
import MQTTCodec
import MQTTLabCourse

/// `mqttlab progress --json`: stable keys, documented in Docs/GRADES.md. Adding a key is allowed; renaming
/// or removing one needs a new `formatVersion`.
struct ProgressJSON: Encodable {
    struct Student: Encodable {
        var uuid: String
        var name: String
        var schoolID: String
    }

    struct Lesson: Encodable {
        var id: String
        var number: Int
        var title: String
        /// read | in progress | not started
        var status: String
        /// 1-based step last shown; null when not started.
        var step: Int?
        var stepCount: Int?
    }

    struct Exercise: Encodable {
        var id: String
        var lessonID: String
        var title: String
        /// passed | failed | interrupted | not started
        var status: String
        var score: Double
        var points: Double
        var attempts: Int
        var totalAttempts: Int
        var hintsUsed: Int
        var lastActivity: String?
        var generation: Int
    }

    struct Next: Encodable {
        /// lesson | exercise | done
        var kind: String
        var id: String?
        var title: String?
        var command: String?
    }

    var formatVersion = 1
    var course: String
    var student: Student?
    var lessons: [Lesson]
    var exercises: [Exercise]
    var score: Double
    var points: Double
    var next: Next

    init(report: ProgressReport, course: String, student: StudentIdentity?, language: Language) {
        self.course = course
        self.student = student.map { Student(uuid: $0.uuid, name: $0.name, schoolID: $0.schoolID) }
        lessons = report.lessons.map {
            Lesson(id: $0.lessonID, number: $0.number, title: $0.title, status: $0.status.rawValue,
                   step: $0.step.map { $0 + 1 }, stepCount: $0.stepCount)
        }
        exercises = report.exercises.map {
            Exercise(id: $0.entry.id, lessonID: $0.entry.lessonID, title: $0.entry.title.text(language), status: $0.summary.status.rawValue,
                     score: $0.summary.score, points: $0.summary.points, attempts: $0.summary.attempts,
                     totalAttempts: $0.summary.totalAttempts, hintsUsed: $0.summary.hintsUsed, lastActivity: $0.summary.lastActivity,
                     generation: $0.summary.generation)
        }
        score = report.score
        points = report.points
        next = switch report.next {
        case .lesson(let id, let number, let title): Next(kind: "lesson", id: id, title: title, command: "mqttlab lesson \(number)")
        case .exercise(let id, let title): Next(kind: "exercise", id: id, title: title, command: "mqttlab exercise check \(id)")
        case .allDone: Next(kind: "done")
        }
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
