import MQTTCodec

/// A course: its lessons in order, each in the languages it exists in, parsed.
public struct Course: Sendable {
    /// One lesson folder.
    public struct Entry: Sendable {
        public var id: LessonID
        /// The relative paths of the language files present ("04-wildcards/es.md").
        public var files: [Language: String]
        /// The parsed lesson per language; missing when the file is absent or has errors.
        public var lessons: [Language: Lesson]
        /// Problems per language file (errors and warnings).
        public var diagnostics: [Language: [LessonDiagnostic]]

        /// The lesson in `language`, else in the other language (a teacher's half-translated course still
        /// reads), else nil.
        public func lesson(preferring language: Language) -> Lesson? {
            lessons[language] ?? Language.allCases.lazy.compactMap { lessons[$0] }.first
        }

        /// The errors that keep the `language` file from being read.
        public func errors(for language: Language) -> [LessonDiagnostic] {
            (diagnostics[language] ?? []).filter { $0.severity == .error }
        }
    }

    public var source: CourseSource
    public var entries: [Entry]

    /// Parses every lesson file of `source`. Files outside `NN-slug/LANG.md` are ignored here (lint reports them).
    public init(source: CourseSource) {
        self.source = source
        var byFolder: [LessonID: Entry] = [:]
        for file in source.files {
            let parts = file.path.split(separator: "/")
            guard parts.count == 2, let id = LessonID(folderName: String(parts[0])),
                  let language = Self.language(ofFileName: String(parts[1])) else { continue }
            var entry = byFolder[id] ?? Entry(id: id, files: [:], lessons: [:], diagnostics: [:])
            let (lesson, diagnostics) = LessonParser.parse(file.text, path: source.displayPath(file.path), language: language)
            entry.files[language] = file.path
            entry.lessons[language] = lesson
            entry.diagnostics[language] = diagnostics
            byFolder[id] = entry
        }
        entries = byFolder.values.sorted { $0.id < $1.id }
    }

    /// `es.md` → Spanish, `en.md` → English.
    public static func language(ofFileName name: String) -> Language? {
        guard name.hasSuffix(".md") else { return nil }
        let code = String(name.dropLast(3))
        return Language.allCases.first { $0.rawValue == code }
    }

    /// The lesson a student names: its number ("4", "04"), folder name or slug.
    public func entry(_ reference: String) -> Entry? {
        entries.first { $0.id.matches(reference) }
    }
}
