import MQTTLabCourse

/// THE ONE PLACE where `progress` and `grade` get the exercise catalog.
///
/// Merge seam (issue 7): the `exercises` branch owns the exercise definitions and their loader. When both
/// branches are merged, this function returns that loader's exercises for `course`, mapped to
/// `ExerciseCatalogEntry` (id, lessonID, points, title es/en). Until then it knows no exercises: progress
/// lists lessons only, and `grade` builds its columns from the exports' own catalogs and the attempts.
enum ExerciseCatalogSeam {
    static func exercises(for course: CourseSource) throws -> [ExerciseCatalogEntry] {
        []
    }
}
