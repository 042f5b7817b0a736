import Foundation
import GRDB

/// Reads a `StudentRecord` (and the identity) out of a student database.
public enum StudentRecordReader {
    /// Every row of `course` in `database`, oldest first.
    public static func read(_ database: StudentDatabase, course: String) throws -> StudentRecord {
        try database.pool.read { db in try read(db, course: course) }
    }

    static func read(_ db: Database, course: String) throws -> StudentRecord {
        var record = StudentRecord(course: course)
        let hasExerciseTables = try db.tableExists("attempt")
        if hasExerciseTables {
            record.attempts = try Row.fetchAll(db, sql: """
                SELECT id, exerciseID, lessonID, kind, generation, startedAt, endedAt, outcome, score, maxScore,
                       hintsShown, answer, observed, explanation
                FROM attempt WHERE course = ? ORDER BY id
                """, arguments: [course]).map { row in
                StudentRecord.Attempt(
                    id: row["id"], exerciseID: row["exerciseID"], lessonID: row["lessonID"], kind: row["kind"],
                    generation: row["generation"], startedAt: row["startedAt"], endedAt: row["endedAt"], outcome: row["outcome"],
                    score: row["score"], maxScore: row["maxScore"], hintsShown: row["hintsShown"], answer: row["answer"],
                    observed: row["observed"], explanation: row["explanation"])
            }
            record.hintUses = try Row.fetchAll(db, sql: """
                SELECT exerciseID, generation, hintIndex, shownAt FROM hint_use WHERE course = ? ORDER BY id
                """, arguments: [course]).map { row in
                StudentRecord.HintUse(exerciseID: row["exerciseID"], generation: row["generation"], hintIndex: row["hintIndex"], shownAt: row["shownAt"])
            }
            record.exerciseStates = try Row.fetchAll(db, sql: """
                SELECT exerciseID, generation, updatedAt FROM exercise_state WHERE course = ? ORDER BY exerciseID
                """, arguments: [course]).map { row in
                StudentRecord.ExerciseState(exerciseID: row["exerciseID"], generation: row["generation"], updatedAt: row["updatedAt"])
            }
        }
        record.lessons = try Row.fetchAll(db, sql: """
            SELECT lessonID, step, stepCount, readAt, updatedAt FROM lesson_state WHERE course = ? ORDER BY lessonID
            """, arguments: [course]).map { row in
            StudentRecord.LessonPosition(lessonID: row["lessonID"], step: row["step"], stepCount: row["stepCount"],
                                         readAt: row["readAt"], updatedAt: row["updatedAt"])
        }
        return record
    }

    /// The courses this database has rows for (lessons read or exercises tried).
    static func courses(_ db: Database) throws -> [String] {
        var courses = Set(try String.fetchAll(db, sql: "SELECT DISTINCT course FROM lesson_state"))
        if try db.tableExists("attempt") {
            courses.formUnion(try String.fetchAll(db, sql: "SELECT DISTINCT course FROM attempt"))
            courses.formUnion(try String.fetchAll(db, sql: "SELECT DISTINCT course FROM hint_use"))
        }
        return courses.sorted()
    }

    /// A student's database file as the teacher reads it: opened read-only (grading never migrates or
    /// changes a student's file), checked to be an mqttlab student database of a schema this build knows.
    public static func readFile(path: String) throws -> (identity: StudentIdentity?, records: [StudentRecord]) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StudentDatabaseError.cannotOpen(path: path, reason: "no such file")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                try StudentSchema.checkIdentity(db, path: path, migrator: StudentSchema.migrator())
                guard try db.tableExists("meta") else { throw StudentDatabaseError.notStudentState(path: path) }
                let identity = try db.tableExists("student") ? try StudentIdentityStore.read(db) : nil
                return (identity, try courses(db).map { try read(db, course: $0) })
            }
        } catch let error as StudentDatabaseError {
            throw error
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_NOTADB { throw StudentDatabaseError.notStudentState(path: path) }
            throw StudentDatabaseError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }
}
