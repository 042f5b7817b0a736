import ArgumentParser
import Foundation
import MQTTCodec
import MQTTLabCourse
import MQTTLabExercises

/// `mqttlab exercise`: auto-checked exercises, recorded in the student database.
struct ExerciseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "Solve exercises that mqttlab checks by itself, from your answers, your client's packets or your program.",
        discussion: """
              mqttlab exercise list                every exercise: ✓ passed, ✗ failed
              mqttlab exercise show ID             the task, in your language
              mqttlab exercise check ID            check it (recorded as an attempt)
              mqttlab exercise try ID              the same check, not recorded
              mqttlab exercise hint ID             the next hint (each one recorded)
              mqttlab exercise reset ID|--all      start over (the history stays)

            Kinds: answer (--answer '…' or a prompt), live (the checker starts a broker,
            port 1883 when free, and watches your client's packets), program (-- CMD …:
            your program runs against the checker's broker; it finds it in MQTT_HOST and
            MQTT_PORT, or {host} and {port} in its arguments), config (--file FILE: your
            broker configuration or password file), ctf (--answer: the secret you found).

            Teachers: mqttlab exercise lint [DIR] checks exercise files (Docs/EXERCISES.md).
            """,
        subcommands: [ExerciseList.self, ExerciseShow.self, ExerciseCheck.self, ExerciseTry.self, ExerciseHint.self,
                      ExerciseReset.self, ExerciseLint.self]
    )
}

/// `mqttlab exercise list [--lesson N]`.
struct ExerciseList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the exercises, by lesson, with your status and points.")

    @Option(name: .long, help: ArgumentHelp("Only this lesson's (number or NN-slug).", valueName: "lesson"))
    var lesson: String?

    @OptionGroup var source: ExerciseSourceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let (course, catalog) = try source.load()
        let language = output.language
        let style = Style(enabled: output.terminal.colors)
        let states = (try? ExerciseSession.existingRecorder(course: course, environment: output.environment)?.states()) ?? [:]
        var exercises = catalog.exercises
        if let lesson {
            guard let entry = course.entries.first(where: { $0.id.matches(lesson) }) else {
                throw InputError(message: "no lesson '\(lesson)' (mqttlab lesson list shows them)")
            }
            exercises = exercises.filter { $0.lessonID == entry.id.folderName }
        }
        var currentLesson = ""
        for exercise in exercises {
            if exercise.lessonID != currentLesson {
                currentLesson = exercise.lessonID
                let title = course.entries.first { $0.id.folderName == currentLesson }?.lesson(preferring: language)?.title ?? currentLesson
                print(style.bold("\(currentLesson)  \(title)"))
            }
            let state = states[exercise.id]
            let mark: String = switch state?.status {
            case .passed?: style.good("✓")
            case .failed?: style.error("✗")
            case .interrupted?: "…"
            default: "·"
            }
            let points = ExerciseWords.points(state?.score ?? 0, of: exercise.points)
            print("  \(mark) \(exercise.id.padding(toLength: 26, withPad: " ", startingAt: 0)) \(exercise.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(points.padding(toLength: 6, withPad: " ", startingAt: 0)) \(exercise.title.text(language))")
        }
        if exercises.isEmpty { print(language == .es ? "(no hay ejercicios)" : "(no exercises)") }
    }
}

/// `mqttlab exercise show ID`.
struct ExerciseShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an exercise's task and how to check it.")

    @Argument(help: "The exercise's id (mqttlab exercise list).")
    var id: String

    @OptionGroup var source: ExerciseSourceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let (_, catalog) = try source.load()
        let exercise = try ExerciseSourceOptions.find(id, in: catalog)
        print(ExerciseWords.card(exercise, language: output.language, style: Style(enabled: output.terminal.colors)))
    }
}

/// What `check` and `try` share.
struct ExerciseCheckArguments: ParsableArguments {
    @Argument(help: "The exercise's id (mqttlab exercise list).")
    var id: String

    @Option(name: .long, help: ArgumentHelp("Your answer (answer and ctf exercises); without it, mqttlab asks.", valueName: "text"))
    var answer: String?

    @Option(name: .long, help: ArgumentHelp("Your file (config exercises): a broker configuration or a password file.", valueName: "file"))
    var file: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Port for the checker's broker: 1883 unless taken, then a free one; 0: always a free one.", valueName: "port"))
    var port: Int = 1883

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for your traffic or program (default: the exercise's).", valueName: "seconds"))
    var timeout: Double?

    @Argument(parsing: .postTerminator, help: ArgumentHelp("Your program and its arguments, after -- (program exercises).", valueName: "command"))
    var program: [String] = []

    @OptionGroup var source: ExerciseSourceOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if !(0...65_535).contains(port) { throw ValidationError("-p takes a port from 0 to 65535, not \(port)") }
        if let timeout, timeout <= 0 { throw ValidationError("--timeout takes a number of seconds above 0") }
    }
}

/// `mqttlab exercise check ID`.
struct ExerciseCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check an exercise and record the attempt.",
        discussion: """
            Examples:
              mqttlab exercise check wildcard-one-level --answer 'casa/+/temperatura'
              mqttlab exercise check retained-light    (then publish, 2nd terminal)
              mqttlab exercise check thermostat -- python3 termostato.py
              mqttlab exercise check password-file --file pw.txt

            Exit status: 0 passed, 1 not passed, 69 the check could not run (e.g.
            no port for the broker), 66 no such exercise.
            """)

    @OptionGroup var arguments: ExerciseCheckArguments

    func run() throws {
        try ExerciseSession.run(arguments, record: true)
    }
}

/// `mqttlab exercise try ID`.
struct ExerciseTry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "try", abstract: "Run an exercise's check without recording it (same flags as check).")

    @OptionGroup var arguments: ExerciseCheckArguments

    func run() throws {
        try ExerciseSession.run(arguments, record: false)
    }
}

/// `mqttlab exercise hint ID`.
struct ExerciseHint: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hint", abstract: "Show the next hint of an exercise (each one shown is recorded).")

    @Argument(help: "The exercise's id.")
    var id: String

    @OptionGroup var source: ExerciseSourceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let (course, catalog) = try source.load()
        let exercise = try ExerciseSourceOptions.find(id, in: catalog)
        let language = output.language
        let recorder = try ExerciseSession.recorder(course: course, environment: output.environment)
        let (index, isNew) = try recorder.nextHint(exercise)
        let label = language == .es ? "Pista \(index + 1) de \(exercise.hints.count)" : "Hint \(index + 1) of \(exercise.hints.count)"
        print(Style(enabled: output.terminal.colors).bold(label) + ": " + exercise.hints[index].text(language))
        if !isNew {
            print(language == .es ? "(ya has visto todas las pistas)" : "(you have seen every hint)")
        }
    }
}

/// `mqttlab exercise reset ID|--all`.
struct ExerciseReset: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset", abstract: "Start an exercise (or all) over: status, points and hints restart; the history of attempts stays.")

    @Argument(help: "The exercise's id.")
    var id: String?

    @Flag(name: .long, help: "Every exercise of the course.")
    var all = false

    @OptionGroup var source: ExerciseSourceOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if (id == nil) == !all { throw ValidationError("give an exercise id or --all") }
    }

    func run() throws {
        let (course, catalog) = try source.load()
        let ids = try all ? catalog.exercises.map(\.id) : [ExerciseSourceOptions.find(id ?? "", in: catalog).id]
        try ExerciseSession.recorder(course: course, environment: output.environment).reset(ids)
        let language = output.language
        print(all ? (language == .es ? "\(ids.count) ejercicios empiezan de nuevo (el historial se conserva)" : "\(ids.count) exercises start over (history kept)")
                  : (language == .es ? "\(ids[0]) empieza de nuevo (el historial se conserva)" : "\(ids[0]) starts over (history kept)"))
    }
}

/// `mqttlab exercise lint [DIR]`.
struct ExerciseLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check exercise files: keys, both languages, hints, lessons, ids, checkers, topic filters.",
        discussion: """
            Prints every problem as path:line:column: message, then a summary. Lessons are those of
            --course DIR, else ./Lessons, else the built-in course.
            Exit status: 0 no errors, 1 errors found, 66 the folder cannot be read. Docs/EXERCISES.md.
            """)

    @Argument(help: ArgumentHelp("The exercises folder (default: ./Exercises, else the built-in exercises).", valueName: "DIR"))
    var folder: String?

    @OptionGroup var courseOptions: CourseOptions

    func run() throws {
        let lessons: CourseSource
        if courseOptions.course != nil {
            lessons = try courseOptions.source()
        } else if FileManager.default.fileExists(atPath: "Lessons") {
            lessons = try CourseOptions(course: "Lessons").source()
        } else {
            lessons = CourseOptions.builtIn
        }
        let course = Course(source: lessons)
        let chosen = folder ?? (FileManager.default.fileExists(atPath: "Exercises") ? "Exercises" : nil)
        let catalog = try ExerciseSourceOptions.catalog(folder: chosen, lessonIDs: Set(course.entries.map(\.id.folderName)))
        for diagnostic in catalog.diagnostics.sorted(by: { ($0.path, $0.line, $0.column) < ($1.path, $1.line, $1.column) }) {
            print(diagnostic)
        }
        let errors = catalog.diagnostics.count
        print("\(chosen ?? "Exercises"): \(catalog.exercises.count) exercise\(catalog.exercises.count == 1 ? "" : "s") valid: "
              + (errors == 0 ? "no problems" : "\(errors) error\(errors == 1 ? "" : "s")"))
        if errors > 0 { throw ExitCode(1) }
    }
}
