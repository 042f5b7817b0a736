import ArgumentParser
import Foundation
import MQTTCodec
import MQTTLabCourse

/// `mqttlab grade FILES…`: the teacher's view of a class, and CSV for the gradebook.
struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade a class: read students' exports (or student.sqlite files), show a table, write CSV for Moodle or Canvas.",
        discussion: """
            mqttlab grade exports/*.json                  the class table
            mqttlab grade exports/*.json --csv notas.csv --format moodle \\
                --delimiter ';' --decimal ','             for Moodle in Spanish
            mqttlab grade exports/*.json --csv grades.csv --format canvas
            mqttlab grade exports/*.json --long-csv attempts.csv
                                                          one row per attempt

            Scores count the best attempt since each exercise's last reset.
            An export changed after it was made (its checksum or form does
            not match) is shown marked with !, left out of the CSV files
            unless --include-changed, and the exit status is 1. The same
            student (same uuid) in several files: the newest is used and the
            others are named.
            Exit status: 0 all files read and intact; 1 a file changed or
            unreadable; 64 usage error.
            Import steps for Moodle and Canvas: Docs/GRADES.md.
            """
    )

    @Argument(help: ArgumentHelp("Exports (mqttlab progress --export) or students' student.sqlite files.", valueName: "file"))
    var files: [String] = []

    @Option(name: .long, help: ArgumentHelp("Write the grades, one row per student and one column per exercise, to this CSV file.", valueName: "file"))
    var csv: String?

    @Option(name: .long, help: ArgumentHelp("Layout of --csv: moodle, canvas or plain (every column).", valueName: "layout"))
    var format: Layout = .plain

    @Option(name: .customLong("long-csv"), help: ArgumentHelp("Write one row per attempt (every generation) to this CSV file.", valueName: "file"))
    var longCSV: String?

    @Option(name: .long, help: ArgumentHelp("Field separator: ',' (default), ';' (spreadsheets in a Spanish locale) or 'tab'.", valueName: "char"))
    var delimiter: String = ","

    @Option(name: .long, help: ArgumentHelp("Decimal mark of scores: '.' (default) or ','.", valueName: "char"))
    var decimal: String = "."

    @Flag(name: .customLong("include-changed"), help: ArgumentHelp("Also put exports that fail their checksum into the CSV files (they stay marked in the table)."))
    var includeChanged = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var courseOptions: CourseOptions

    enum Layout: String, ExpressibleByArgument, CaseIterable {
        case moodle, canvas, plain

        var csvLayout: GradebookCSV.Layout { GradebookCSV.Layout(rawValue: rawValue) ?? .plain }
    }

    var delimiterCharacter: Character? {
        switch delimiter {
        case "tab", "\\t", "\t": "\t"
        case ",", ";", "|": Character(delimiter)
        default: nil
        }
    }

    func validate() throws {
        if files.isEmpty { throw ValidationError("give the students' files: mqttlab grade exports/*.json") }
        guard let delimiterCharacter else { throw ValidationError("--delimiter takes ',', ';', '|' or 'tab', not '\(delimiter)'") }
        guard decimal == "." || decimal == "," else { throw ValidationError("--decimal takes '.' or ',', not '\(decimal)'") }
        if decimal == "," && delimiterCharacter == "," {
            throw ValidationError("--decimal ',' needs another --delimiter (';' is what Spanish spreadsheets expect)")
        }
    }

    func run() throws {
        let language = output.language
        let courseKey = courseOptions.course == nil ? nil : try courseOptions.source().key
        var sources: [GradeSource] = []
        var problems: [String] = []
        for path in files {
            do {
                sources.append(try GradeSource.load(path: path, course: courseKey))
            } catch {
                problems.append(GradeMessages.unreadable("\(error)").text(language))
            }
        }
        let catalog = try ExerciseCatalogSeam.exercises(for: try courseOptions.source())
        let book = ClassGradebook.make(sources: sources, catalog: catalog)
        let terminal = output.terminal
        let style = Style(enabled: terminal.colors)

        if book.students.isEmpty {
            print(GradeMessages.nothing.text(language))
        } else {
            print(style.bold(GradeMessages.header(students: book.students.count, exercises: book.exercises.count,
                                                  points: ScoreFormat().text(book.totalPoints)).text(language)))
            print(ClassTable(book: book, language: language, style: style, width: terminal.width ?? 120).render().joined(separator: "\n"))
        }
        var notes: [String] = []
        for student in book.students {
            if case .export(.changed(let change)) = student.source.kind {
                notes.append(GradeMessages.changed(student.source.path, reason: change.rawValue, included: includeChanged).text(language))
            }
            if student.identity?.isComplete != true { notes.append(GradeMessages.noIdentity(student.source.path).text(language)) }
        }
        for duplicate in book.duplicates {
            notes.append(GradeMessages.duplicate(name: duplicate.name, kept: duplicate.kept, dropped: duplicate.dropped).text(language))
        }
        notes += problems
        if !notes.isEmpty { print("\n" + notes.joined(separator: "\n")) }

        var forCSV = book
        if !includeChanged { forCSV.students.removeAll { $0.source.isChanged } }
        let options = GradebookCSV.Options(delimiter: delimiterCharacter ?? ",", decimalMark: decimal == "," ? "," : ".")
        if let csv {
            try write(GradebookCSV.wide(forCSV, layout: format.csvLayout, options: options), to: csv)
            print(GradeMessages.wrote(csv, rows: forCSV.students.count).text(language))
        }
        if let longCSV {
            try write(GradebookCSV.long(forCSV, options: options), to: longCSV)
            print(GradeMessages.wrote(longCSV, rows: forCSV.students.map(\.source.record.attempts.count).reduce(0, +)).text(language))
        }
        if !problems.isEmpty || book.students.contains(where: { $0.source.isChanged }) {
            throw ExitCode(1)
        }
    }

    /// UTF-8, no byte-order mark (Moodle asks for the encoding; Canvas reads UTF-8).
    private func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputError(message: "\(path): cannot write (\(error.localizedDescription))")
        }
    }
}
