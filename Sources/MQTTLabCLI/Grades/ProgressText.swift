import MQTTCodec
import MQTTLabCourse

/// `mqttlab progress` on a terminal: lessons, exercises, total and what to do next.
struct ProgressText {
    var report: ProgressReport
    var student: StudentIdentity?
    var language: Language
    var style: Style
    var width: Int

    func render() -> String {
        var lines: [String] = []
        if let student, student.isComplete {
            lines.append(style.bold(student.name) + (student.schoolID.isEmpty ? "" : " (\(student.schoolID))"))
        } else {
            lines.append(style.faint(GradesWords.noIdentity.text(language)))
        }
        lines.append("")
        lines.append(style.bold(GradesWords.lessons.text(language)))
        let titleWidth = min(max(report.lessons.map { TextLayout.width($0.title) }.max() ?? 0, 10), max(width - 30, 12))
        for lesson in report.lessons {
            let mark: String
            let state: String
            switch lesson.status {
            case .read: (mark, state) = (style.good("✓"), GradesWords.read.text(language))
            case .inProgress:
                (mark, state) = ("▸", "\(GradesWords.stepOf.text(language)) \((lesson.step ?? 0) + 1)/\(lesson.stepCount ?? 0)")
            case .notStarted: (mark, state) = (" ", GradesWords.notStarted.text(language))
            }
            let number = lesson.number < 10 ? " \(lesson.number)" : "\(lesson.number)"
            lines.append("  \(mark) \(number) \(TextLayout.pad(cut(lesson.title, titleWidth), to: titleWidth))  \(style.faint(state))")
        }
        lines.append("")
        lines.append(style.bold(GradesWords.exercises.text(language)))
        if report.exercises.isEmpty {
            lines.append("  " + style.faint(GradesWords.noExercises.text(language)))
        } else {
            lines += exerciseTable()
            let passed = report.exercises.filter { $0.summary.status == .passed }.count
            lines.append("")
            lines.append("\(style.bold(GradesWords.total.text(language))): \(number(report.score))/\(number(report.points)) \(GradesWords.points.text(language))"
                         + " · \(passed) \(GradesWords.of.text(language)) \(report.exercises.count) \(GradesWords.exercisesPassed.text(language))")
        }
        lines.append("")
        lines.append(nextLine())
        return lines.map { $0.trimmingTrailingWhitespace() }.joined(separator: "\n")
    }

    private func exerciseTable() -> [String] {
        let header = ["", "id", "", GradesWords.points.text(language), GradesWords.attempts.text(language),
                      GradesWords.hints.text(language), GradesWords.lastActivity.text(language)]
        var rows: [[String]] = []
        for line in report.exercises {
            let summary = line.summary
            let mark = switch summary.status {
            case .passed: "✓"
            case .failed: "✗"
            case .interrupted: "…"
            case .notStarted: "·"
            }
            rows.append([mark, line.entry.id, GradesWords.status(summary.status).text(language),
                         "\(number(summary.score))/\(number(summary.points))", "\(summary.attempts)", "\(summary.hintsUsed)",
                         summary.lastActivity.map { String($0.prefix(16)) } ?? "–"])
        }
        let widths = (0..<header.count).map { column in ([header] + rows).map { TextLayout.width($0[column]) }.max() ?? 0 }
        func format(_ row: [String], styled: Bool) -> String {
            "  " + row.enumerated().map { column, cell in
                let padded = TextLayout.pad(cell, to: widths[column])
                guard styled, column == 0 else { return padded }
                return cell == "✓" ? style.good(padded) : cell == "✗" ? style.error(padded) : padded
            }.joined(separator: "  ")
        }
        return [style.faint(format(header, styled: false))] + rows.map { format($0, styled: true) }
    }

    private func nextLine() -> String {
        switch report.next {
        case .lesson(_, let number, let title):
            return "\(GradesWords.next.text(language)) \(style.good("mqttlab lesson \(number)"))  \(style.faint("→ \(title)"))"
        case .exercise(let id, let title):
            return "\(GradesWords.next.text(language)) \(style.good("mqttlab exercise check \(id)"))  \(style.faint("→ \(title)"))"
        case .allDone:
            return GradesWords.allDone.text(language)
        }
    }

    private func number(_ value: Double) -> String { ScoreFormat().text(value) }

    private func cut(_ text: String, _ columns: Int) -> String {
        guard TextLayout.width(text) > columns, columns > 1 else { return text }
        var result = ""
        for character in text {
            if TextLayout.width(result) + TextLayout.width(of: character) > columns - 1 { break }
            result.append(character)
        }
        return result + "…"
    }
}
