import MQTTLabCourse

/// A pipe table on a terminal: columns as wide as their content, shrunk (wrapping cells) when the table
/// is wider than the screen; a bold header, a rule under it, two spaces between columns.
struct TableLayout {
    var table: Block.Table
    var renderer: LessonRenderer

    func render(width: Int) -> [String] {
        let columns = table.header.count
        guard columns > 0 else { return [] }
        let header = table.header.map { renderer.spans($0, codes: "1") }
        let rows = table.rows.map { $0.map { renderer.spans($0) } }
        var widths = (0..<columns).map { column in
            ([header[column]] + rows.map { $0[column] }).map { naturalWidth($0) }.max() ?? 1
        }
        let gaps = 2 * (columns - 1) + 2
        // Shrink the widest column, one column at a time, until the table fits (never below 6 columns
        // while that is enough, then down to 3 on a very narrow screen).
        for floor in [6, 3] {
            while widths.reduce(0, +) + gaps > width, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }),
                  widths[widest] > floor {
                widths[widest] -= 1
            }
        }
        var lines = renderRow(header, widths: widths)
        lines.append("  " + renderer.style.faint(String(repeating: "─", count: widths.reduce(0, +) + 2 * (columns - 1))))
        for row in rows { lines += renderRow(row, widths: widths) }
        return lines
    }

    private func naturalWidth(_ spans: [StyledSpan]) -> Int {
        max(1, TextLayout.width(spans.map(\.text).joined()))
    }

    private func renderRow(_ cells: [[StyledSpan]], widths: [Int]) -> [String] {
        let wrapped = cells.enumerated().map { column, spans in TextLayout.wrap(spans, width: widths[column]) }
        let height = wrapped.map(\.count).max() ?? 1
        var lines: [String] = []
        for lineIndex in 0..<height {
            var line = "  "
            for (column, cell) in wrapped.enumerated() {
                let spans = lineIndex < cell.count ? cell[lineIndex] : []
                let text = TextLayout.render(spans, style: renderer.style)
                let used = TextLayout.width(spans.map(\.text).joined())
                let room = max(0, widths[column] - used)
                let alignment = column < table.alignments.count ? table.alignments[column] : .left
                let (before, after) = switch alignment {
                case .left: (0, room)
                case .right: (room, 0)
                case .center: (room / 2, room - room / 2)
                }
                line += String(repeating: " ", count: before) + text + String(repeating: " ", count: after)
                if column < wrapped.count - 1 { line += "  " }
            }
            lines.append(line.trimmingTrailingWhitespace())
        }
        return lines
    }
}
