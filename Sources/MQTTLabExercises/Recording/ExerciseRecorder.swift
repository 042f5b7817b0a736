import GRDB
import MQTTLabCourse

/// The exercise tables of the student database (v2 of `StudentSchema`; Docs/EXERCISE-DB or the grades
/// branch's schema docs): attempts, hint uses and each exercise's generation.
///
/// Crash safety: `begin` commits a 'running' row BEFORE the check starts and `finish` updates it in its
/// own transaction, so a `kill -9` mid-check leaves a 'running' row (read as "interrupted") and every
/// earlier attempt intact; WAL and the busy timeout of `StudentDatabase` let two processes write at once.
public struct ExerciseRecorder: Sendable {
    public let database: StudentDatabase
    /// "builtin" or a --course folder's key, like lesson_state.
    public let course: String

    public init(database: StudentDatabase, course: String) {
        self.database = database
        self.course = course
    }

    static let now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"

    /// The exercise's current generation (0 until the first reset).
    public func generation(_ exerciseID: String) throws -> Int {
        try database.pool.read { db in try Self.generation(db, course: course, exerciseID: exerciseID) }
    }

    static func generation(_ db: Database, course: String, exerciseID: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT generation FROM exercise_state WHERE course = ? AND exerciseID = ?", arguments: [course, exerciseID]) ?? 0
    }

    /// Inserts the 'running' attempt; returns its id.
    public func begin(_ exercise: Exercise, answer: String?) throws -> Int64 {
        try database.pool.write { db in
            let generation = try Self.generation(db, course: course, exerciseID: exercise.id)
            try db.execute(sql: """
                INSERT INTO attempt(course, exerciseID, lessonID, kind, generation, startedAt, outcome, maxScore, answer)
                VALUES (?, ?, ?, ?, ?, \(Self.now), 'running', ?, ?)
                """, arguments: [course, exercise.id, exercise.lessonID, exercise.kind.rawValue, generation, exercise.points, answer])
            return db.lastInsertedRowID
        }
    }

    /// Ends the attempt with its result.
    public func finish(_ attemptID: Int64, exerciseID: String, result: CheckResult) throws {
        try database.pool.write { db in
            let generation = try Int.fetchOne(db, sql: "SELECT generation FROM attempt WHERE id = ?", arguments: [attemptID]) ?? 0
            let hints = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT hintIndex) FROM hint_use WHERE course = ? AND exerciseID = ? AND generation = ?",
                                         arguments: [course, exerciseID, generation]) ?? 0
            try db.execute(sql: """
                UPDATE attempt SET endedAt = \(Self.now), outcome = ?, score = ?, hintsShown = ?, observed = ?, explanation = ?
                WHERE id = ?
                """, arguments: [result.outcome.rawValue, result.score, hints, String(result.observed.prefix(65_536)), result.explanation, attemptID])
        }
    }

    /// Reveals the next hint: records its use and returns its 0-based index, or nil when all were shown
    /// (then the last one is shown again, not recorded twice).
    public func nextHint(_ exercise: Exercise) throws -> (index: Int, isNew: Bool) {
        try database.pool.write { db in
            let generation = try Self.generation(db, course: course, exerciseID: exercise.id)
            let shown = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT hintIndex) FROM hint_use WHERE course = ? AND exerciseID = ? AND generation = ?",
                                         arguments: [course, exercise.id, generation]) ?? 0
            guard shown < exercise.hints.count else { return (exercise.hints.count - 1, false) }
            try db.execute(sql: "INSERT INTO hint_use(course, exerciseID, generation, hintIndex, shownAt) VALUES (?, ?, ?, ?, \(Self.now))",
                           arguments: [course, exercise.id, generation, shown])
            return (shown, true)
        }
    }

    /// Starts the exercise over: a new generation; attempts and hints of earlier ones stay as history.
    public func reset(_ exerciseIDs: [String]) throws {
        try database.pool.write { db in
            for id in exerciseIDs {
                try db.execute(sql: """
                    INSERT INTO exercise_state(course, exerciseID, generation, updatedAt) VALUES (?, ?, 1, \(Self.now))
                    ON CONFLICT(course, exerciseID) DO UPDATE SET generation = generation + 1, updatedAt = excluded.updatedAt
                    """, arguments: [course, id])
            }
        }
    }

    /// An exercise's status in its current generation (the contract's rules).
    public enum Status: String, Sendable {
        case notStarted = "not started"
        case interrupted, failed, passed
    }

    public struct State: Sendable, Equatable {
        public var status: Status
        public var score: Double
        public var attempts: Int
        public var hintsShown: Int

        public init(status: Status, score: Double, attempts: Int, hintsShown: Int) {
            self.status = status
            self.score = score
            self.attempts = attempts
            self.hintsShown = hintsShown
        }
    }

    /// The state of every exercise with attempts or hints in its current generation.
    public func states() throws -> [String: State] {
        try database.pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT a.exerciseID AS id,
                       MAX(a.outcome = 'passed') AS passed,
                       MAX(a.outcome IN ('failed', 'error')) AS failed,
                       MAX(a.score) AS score, COUNT(*) AS attempts
                FROM attempt a LEFT JOIN exercise_state s ON s.course = a.course AND s.exerciseID = a.exerciseID
                WHERE a.course = ? AND a.generation = COALESCE(s.generation, 0)
                GROUP BY a.exerciseID
                """, arguments: [course])
            var result: [String: State] = [:]
            for row in rows {
                let passed: Bool = row["passed"]
                let failed: Bool = row["failed"]
                result[row["id"]] = State(status: passed ? .passed : failed ? .failed : .interrupted, score: row["score"] ?? 0,
                                          attempts: row["attempts"], hintsShown: 0)
            }
            let hints = try Row.fetchAll(db, sql: """
                SELECT h.exerciseID AS id, COUNT(DISTINCT h.hintIndex) AS shown
                FROM hint_use h LEFT JOIN exercise_state s ON s.course = h.course AND s.exerciseID = h.exerciseID
                WHERE h.course = ? AND h.generation = COALESCE(s.generation, 0)
                GROUP BY h.exerciseID
                """, arguments: [course])
            for row in hints {
                let id: String = row["id"]
                result[id, default: State(status: .notStarted, score: 0, attempts: 0, hintsShown: 0)].hintsShown = row["shown"]
            }
            return result
        }
    }
}
