import MQTTLabCourse

/// THE ONE PLACE where `progress` and `grade` get the exercise catalog.
///
/// Merge seam (issue 7): the `exercises` branch owns the exercise definitions and their loader. When both
/// branches are merged, this function returns that loader's exercises for `course`, mapped to
/// `ExerciseCatalogEntry` (id, lessonID, points, title es/en), in course order. Until then it knows no
/// exercises: progress lists lessons only, and `grade` builds its columns from the exports' own catalogs
/// and the attempts. With the exercises branch as it stands, the body becomes (plus `import Foundation`
/// and `import MQTTLabExercises`):
///
///     let lessonIDs = Set(Course(source: course).entries.map(\.id.folderName))
///     var folder: String?  // nil: the built-in exercises; "": none
///     if course.key != CourseOptions.builtIn.key {  // --course DIR: key is DIR's absolute path
///         let sibling = URL(fileURLWithPath: course.key).deletingLastPathComponent().appendingPathComponent("Exercises").path
///         folder = FileManager.default.fileExists(atPath: sibling) ? sibling : ""
///     }
///     return try ExerciseSourceOptions.catalog(folder: folder, lessonIDs: lessonIDs).summaries.map {
///         ExerciseCatalogEntry(id: $0.id, lessonID: $0.lessonID, points: $0.points, title: $0.title)
///     }
enum ExerciseCatalogSeam {
    static func exercises(for course: CourseSource) throws -> [ExerciseCatalogEntry] {
        []
    }
}
