import ArgumentParser
import Foundation
import MQTTCodec
import MQTTLabCourse
import MQTTLabCourseBundle
import MQTTLabExercises

/// Where the exercises come from: built in, or a course folder's (`--course DIR`: the `Exercises` folder
/// beside DIR, like the repository's Lessons/ and Exercises/; `--exercises DIR` names it outright).
struct ExerciseSourceOptions: ParsableArguments {
    @OptionGroup var courseOptions: CourseOptions

    @Option(name: .long, help: ArgumentHelp(
        "Read the exercises of this folder (default: built in; with --course DIR, the Exercises folder beside DIR).",
        valueName: "dir"))
    var exercises: String?

    /// The course's lessons and its exercises; exercises with errors are left out (lint lists them).
    func load() throws -> (course: Course, catalog: ExerciseCatalog) {
        let course = try courseOptions.load()
        let lessonIDs = Set(course.entries.map(\.id.folderName))
        return (course, try Self.catalog(folder: folder(course: course), lessonIDs: lessonIDs))
    }

    func folder(course: Course) -> String? {
        if let exercises { return exercises }
        guard let lessons = courseOptions.course else { return nil }
        let sibling = URL(fileURLWithPath: lessons).standardizedFileURL.deletingLastPathComponent().appendingPathComponent("Exercises").path
        return FileManager.default.fileExists(atPath: sibling) ? sibling : ""
    }

    /// nil folder: the built-in exercises; "": none.
    static func catalog(folder: String?, lessonIDs: Set<String>?) throws -> ExerciseCatalog {
        guard let folder else {
            let files = BundledExercises.files.compactMap { file in file.text.map { ExerciseCatalog.File(path: file.path, text: $0) } }
            return ExerciseCatalog.load(files: files, displayFolder: "Exercises", lessonIDs: lessonIDs)
        }
        if folder.isEmpty { return ExerciseCatalog(exercises: [], diagnostics: []) }
        return ExerciseCatalog.load(files: try readFolder(folder), displayFolder: folder.hasSuffix("/") ? String(folder.dropLast()) : folder, lessonIDs: lessonIDs)
    }

    static func readFolder(_ folder: String) throws -> [ExerciseCatalog.File] {
        do {
            return try ExerciseCatalog.readFolder(folder)
        } catch {
            throw InputError(message: error.description)
        }
    }

    /// The exercise with this id, or an input error that lists the close ones.
    static func find(_ id: String, in catalog: ExerciseCatalog) throws -> Exercise {
        if let exercise = catalog.exercise(id) { return exercise }
        let ids = catalog.exercises.map(\.id)
        let close = ids.filter { $0.contains(id) || id.contains($0) }
        throw InputError(message: "no exercise '\(id)'" + (close.isEmpty ? "; mqttlab exercise list shows them all" : " (did you mean \(close.prefix(3).joined(separator: ", "))?)"))
    }
}
