import ArgumentParser
import Foundation
import MQTTCodec
import MQTTLabCourse

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `mqttlab lesson N|next` does once the arguments are parsed: find the lesson and the step to
/// start at, then read it interactively (on a terminal) or print it whole (a pipe, a file, `--plain`).
struct LessonSession {
    let course: Course
    let language: Language
    let environment: [String: String]
    let style: Style
    let width: Int
    let interactive: Bool

    init(output: OutputOptions, course options: CourseOptions, reader: ReaderOptions) throws {
        course = try options.load()
        language = output.language
        environment = output.environment
        let terminal = output.terminal
        style = Style(enabled: terminal.colors && !reader.plain)
        width = reader.layoutWidth(terminal: terminal, environment: environment)
        interactive = !reader.plain && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    }

    /// The reader records the student's place (creating the database if needed); printing a lesson only
    /// reads it, so a handout made in a pipe leaves no file behind.
    private func studentProgress() -> LessonProgress? {
        interactive
            ? StudentState.progress(course: course.source, environment: environment, language: language)
            : StudentState.existingProgress(course: course.source, environment: environment, language: language)
    }

    /// Where the student left off, or the first lesson not read.
    func openNext(step: Int?) throws {
        let progress = studentProgress()
        let plan = ReadingPlan.next(course: course, states: StudentState.states(progress), lastOpened: try? progress?.lastOpened())
        switch plan {
        case .resume(let entry, let saved):
            try open(entry, step: step ?? saved, progress: progress)
        case .start(let entry):
            try open(entry, step: step ?? 0, progress: progress)
        case .finished:
            print(CourseMap.Words.finished.text(language))
        case .empty:
            print(CourseMap.Words.empty.text(language))
        }
    }

    /// Opens `entry` at `step` (0-based), else where the student left it (the start when it was read).
    func open(_ entry: Course.Entry, step: Int?) throws {
        let progress = studentProgress()
        let saved = StudentState.states(progress)[entry.id.folderName]
        let start = step ?? (saved.map { $0.isRead ? 0 : $0.step } ?? 0)
        try open(entry, step: start, progress: progress)
    }

    private func open(_ entry: Course.Entry, step: Int, progress: LessonProgress?) throws {
        let lesson = try readable(entry)
        let first = min(max(step, 0), max(lesson.steps.count - 1, 0))
        let renderer = LessonRenderer(width: width, style: style, language: language, course: course)
        if interactive {
            let last = try LessonReader(lesson: lesson, id: entry.id, renderer: renderer, progress: progress, language: language).run(from: first)
            // The alternate screen is gone: leave one line on the normal screen saying where the student is.
            print(farewell(entry, lesson: lesson, step: last, saved: progress != nil))
        } else {
            print(renderer.renderWhole(lesson, id: entry.id).joined(separator: "\n"))
        }
    }

    /// "Lesson 1 read. Next: mqttlab lesson next → Lesson 2 · Connecting", or where the student stopped.
    func farewell(_ entry: Course.Entry, lesson: Lesson, step: Int, saved: Bool) -> String {
        let lessonWord = LessonWords.lesson.text(language)
        if step >= lesson.steps.count - 1 {
            let next = course.entries.first { $0.id > entry.id }
            let title = next.flatMap { $0.lesson(preferring: language)?.title } ?? ""
            let following = next.map { " " + Farewell.next.text(language) + " mqttlab lesson next → \(lessonWord) \($0.id.number) · \(title)" } ?? ""
            return style.good("✓") + " \(lessonWord) \(entry.id.number) · \(lesson.title): " + Farewell.read.text(language) + following
        }
        let position = "\(lessonWord) \(entry.id.number) · \(LessonWords.step.text(language)) \(step + 1)/\(lesson.steps.count)"
        return position + (saved ? " · " + Farewell.goOn.text(language) + " mqttlab lesson next" : "")
    }

    enum Farewell {
        static let read = LocalizedText(en: "read.", es: "leída.")
        static let next = LocalizedText(en: "Next:", es: "Siguiente:")
        static let goOn = LocalizedText(en: "saved; go on with", es: "guardado; sigue con")
    }

    /// The lesson in the chosen language, else the other one (said on standard error); a file with
    /// errors is refused with its `path:line: message` list (exit status 1).
    private func readable(_ entry: Course.Entry) throws -> Lesson {
        if let lesson = entry.lessons[language] { return lesson }
        let errors = entry.errors(for: language)
        if !errors.isEmpty {
            for error in errors { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
            FileHandle.standardError.write(Data("\(LessonMessages.cannotShow.text(language))\n".utf8))
            throw ExitCode(1)
        }
        guard let other = entry.lesson(preferring: language) else {
            for language in Language.allCases {
                for error in entry.errors(for: language) { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
            }
            throw ExitCode(1)
        }
        FileHandle.standardError.write(Data("\(LessonMessages.otherLanguage(entry.id.number, missing: language, shown: other.language).text(language))\n".utf8))
        return other
    }
}

extension CourseMap {
    /// The map for a course and whatever progress exists.
    static func make(course: Course, progress: LessonProgress?, language: Language, style: Style, width: Int) -> CourseMap {
        let states = StudentState.states(progress)
        let plan = ReadingPlan.next(course: course, states: states, lastOpened: try? progress?.lastOpened())
        return CourseMap(course: course, states: states, plan: plan, language: language, style: style, width: width)
    }
}
