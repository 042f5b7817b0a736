import Foundation
import MQTTCodec
import MQTTLabCourse

/// The student's progress for one course, or nothing when the database cannot be used: reading a
/// lesson never fails because the state cannot be saved (it says so once, on standard error).
enum StudentState {
    /// Opens (creating if needed) the student database, for commands that record progress.
    static func progress(course: CourseSource, environment: [String: String], language: Language) -> LessonProgress? {
        do {
            return LessonProgress(database: try StudentDatabase.open(environment: environment), course: course.key)
        } catch {
            FileHandle.standardError.write(Data("\(LessonMessages.notSaved("\(error)").text(language))\n".utf8))
            return nil
        }
    }

    /// The progress if the database already exists: the home screen and `lesson list` only read, and must
    /// not create files for someone who only ran `mqttlab`.
    static func existingProgress(course: CourseSource, environment: [String: String], language: Language) -> LessonProgress? {
        let path = StudentHome.databasePath(in: StudentHome.folder(environment: environment))
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return progress(course: course, environment: environment, language: language)
    }

    /// The saved states (empty when there is no progress).
    static func states(_ progress: LessonProgress?) -> [String: LessonProgress.State] {
        (try? progress?.states()) ?? [:]
    }
}
