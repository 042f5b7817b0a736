import Foundation
import MQTTCodec
@testable import MQTTLabCourse

/// Where the engine's fixture course and the package's Lessons/ folder are, found from this file.
enum CourseFixtures {
    /// <root>/Tests/MQTTLabCourseTests/CourseFixtures.swift → <root>
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtureCourse = packageRoot.appendingPathComponent("Tests/Fixtures/Course").path
    static let lessonsFolder = packageRoot.appendingPathComponent("Lessons").path
    static let exercisesFolder = packageRoot.appendingPathComponent("Exercises").path

    /// Parses `text` as `lesson.md` and returns its diagnostics.
    static func diagnostics(_ text: String, path: String = "t/01-x/en.md") -> [LessonDiagnostic] {
        LessonParser.parse(text, path: path, language: .en).diagnostics
    }

    /// A lesson with valid front matter around `body`.
    static func lesson(_ body: String) -> String {
        "---\ntitle: T\nsummary: S\n---\n" + body
    }
}
