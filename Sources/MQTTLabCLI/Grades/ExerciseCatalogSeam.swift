import Foundation
import MQTTLabCourse
import MQTTLabExercises

/// THE ONE PLACE where `progress` and `grade` get the exercise catalog: the exercises engine's
/// definitions for `course`, mapped to `ExerciseCatalogEntry` (id, lessonID, points, title es/en), in
/// course order. The built-in course has the bundled exercises; a `--course DIR` has the `Exercises`
/// folder beside DIR, or none.
enum ExerciseCatalogSeam {
    static func exercises(for course: CourseSource) throws -> [ExerciseCatalogEntry] {
        let lessonIDs = Set(Course(source: course).entries.map(\.id.folderName))
        var folder: String?  // nil: the built-in exercises; "": none
        if course.key != CourseOptions.builtIn.key {  // --course DIR: key is DIR's absolute path
            let sibling = URL(fileURLWithPath: course.key).deletingLastPathComponent().appendingPathComponent("Exercises").path
            folder = FileManager.default.fileExists(atPath: sibling) ? sibling : ""
        }
        return try ExerciseSourceOptions.catalog(folder: folder, lessonIDs: lessonIDs).summaries.map {
            ExerciseCatalogEntry(id: $0.id, lessonID: $0.lessonID, points: $0.points, title: $0.title)
        }
    }
}
