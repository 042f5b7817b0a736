import ArgumentParser
import Foundation
import MQTTCodec
import MQTTLabCourse

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mqttlab progress`: the student's view of lessons and exercises, and the export for the teacher.
struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Your lessons and exercises: what is done, your points, what to do next; --export for your teacher.",
        discussion: """
            mqttlab progress                    lessons (read, in progress, not
                                                started) and exercises (status,
                                                points, attempts, hints used,
                                                last activity)
            mqttlab progress --json             the same as JSON (Docs/GRADES.md)
            mqttlab progress --export ana.json  all your results in one file,
                                                to hand in to your teacher

            Only the attempts since an exercise's last reset count for its
            status and points; older ones stay in the history and the export.
            An export needs your name first: mqttlab student --name "Your Name"
            (asked for here when you run it in a terminal). The export carries
            a checksum: any later change to the file shows when it is graded.
            """
    )

    @Flag(name: .long, help: ArgumentHelp("Print JSON instead of text (keys documented in Docs/GRADES.md)."))
    var json = false

    @Option(name: .long, help: ArgumentHelp("Write your results for your teacher to this file (JSON with a checksum).", valueName: "file"))
    var export: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var courseOptions: CourseOptions

    func validate() throws {
        if json && export != nil { throw ValidationError("--json and --export go separately: --export writes its own JSON file") }
    }

    func run() throws {
        let course = try courseOptions.load()
        let catalog = try ExerciseCatalogSeam.exercises(for: course.source)
        if let export {
            try runExport(to: export, course: course, catalog: catalog)
            return
        }
        let (identity, record) = try readState(course: course)
        let language = output.language
        let lessons = course.entries.map { entry in
            (id: entry.id.folderName, number: entry.id.number, title: entry.lesson(preferring: language)?.title ?? entry.id.slug)
        }
        let report = ProgressReport.make(lessons: lessons, catalog: catalog, record: record, language: language)
        if json {
            print(try ProgressJSON(report: report, course: course.source.key, student: identity, language: language).encoded())
        } else {
            let terminal = output.terminal
            print(ProgressText(report: report, student: identity, language: language, style: Style(enabled: terminal.colors),
                               width: min(terminal.width ?? 100, 100)).render())
        }
    }

    /// The saved identity and rows, without creating a database for someone who has none yet.
    private func readState(course: Course) throws -> (StudentIdentity?, StudentRecord) {
        let path = StudentHome.databasePath(in: StudentHome.folder(environment: output.environment))
        guard FileManager.default.fileExists(atPath: path) else { return (nil, StudentRecord(course: course.source.key)) }
        let database = try openDatabase()
        return (try StudentIdentityStore(database: database).read(), try StudentRecordReader.read(database, course: course.source.key))
    }

    private func runExport(to file: String, course: Course, catalog: [ExerciseCatalogEntry]) throws {
        let language = output.language
        let database = try openDatabase()
        let store = StudentIdentityStore(database: database)
        if try store.read()?.isComplete != true {
            guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1, let (name, id) = askIdentity(language: language) else {
                throw ValidationError(GradesWords.noIdentity.text(language))
            }
            try store.update(name: name, schoolID: id)
        }
        let bundle: ResultsBundle
        do {
            bundle = try ResultsExport.bundle(database: database, course: course.source.key, catalog: catalog,
                                              mqttlabVersion: MQTTLab.configuration.version, now: ResultsExport.timestamp())
        } catch ResultsExport.Problem.noIdentity {
            throw ValidationError(GradesWords.noIdentity.text(language))
        }
        do {
            try ResultsBundleFile.encode(bundle).write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw InputError(message: "\(file): cannot write the export (\(error.localizedDescription))")
        }
        let passed = catalog.filter { ExerciseStanding.make(exerciseID: $0.id, points: $0.points, record: bundle.record).status == .passed }.count
        let solved = catalog.isEmpty ? "" : ", \(passed)/\(catalog.count) \(GradesWords.exercisesPassed.text(language))"
        print("\(GradesWords.exported.text(language)) \(file) (\(bundle.student.name), \(bundle.record.attempts.count) \(GradesWords.attempts.text(language))\(solved))")
        print(GradesWords.exportHint.text(language))
    }

    /// Asks for the name (required) and the id (optional) on the terminal; nil when the student gives no name.
    private func askIdentity(language: Language) -> (String, String)? {
        print(GradesWords.noIdentity.text(language).split(separator: "\n").first.map(String.init) ?? "")
        print(GradesWords.askName.text(language), terminator: "")
        fflush(nil)  // all C streams: print() writes through stdout's buffer
        guard let name = readLine()?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { return nil }
        print(GradesWords.askID.text(language), terminator: "")
        fflush(nil)  // all C streams: print() writes through stdout's buffer
        let id = readLine()?.trimmingCharacters(in: .whitespaces) ?? ""
        return (name, id)
    }

    private func openDatabase() throws -> StudentDatabase {
        do {
            return try StudentDatabase.open(environment: output.environment)
        } catch {
            throw InputError(message: "\(error)")
        }
    }
}
