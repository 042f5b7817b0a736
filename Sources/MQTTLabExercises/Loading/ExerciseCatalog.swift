import MQTTCodec

/// Every exercise of a course, loaded and cross-checked: ids unique, lessons that exist.
public struct ExerciseCatalog: Sendable {
    /// One exercise file: its path relative to the exercises folder, and its text.
    public struct File: Sendable {
        public var path: String
        public var text: String
        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
    }

    /// The exercises that loaded, in course order (lesson, then file name).
    public var exercises: [Exercise]
    /// Every problem found; an exercise with errors is left out of `exercises`.
    public var diagnostics: [ExerciseDiagnostic]

    public init(exercises: [Exercise], diagnostics: [ExerciseDiagnostic]) {
        self.exercises = exercises
        self.diagnostics = diagnostics
    }

    /// Loads `files` (paths shown with `displayFolder/` in front). With `lessonIDs`, an exercise whose
    /// lesson is not among them is an error.
    public static func load(files: [File], displayFolder: String, lessonIDs: Set<String>?) -> ExerciseCatalog {
        var exercises: [Exercise] = []
        var diagnostics: [ExerciseDiagnostic] = []
        var seen: [String: String] = [:]
        for file in files.sorted(by: { $0.path < $1.path }) where isExerciseFile(file.path) {
            let shown = displayFolder.isEmpty ? file.path : "\(displayFolder)/\(file.path)"
            switch ExerciseParser.parse(text: file.text, path: shown) {
            case .failure(let errors):
                diagnostics += errors.diagnostics
            case .success(let exercise):
                if let first = seen[exercise.id] {
                    diagnostics.append(ExerciseDiagnostic(path: shown, line: line(of: "id", in: file.text),
                                                          message: "duplicate id '\(exercise.id)': \(first) has it too (ids are unique across the course)"))
                    continue
                }
                if let lessonIDs, !lessonIDs.contains(exercise.lessonID) {
                    diagnostics.append(ExerciseDiagnostic(path: shown, line: line(of: "lesson", in: file.text),
                                                          message: "unknown lesson '\(exercise.lessonID)'" + Suggestion.hint(for: exercise.lessonID, among: Array(lessonIDs))))
                    continue
                }
                seen[exercise.id] = shown
                exercises.append(exercise)
            }
        }
        exercises.sort { ($0.lessonID, $0.path) < ($1.lessonID, $1.path) }
        return ExerciseCatalog(exercises: exercises, diagnostics: diagnostics)
    }

    static func isExerciseFile(_ path: String) -> Bool {
        path.hasSuffix(".yaml") || path.hasSuffix(".yml")
    }

    /// The line where `key:` starts at the top level (for cross-file messages, which come after parsing).
    static func line(of key: String, in text: String) -> Int {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.hasPrefix("\(key):") {
            return index + 1
        }
        return 1
    }

    public func exercise(_ id: String) -> Exercise? {
        exercises.first { $0.id == id }
    }

    public var ids: Set<String> { Set(exercises.map(\.id)) }

    /// What the grades side needs of each exercise: id, lesson, points and title in both languages, in
    /// course order. (The lead maps it onto `ExerciseCatalogEntry` of MQTTLabCourse at merge.)
    public var summaries: [ExerciseSummary] {
        exercises.map { ExerciseSummary(id: $0.id, lessonID: $0.lessonID, kind: $0.kind.rawValue, points: $0.points, title: $0.title) }
    }
}

/// One row of the catalog: `ExerciseCatalog.summaries`.
public struct ExerciseSummary: Sendable, Equatable {
    public var id: String
    public var lessonID: String
    public var kind: String
    public var points: Double
    public var title: LocalizedText
}
