/// The CSV files `mqttlab grade` writes (Docs/GRADES.md shows each layout and how to import it).
public enum GradebookCSV {
    /// The wide layout's flavour: which identity columns lead and what the header row says.
    public enum Layout: String, Sendable, CaseIterable {
        /// Moodle's CSV grade import: "ID number" to match students (map it to "ID number" on import),
        /// one column per exercise, "Total" (map it to "ignore": Moodle computes its own course total).
        case moodle
        /// Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then one column per
        /// exercise, a "Points Possible" row, and "Final Points" (a read-only column Canvas ignores on upload).
        case canvas
        /// Everything, for a spreadsheet: uuid, name, school id, exercises, total, attempts, last activity,
        /// integrity, file.
        case plain
    }

    public struct Options: Sendable {
        public var delimiter: Character
        public var decimal: ScoreFormat

        public init(delimiter: Character = ",", decimalMark: Character = ".") {
            self.delimiter = delimiter
            self.decimal = ScoreFormat(decimalMark: decimalMark)
        }
    }

    /// One row per student, one column per exercise (its score in the current generation), a total.
    public static func wide(_ book: ClassGradebook, layout: Layout, options: Options) -> String {
        let writer = CSVWriter(delimiter: options.delimiter)
        let number = options.decimal.text
        let ids = book.exercises.map(\.id)
        var rows: [[String]] = []
        switch layout {
        case .moodle:
            rows.append(["ID number", "Full name"] + ids + ["Total"])
            for student in book.students {
                rows.append([student.identity?.schoolID ?? "", student.identity?.name ?? ""]
                            + student.summaries.map { number($0.score) } + [number(student.total)])
            }
        case .canvas:
            rows.append(["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + ids + ["Final Points"])
            rows.append(["Points Possible", "", "", "", ""] + book.exercises.map { number($0.points) } + [number(book.totalPoints)])
            for student in book.students {
                rows.append([student.identity?.name ?? "", "", student.identity?.schoolID ?? "", "", ""]
                            + student.summaries.map { number($0.score) } + [number(student.total)])
            }
        case .plain:
            rows.append(["uuid", "name", "schoolID"] + ids + ["total", "points", "attempts", "lastActivity", "integrity", "file"])
            for student in book.students {
                rows.append([student.identity?.uuid ?? "", student.identity?.name ?? "", student.identity?.schoolID ?? ""]
                            + student.summaries.map { number($0.score) }
                            + [number(student.total), number(book.totalPoints), "\(student.attempts)", student.lastActivity ?? "",
                               integrity(student.source), student.source.path])
            }
        }
        return writer.document(rows)
    }

    /// One row per attempt of every generation, oldest first per student, for spreadsheets and analysis.
    public static func long(_ book: ClassGradebook, options: Options) -> String {
        let writer = CSVWriter(delimiter: options.delimiter)
        let number = options.decimal.text
        var rows: [[String]] = [[
            "uuid", "name", "schoolID", "exerciseID", "lessonID", "kind", "generation", "current", "attemptID",
            "startedAt", "endedAt", "outcome", "score", "maxScore", "hintsShown", "integrity", "file",
        ]]
        for student in book.students {
            let record = student.source.record
            for attempt in record.attempts {
                let outcome = attempt.outcome == "running" && attempt.endedAt == nil ? "interrupted" : attempt.outcome
                rows.append([
                    student.identity?.uuid ?? "", student.identity?.name ?? "", student.identity?.schoolID ?? "",
                    attempt.exerciseID, attempt.lessonID, attempt.kind, "\(attempt.generation)",
                    attempt.generation == record.generation(of: attempt.exerciseID) ? "yes" : "no", "\(attempt.id)",
                    attempt.startedAt, attempt.endedAt ?? "", outcome, number(attempt.score), number(attempt.maxScore),
                    "\(attempt.hintsShown)", integrity(student.source), student.source.path,
                ])
            }
        }
        return writer.document(rows)
    }

    /// "intact", "changed: checksum mismatch" or "database".
    public static func integrity(_ source: GradeSource) -> String {
        switch source.kind {
        case .database: "database"
        case .export(.intact): "intact"
        case .export(.changed(let change)): "changed: \(change.rawValue)"
        }
    }
}
