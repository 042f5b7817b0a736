import MQTTCodec

/// Checks a whole course the way the tests and `mqttlab lesson lint` do: every file parses, every lesson
/// exists in both languages with the same steps and the same commands, and every link resolves.
public struct CourseLinter {
    /// Exercise ids that `exercise:ID` links may name: the course's exercise catalog (`mqttlab lesson lint` passes it).
    public var exerciseIDs: Set<String>

    public init(exerciseIDs: Set<String> = []) {
        self.exerciseIDs = exerciseIDs
    }

    /// Every problem, sorted by file and line.
    public func lint(_ course: Course) -> [LessonDiagnostic] {
        var found: [LessonDiagnostic] = []
        found += folderProblems(course.source)
        var seenNumbers: [Int: LessonID] = [:]
        for entry in course.entries {
            for language in Language.allCases { found += entry.diagnostics[language] ?? [] }
            if let earlier = seenNumbers[entry.id.number] {
                found.append(error(course, entry,
                                   "lesson number \(entry.id.number) is also used by \(earlier.folderName): each lesson needs its own number"))
            } else {
                seenNumbers[entry.id.number] = entry.id
            }
            found += missingLanguages(course, entry)
            if let spanish = entry.lessons[.es], let english = entry.lessons[.en] {
                found += compare(spanish, english)
            }
            for language in Language.allCases {
                guard let lesson = entry.lessons[language] else { continue }
                found += unresolvedLinks(lesson, in: course)
            }
        }
        return found.sorted { ($0.path, $0.line, $0.message) < ($1.path, $1.line, $1.message) }
    }

    // MARK: Files and folders

    private func folderProblems(_ source: CourseSource) -> [LessonDiagnostic] {
        var found: [LessonDiagnostic] = []
        for file in source.files {
            let parts = file.path.split(separator: "/").map(String.init)
            guard parts.count >= 2 else { continue }  // README.md and other notes at the top level
            let path = source.displayPath(file.path)
            if LessonID(folderName: parts[0]) == nil {
                found.append(LessonDiagnostic(path: path, line: 1, message:
                    "'\(parts[0])' is not a lesson folder name: use NN-slug (two digits, a dash, lowercase words: 04-wildcards)"))
            } else if parts.count > 2 || Course.language(ofFileName: parts[1]) == nil {
                found.append(LessonDiagnostic(path: path, line: 1, message:
                    "this file is not read: a lesson folder holds es.md and en.md", severity: .warning))
            }
        }
        return found
    }

    private func missingLanguages(_ course: Course, _ entry: Course.Entry) -> [LessonDiagnostic] {
        var found: [LessonDiagnostic] = []
        for language in Language.allCases where entry.files[language] == nil {
            guard let other = Language.allCases.first(where: { entry.files[$0] != nil }), let otherPath = entry.files[other] else { continue }
            let missing = course.source.displayPath("\(entry.id.folderName)/\(language.rawValue).md")
            found.append(LessonDiagnostic(path: course.source.displayPath(otherPath), line: 1, message:
                "this lesson has no \(Self.languageName(language)) version: \(missing) is missing (every lesson comes in es.md and en.md)"))
        }
        return found
    }

    /// An error about a whole lesson, reported at line 1 of its first file.
    private func error(_ course: Course, _ entry: Course.Entry, _ message: String) -> LessonDiagnostic {
        let path = Language.allCases.compactMap { entry.files[$0] }.first ?? entry.id.folderName
        return LessonDiagnostic(path: course.source.displayPath(path), line: 1, message: message)
    }

    // MARK: The two languages

    /// Same number of steps, and in each step the same run blocks (kind and command), in the same order.
    func compare(_ spanish: Lesson, _ english: Lesson) -> [LessonDiagnostic] {
        var found: [LessonDiagnostic] = []
        if spanish.steps.count != english.steps.count {
            let (longer, shorter) = spanish.steps.count > english.steps.count ? (spanish, english) : (english, spanish)
            let extra = longer.steps[shorter.steps.count]
            found.append(LessonDiagnostic(path: longer.path, line: extra.line, message:
                "step \(shorter.steps.count + 1) '\(extra.plainTitle)' has no counterpart in \(shorter.path) "
                    + "(\(longer.steps.count) steps here, \(shorter.steps.count) there; both languages have the same steps)"))
        }
        for (number, (stepES, stepEN)) in zip(spanish.steps, english.steps).enumerated() {
            let runsES = stepES.runBlocks
            let runsEN = stepEN.runBlocks
            for index in 0..<max(runsES.count, runsEN.count) {
                let es = index < runsES.count ? runsES[index] : nil
                let en = index < runsEN.count ? runsEN[index] : nil
                if let es, let en, es.kind == en.kind, es.command == en.command { continue }
                found.append(commandMismatch(step: number + 1, es: es, en: en, spanish: spanish, english: english, stepEN: stepEN))
                break  // one message per step: the rest usually follows from the first difference
            }
        }
        return found
    }

    private func commandMismatch(step: Int, es: RunBlock?, en: RunBlock?, spanish: Lesson, english: Lesson, stepEN: Step) -> LessonDiagnostic {
        switch (es, en) {
        case let (es?, en?):
            return LessonDiagnostic(path: english.path, line: en.line, message:
                "step \(step) runs `\(en.command)` (\(Self.kindName(en.kind))) here but `\(es.command)` (\(Self.kindName(es.kind))) "
                    + "in \(spanish.path):\(es.line): both languages run the same commands")
        case let (es?, nil):
            return LessonDiagnostic(path: english.path, line: stepEN.line, message:
                "step \(step) is missing the command `\(es.command)` that \(spanish.path):\(es.line) runs: both languages run the same commands")
        case let (nil, en?):
            return LessonDiagnostic(path: english.path, line: en.line, message:
                "step \(step) runs `\(en.command)` here, which \(spanish.path) does not: both languages run the same commands")
        case (nil, nil):
            return LessonDiagnostic(path: english.path, line: stepEN.line, message: "step \(step) differs")
        }
    }

    static func kindName(_ kind: RunBlock.Kind) -> String {
        switch kind {
        case .finishes: "run"
        case .background(let name): "run background \(name)"
        case .broker: "run broker"
        }
    }

    static func languageName(_ language: Language) -> String {
        switch language {
        case .es: "Spanish"
        case .en: "English"
        }
    }

    // MARK: Links

    private func unresolvedLinks(_ lesson: Lesson, in course: Course) -> [LessonDiagnostic] {
        var found: [LessonDiagnostic] = []
        for link in lesson.links {
            switch link.target {
            case .lesson(let reference):
                let resolves = reference.allSatisfy(\.isNumber)
                    ? course.entries.contains { $0.id.number == Int(reference) }
                    : course.entries.contains { $0.id.folderName == reference }
                if !resolves {
                    found.append(LessonDiagnostic(path: lesson.path, line: link.line, message:
                        "lesson:\(reference) does not resolve: no lesson folder \(reference.allSatisfy(\.isNumber) ? "numbered \(reference)" : "named \(reference)") in \(course.source.displayName)"))
                }
            case .exercise(let id):
                if !exerciseIDs.contains(id) {
                    found.append(LessonDiagnostic(path: lesson.path, line: link.line, message: exerciseIDs.isEmpty
                        ? "exercise:\(id) does not resolve: this course has no exercises yet"
                        : "exercise:\(id) does not resolve: no exercise with that id"))
                }
            case .web:
                break  // checked for shape by the parser; the network is not asked
            }
        }
        return found
    }
}
