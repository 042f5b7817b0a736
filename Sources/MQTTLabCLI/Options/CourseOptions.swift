import ArgumentParser
import Foundation
import MQTTLabCourse
import MQTTLabCourseBundle

/// `--course DIR`: read a teacher's course folder instead of the lessons built into mqttlab.
struct CourseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Read the lessons of this folder instead of the built-in course.",
        discussion: "A course folder holds one NN-slug folder per lesson, each with es.md and en.md (Docs/AUTHORING.md).",
        valueName: "dir"))
    var course: String?

    /// The course to read. A missing or unreadable folder is an input error (exit 66).
    func load() throws -> Course {
        Course(source: try source())
    }

    func source() throws -> CourseSource {
        guard let course else { return Self.builtIn }
        do {
            return try CourseSource.folder(course)
        } catch let error as CourseError {
            throw InputError(message: error.description)
        }
    }

    /// The course inside the binary, named "Lessons" in messages (the folder it was built from).
    static var builtIn: CourseSource {
        CourseSource(
            displayName: "Lessons", key: "builtin",
            files: BundledCourse.files.compactMap { file in file.text.map { CourseSource.File(path: file.path, text: $0) } }
        )
    }
}

/// How a lesson is shown: `--plain`, `--width`.
struct ReaderOptions: ParsableArguments {
    @Flag(name: .long, help: ArgumentHelp(
        "Print the whole lesson as plain text (no colors, no interactive reader): for handouts and screen readers."))
    var plain = false

    @Option(name: .long, help: ArgumentHelp(
        "Lay the text out for this many columns (default: the terminal's width, 80 when not a terminal; at most 100).",
        valueName: "columns"))
    var width: Int?

    func validate() throws {
        if let width, width < 20 { throw ValidationError("--width takes 20 columns or more, not \(width)") }
    }

    /// The layout width: --width, else the terminal's, else $COLUMNS, else 80; never over 100.
    func layoutWidth(terminal: Terminal, environment: [String: String]) -> Int {
        let chosen = width ?? terminal.width ?? environment["COLUMNS"].flatMap(Int.init) ?? 80
        return min(max(chosen, 20), LessonRenderer.maximumWidth)
    }
}
