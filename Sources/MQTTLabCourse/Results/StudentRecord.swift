/// Everything the student database holds about one course, row for row: what `progress` summarizes,
/// what `progress --export` writes and what `grade` reads. Field names are the columns' names, so the
/// export's JSON keys are the schema's (Docs/STUDENT-DATABASE.md).
public struct StudentRecord: Sendable, Equatable, Codable {
    /// One row of `attempt`.
    public struct Attempt: Sendable, Equatable, Codable {
        public var id: Int64
        public var exerciseID: String
        public var lessonID: String
        public var kind: String
        public var generation: Int
        public var startedAt: String
        public var endedAt: String?
        /// running | passed | failed | error. "running" with no `endedAt` means interrupted.
        public var outcome: String
        public var score: Double
        public var maxScore: Double
        public var hintsShown: Int
        public var answer: String?
        public var observed: String?
        public var explanation: String?

        public init(id: Int64, exerciseID: String, lessonID: String, kind: String, generation: Int, startedAt: String,
                    endedAt: String?, outcome: String, score: Double, maxScore: Double, hintsShown: Int,
                    answer: String? = nil, observed: String? = nil, explanation: String? = nil) {
            self.id = id
            self.exerciseID = exerciseID
            self.lessonID = lessonID
            self.kind = kind
            self.generation = generation
            self.startedAt = startedAt
            self.endedAt = endedAt
            self.outcome = outcome
            self.score = score
            self.maxScore = maxScore
            self.hintsShown = hintsShown
            self.answer = answer
            self.observed = observed
            self.explanation = explanation
        }
    }

    /// One row of `hint_use`.
    public struct HintUse: Sendable, Equatable, Codable {
        public var exerciseID: String
        public var generation: Int
        public var hintIndex: Int
        public var shownAt: String

        public init(exerciseID: String, generation: Int, hintIndex: Int, shownAt: String) {
            self.exerciseID = exerciseID
            self.generation = generation
            self.hintIndex = hintIndex
            self.shownAt = shownAt
        }
    }

    /// One row of `exercise_state`: `generation` counts the resets.
    public struct ExerciseState: Sendable, Equatable, Codable {
        public var exerciseID: String
        public var generation: Int
        public var updatedAt: String

        public init(exerciseID: String, generation: Int, updatedAt: String) {
            self.exerciseID = exerciseID
            self.generation = generation
            self.updatedAt = updatedAt
        }
    }

    /// One row of `lesson_state`.
    public struct LessonPosition: Sendable, Equatable, Codable {
        public var lessonID: String
        public var step: Int
        public var stepCount: Int
        public var readAt: String?
        public var updatedAt: String

        public init(lessonID: String, step: Int, stepCount: Int, readAt: String?, updatedAt: String) {
            self.lessonID = lessonID
            self.step = step
            self.stepCount = stepCount
            self.readAt = readAt
            self.updatedAt = updatedAt
        }
    }

    public var course: String
    public var attempts: [Attempt]
    public var hintUses: [HintUse]
    public var exerciseStates: [ExerciseState]
    public var lessons: [LessonPosition]

    public init(course: String, attempts: [Attempt] = [], hintUses: [HintUse] = [], exerciseStates: [ExerciseState] = [],
                lessons: [LessonPosition] = []) {
        self.course = course
        self.attempts = attempts
        self.hintUses = hintUses
        self.exerciseStates = exerciseStates
        self.lessons = lessons
    }

    /// The current generation of an exercise (0 until its first reset).
    public func generation(of exerciseID: String) -> Int {
        exerciseStates.first { $0.exerciseID == exerciseID }?.generation ?? 0
    }
}
