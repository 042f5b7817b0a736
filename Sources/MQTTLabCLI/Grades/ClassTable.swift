import MQTTCodec
import MQTTLabCourse

/// `mqttlab grade` on a terminal: students × exercises. When the exercises do not fit the width, the table
/// is printed in blocks of exercise columns, each repeating the student columns, so no line wraps.
struct ClassTable {
    var book: ClassGradebook
    var language: Language
    var style: Style
    var width: Int

    /// The short column label of the n-th exercise (0-based): "e1", "e2"…; the legend maps it to the id.
    static func label(_ index: Int) -> String { "e\(index + 1)" }

    func render() -> [String] {
        let number = ScoreFormat().text
        var fixedHeader = [Words.student.text(language), "id", Words.total.text(language), Words.attempts.text(language), Words.last.text(language)]
        var fixedRows = book.students.map { student -> [String] in
            let name = (student.source.isChanged ? "! " : "") + (student.identity?.name.isEmpty == false ? student.identity?.name ?? "" : "?")
            return [cut(name, 22), cut(student.identity?.schoolID ?? "", 12), "\(number(student.total))/\(number(book.totalPoints))",
                    "\(student.attempts)", student.lastActivity.map { String($0.prefix(16)) } ?? "–"]
        }
        let cells = book.students.map { student in student.summaries.map(cell) }
        let exerciseWidths = book.exercises.indices.map { index in
            ([Self.label(index)] + cells.map { $0[index] }).map(TextLayout.width).max() ?? 1
        }
        // On a narrow terminal the student columns give way so at least one exercise column fits: first the
        // last activity goes, then names are cut (never below 8 columns).
        let narrowest = 2 + (exerciseWidths.max() ?? 0)
        func fixedWidth(_ widths: [Int]) -> Int { 2 + widths.reduce(0, +) + 2 * (widths.count - 1) }
        var fixedWidths = column(widths: [fixedHeader] + fixedRows)
        if fixedWidth(fixedWidths) + narrowest > width {
            fixedHeader.removeLast()
            fixedRows = fixedRows.map { Array($0.dropLast()) }
            fixedWidths.removeLast()
        }
        let excess = fixedWidth(fixedWidths) + narrowest - width
        if excess > 0, fixedWidths[0] > 8 {
            fixedWidths[0] = max(8, fixedWidths[0] - excess)
            fixedRows = fixedRows.map { row in [cut(row[0], fixedWidths[0])] + row.dropFirst() }
            fixedHeader[0] = cut(fixedHeader[0], fixedWidths[0])
        }
        let studentColumns = fixedWidth(fixedWidths)
        // Split the exercise columns into blocks that fit next to the student columns.
        var blocks: [[Int]] = []
        var current: [Int] = []
        var used = studentColumns
        for index in book.exercises.indices {
            let needed = exerciseWidths[index] + 2
            if !current.isEmpty && used + needed > width {
                blocks.append(current)
                current = []
                used = studentColumns
            }
            current.append(index)
            used += needed
        }
        if !current.isEmpty || blocks.isEmpty { blocks.append(current) }

        var lines: [String] = []
        for (blockIndex, block) in blocks.enumerated() {
            if blockIndex > 0 { lines.append("") }
            let header = row(fixedHeader, widths: fixedWidths) + block.map { "  " + TextLayout.pad(Self.label($0), to: exerciseWidths[$0]) }.joined()
            lines.append(style.bold(header.trimmingTrailingWhitespace()))
            for (studentIndex, fixed) in fixedRows.enumerated() {
                let line = row(fixed, widths: fixedWidths) + block.map { index in
                    "  " + pad(cells[studentIndex][index], exerciseWidths[index])
                }.joined()
                lines.append(line.trimmingTrailingWhitespace())
            }
        }
        lines.append("")
        lines.append(style.faint(Words.legend.text(language)))
        for (index, exercise) in book.exercises.enumerated() {
            lines.append(style.faint("  \(TextLayout.pad(Self.label(index), to: 4)) \(exercise.id)  \(exercise.title.text(language)) (\(number(exercise.points)))"))
        }
        return lines
    }

    /// passed: the score; failed: ✗ (or the partial score); interrupted: …; not started: ·
    private func cell(_ summary: ExerciseStanding) -> String {
        switch summary.status {
        case .passed: ScoreFormat().text(summary.score)
        case .failed: summary.score > 0 ? ScoreFormat().text(summary.score) : "✗"
        case .interrupted: "…"
        case .notStarted: "·"
        }
    }

    private func pad(_ cell: String, _ width: Int) -> String {
        let padded = String(repeating: " ", count: max(0, width - TextLayout.width(cell))) + cell
        return cell == "✗" ? style.error(padded) : padded
    }

    private func row(_ cells: [String], widths: [Int]) -> String {
        "  " + cells.enumerated().map { TextLayout.pad($0.element, to: widths[$0.offset]) }.joined(separator: "  ")
    }

    private func column(widths rows: [[String]]) -> [Int] {
        guard let first = rows.first else { return [] }
        return first.indices.map { column in rows.map { TextLayout.width($0[column]) }.max() ?? 0 }
    }

    private func cut(_ text: String, _ columns: Int) -> String {
        guard TextLayout.width(text) > columns else { return text }
        var result = ""
        for character in text {
            if TextLayout.width(result) + TextLayout.width(of: character) > columns - 1 { break }
            result.append(character)
        }
        return result + "…"
    }

    enum Words {
        static let student = LocalizedText(en: "student", es: "estudiante")
        static let total = LocalizedText(en: "total", es: "total")
        static let attempts = LocalizedText(en: "tries", es: "intentos")
        static let last = LocalizedText(en: "last activity", es: "última actividad")
        static let legend = LocalizedText(
            en: "Cells: points earned · ✗ failed · … interrupted · · not started. Exercises:",
            es: "Celdas: puntos obtenidos · ✗ fallido · … interrumpido · · sin empezar. Ejercicios:")
    }
}
