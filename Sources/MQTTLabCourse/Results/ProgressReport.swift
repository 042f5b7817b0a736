import MQTTCodec

/// The student's view of one course: every lesson and exercise with its state, the points, and what to
/// do next. Built from plain values (the course's lessons, the exercise catalog, the database rows), so
/// it is the same for the terminal, `--json` and the tests.
public struct ProgressReport: Sendable, Equatable {
    public enum LessonStatus: String, Sendable, Codable {
        case read
        case inProgress = "in progress"
        case notStarted = "not started"
    }

    public struct LessonLine: Sendable, Equatable {
        public var lessonID: String
        public var number: Int
        public var title: String
        public var status: LessonStatus
        /// 0-based step last shown, when begun.
        public var step: Int?
        public var stepCount: Int?
    }

    public struct ExerciseLine: Sendable, Equatable {
        public var entry: ExerciseCatalogEntry
        public var summary: ExerciseStanding
    }

    public enum Suggestion: Sendable, Equatable {
        /// Read (or go on reading) this lesson.
        case lesson(id: String, number: Int, title: String)
        /// Solve this exercise: its lesson is read (or it has no lesson in the course).
        case exercise(id: String, title: String)
        case allDone
    }

    public var lessons: [LessonLine]
    public var exercises: [ExerciseLine]
    public var score: Double
    public var points: Double
    public var next: Suggestion

    /// - Parameters:
    ///   - lessons: the course's lessons in order (id, number, title in the student's language).
    ///   - catalog: the exercises (any order; shown in course order).
    public static func make(lessons: [(id: String, number: Int, title: String)], catalog: [ExerciseCatalogEntry],
                            record: StudentRecord, language: Language) -> ProgressReport {
        let positions = Dictionary(record.lessons.map { ($0.lessonID, $0) }, uniquingKeysWith: { first, _ in first })
        let lessonLines = lessons.map { lesson -> LessonLine in
            guard let position = positions[lesson.id] else {
                return LessonLine(lessonID: lesson.id, number: lesson.number, title: lesson.title, status: .notStarted)
            }
            return LessonLine(lessonID: lesson.id, number: lesson.number, title: lesson.title,
                              status: position.readAt != nil ? .read : .inProgress, step: position.step, stepCount: position.stepCount)
        }
        let exerciseLines = ExerciseCatalogEntry.ordered(catalog).map { entry in
            ExerciseLine(entry: entry, summary: ExerciseStanding.make(exerciseID: entry.id, points: entry.points, record: record))
        }
        let score = exerciseLines.map(\.summary.score).reduce(0, +)
        let points = exerciseLines.map(\.entry.points).reduce(0, +)
        return ProgressReport(lessons: lessonLines, exercises: exerciseLines, score: score, points: points,
                              next: suggestion(lessons: lessonLines, exercises: exerciseLines, language: language))
    }

    /// In course order: an unsolved exercise of a lesson already read comes before the next lesson (practice
    /// what you read before reading on); else the first lesson not read; else any unsolved exercise left.
    static func suggestion(lessons: [LessonLine], exercises: [ExerciseLine], language: Language) -> Suggestion {
        let read = Set(lessons.filter { $0.status == .read }.map(\.lessonID))
        let known = Set(lessons.map(\.lessonID))
        let unsolved = exercises.filter { $0.summary.status != .passed }
        for lesson in lessons {
            if lesson.status == .read {
                if let exercise = unsolved.first(where: { $0.entry.lessonID == lesson.lessonID }) {
                    return .exercise(id: exercise.entry.id, title: exercise.entry.title.text(language))
                }
            } else {
                return .lesson(id: lesson.lessonID, number: lesson.number, title: lesson.title)
            }
        }
        if let exercise = unsolved.first(where: { read.contains($0.entry.lessonID) || !known.contains($0.entry.lessonID) }) {
            return .exercise(id: exercise.entry.id, title: exercise.entry.title.text(language))
        }
        return .allDone
    }
}
