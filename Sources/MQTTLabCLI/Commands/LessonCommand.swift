import ArgumentParser
import Foundation
import MQTTCodec
import MQTTLabCourse

/// `mqttlab lesson`: read the course step by step.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Read a lesson step by step (mqttlab lesson next, mqttlab lesson 4, mqttlab lesson list).",
        discussion: """
            mqttlab lesson 4                 open lesson 4 (or mqttlab lesson 04-wildcards)
            mqttlab lesson 4 --step 3        open it at step 3
            mqttlab lesson next              go on where you left off
            Options: --lang es|en, --plain, --width N, --course DIR (see lesson open --help).

            In a terminal a lesson shows one step per screen. Keys:
              Enter, space   next step           b   back
              r              run the step's command here (or say how to run it
                             in a second terminal when it keeps running)
              q              quit (your place is saved)
            Into a pipe or a file, or with --plain, the whole lesson is printed.

            Your place is kept in $MQTTLAB_HOME, else $XDG_DATA_HOME/mqttlab,
            else ~/.local/share/mqttlab (Docs/LESSONS.md).
            Teachers: --course DIR reads your own lessons, mqttlab lesson lint DIR
            checks them (Docs/AUTHORING.md).
            """,
        subcommands: [LessonOpen.self, LessonNext.self, LessonList.self, LessonLint.self],
        defaultSubcommand: LessonOpen.self
    )
}

/// `mqttlab lesson N`.
struct LessonOpen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open lesson N (its number, like 4, or its folder name, like 04-wildcards).",
        shouldDisplay: false
    )

    @Argument(help: ArgumentHelp("The lesson: its number (4) or folder name (04-wildcards). Default: where you left off.", valueName: "N"))
    var lesson: String?

    @Option(name: .long, help: ArgumentHelp("Start at this step (1 = the first) instead of where you left off.", valueName: "n"))
    var step: Int?

    @OptionGroup var output: OutputOptions
    @OptionGroup var courseOptions: CourseOptions
    @OptionGroup var reader: ReaderOptions

    func validate() throws {
        if let step, step < 1 { throw ValidationError("--step counts from 1, not \(step)") }
    }

    func run() throws {
        let session = try LessonSession(output: output, course: courseOptions, reader: reader)
        guard let lesson else {
            try session.openNext(step: step.map { $0 - 1 })
            return
        }
        guard let entry = session.course.entry(lesson) else {
            let known = session.course.entries.map(\.id.number)
            throw ValidationError(LessonMessages.noSuchLesson(lesson, course: session.course.source.displayName, known: known)
                .text(session.language))
        }
        try session.open(entry, step: step.map { $0 - 1 })
    }
}

/// `mqttlab lesson next`.
struct LessonNext: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "Go on where you left off, or start the first lesson you have not read."
    )

    @OptionGroup var output: OutputOptions
    @OptionGroup var courseOptions: CourseOptions
    @OptionGroup var reader: ReaderOptions

    func run() throws {
        try LessonSession(output: output, course: courseOptions, reader: reader).openNext(step: nil)
    }
}

/// `mqttlab lesson list`.
struct LessonList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "The lessons, which you have read, and where to go on."
    )

    @OptionGroup var output: OutputOptions
    @OptionGroup var courseOptions: CourseOptions

    func run() throws {
        let course = try courseOptions.load()
        let environment = output.environment
        let terminal = output.terminal
        let progress = StudentState.existingProgress(course: course.source, environment: environment, language: output.language)
        let map = CourseMap.make(course: course, progress: progress, language: output.language,
                                 style: Style(enabled: terminal.colors), width: min(terminal.width ?? 100, 100))
        let lessons = map.lessonLines()
        print((lessons + (lessons.isEmpty ? [] : [""]) + map.nextLines()).joined(separator: "\n"))
    }
}

/// `mqttlab lesson lint [DIR]`.
struct LessonLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check a course folder: every lesson in es and en, same steps and commands, links that resolve.",
        discussion: """
            Prints every problem as path:line: message (errors) or path:line: warning: message, then a summary.
            Exit status: 0 no errors (warnings allowed), 1 errors found, 66 the folder cannot be read.
            The format is taught in Docs/AUTHORING.md.
            """
    )

    @Argument(help: ArgumentHelp("The course folder (default: ./Lessons, else the built-in course).", valueName: "DIR"))
    var folder: String?

    func run() throws {
        let source: CourseSource
        if let folder {
            source = try CourseOptions(course: folder).source()
        } else if FileManager.default.fileExists(atPath: "Lessons") {
            source = try CourseOptions(course: "Lessons").source()
        } else {
            source = CourseOptions.builtIn
        }
        let course = Course(source: source)
        // exercise:ID links resolve against the course's exercises (the built-in ones, or the Exercises
        // folder beside a course folder).
        let exercisesFolder = folder.map { URL(fileURLWithPath: $0).standardizedFileURL.deletingLastPathComponent().appendingPathComponent("Exercises").path }
            ?? (FileManager.default.fileExists(atPath: "Lessons") ? "Exercises" : nil)
        let exerciseIDs = (try? ExerciseSourceOptions.catalog(
            folder: exercisesFolder.map { FileManager.default.fileExists(atPath: $0) ? $0 : "" }, lessonIDs: nil).ids) ?? []
        let diagnostics = (CourseLinter(exerciseIDs: exerciseIDs).lint(course) + StepFit.warnings(course))
            .sorted { ($0.path, $0.line, $0.message) < ($1.path, $1.line, $1.message) }
        for diagnostic in diagnostics { print(diagnostic) }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        let files = course.entries.reduce(0) { $0 + $1.files.count }
        let summary = "\(source.displayName): \(course.entries.count) lesson\(course.entries.count == 1 ? "" : "s"), \(files) file\(files == 1 ? "" : "s"): "
            + (diagnostics.isEmpty ? "no problems" : "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        print(summary)
        if errors > 0 { throw ExitCode(1) }
    }
}

extension CourseOptions {
    init(course: String?) {
        self.init()
        self.course = course
    }
}
