import GRDB

/// Where the student is in the lessons of one course: the step last shown in each lesson, which lessons
/// are read (their last step was reached), and which lesson was open last.
public struct LessonProgress: Sendable {
    /// One lesson's state.
    public struct State: Sendable, Equatable {
        public var lessonID: String
        /// 0-based.
        public var step: Int
        public var stepCount: Int
        public var isRead: Bool
    }

    public let database: StudentDatabase
    /// `CourseSource.key`: "builtin" or a --course folder's absolute path.
    public let course: String

    public init(database: StudentDatabase, course: String) {
        self.database = database
        self.course = course
    }

    /// Every lesson the student has opened, by lesson id.
    public func states() throws -> [String: State] {
        try database.pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT lessonID, step, stepCount, readAt FROM lesson_state WHERE course = ?", arguments: [course])
            var result: [String: State] = [:]
            for row in rows {
                let id: String = row["lessonID"]
                result[id] = State(lessonID: id, step: row["step"], stepCount: row["stepCount"], isRead: (row["readAt"] as String?) != nil)
            }
            return result
        }
    }

    /// The lesson open last, with its step: where `mqttlab lesson next` resumes.
    public func lastOpened() throws -> State? {
        try database.pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT lessonID, step, stepCount, readAt FROM lesson_state WHERE course = ? ORDER BY seq DESC LIMIT 1
                """, arguments: [course]) else { return nil }
            return State(lessonID: row["lessonID"], step: row["step"], stepCount: row["stepCount"], isRead: (row["readAt"] as String?) != nil)
        }
    }

    /// Records that `step` (0-based) of a lesson with `stepCount` steps is on screen. Reaching the last step
    /// marks the lesson read (and it stays read when the student pages back).
    public func record(lessonID: String, step: Int, stepCount: Int) throws {
        let isLast = step >= stepCount - 1
        try database.pool.write { db in
            let now = try String.fetchOne(db, sql: "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')") ?? ""
            let next = (try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM lesson_state") ?? 0) + 1
            try db.execute(sql: """
                INSERT INTO lesson_state(course, lessonID, step, stepCount, readAt, seq, updatedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(course, lessonID) DO UPDATE SET
                    step = excluded.step, stepCount = excluded.stepCount,
                    readAt = COALESCE(lesson_state.readAt, excluded.readAt),
                    seq = excluded.seq, updatedAt = excluded.updatedAt
                """, arguments: [course, lessonID, step, stepCount, isLast ? now : nil, next, now])
        }
    }

    /// Forgets the student's reading of this course (positions and read marks).
    public func reset() throws {
        try database.pool.write { db in try db.execute(sql: "DELETE FROM lesson_state WHERE course = ?", arguments: [course]) }
    }
}
