/// Pipe tables: a header row, a delimiter row (`|---|:---:|---:|`), then rows while lines start with `|`.
enum TableParser {
    static func startsTable(_ lines: [SourceLine], at index: Int) -> Bool {
        guard index + 1 < lines.count, lines[index].trimmed.hasPrefix("|") else { return false }
        return alignments(lines[index + 1].trimmed) != nil
    }

    static func parse(_ lines: [SourceLine], at start: Int, context: ParseContext) -> (Block.Table, Int) {
        let header = cells(lines[start].trimmed)
        let alignments = alignments(lines[start + 1].trimmed) ?? []
        if alignments.count != header.count {
            context.error(lines[start + 1].number, "the table's delimiter row has \(alignments.count) columns, its header \(header.count)")
        }
        var rows: [[[Inline]]] = []
        var index = start + 2
        while index < lines.count, lines[index].trimmed.hasPrefix("|") {
            var row = cells(lines[index].trimmed)
            if row.count > header.count {
                context.error(lines[index].number, "this table row has \(row.count) cells, the header \(header.count)")
                row = Array(row.prefix(header.count))
            }
            while row.count < header.count { row.append("") }
            rows.append(row.map { InlineParser.parse($0, line: lines[index].number, context: context) })
            index += 1
        }
        let headerInlines = header.map { InlineParser.parse($0, line: lines[start].number, context: context) }
        let fitted = (0..<header.count).map { $0 < alignments.count ? alignments[$0] : .left }
        return (Block.Table(header: headerInlines, alignments: fitted, rows: rows), index)
    }

    /// The cells of a row: split on `|` that are not escaped (`\|`) and not inside a code span.
    static func cells(_ row: String) -> [String] {
        var text = Substring(row)
        if text.hasPrefix("|") { text = text.dropFirst() }
        if text.hasSuffix("|"), !text.hasSuffix("\\|") { text = text.dropLast() }
        var result: [String] = []
        var current = ""
        var inCode = false
        var escaped = false
        for character in text {
            if escaped {
                if character != "|" { current.append("\\") }
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "`" {
                inCode.toggle()
                current.append(character)
            } else if character == "|", !inCode {
                result.append(current.trimmingSpaces())
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current.append("\\") }
        result.append(current.trimmingSpaces())
        return result
    }

    /// The alignments of a delimiter row, or nil if `row` is not one.
    static func alignments(_ row: String) -> [Block.Table.Alignment]? {
        guard row.hasPrefix("|") || row.hasPrefix(":") || row.hasPrefix("-") else { return nil }
        let parts = cells(row)
        guard !parts.isEmpty else { return nil }
        var result: [Block.Table.Alignment] = []
        for part in parts {
            let left = part.hasPrefix(":")
            let right = part.hasSuffix(":")
            let dashes = part.dropFirst(left ? 1 : 0).dropLast(right && part.count > 1 ? 1 : 0)
            guard !dashes.isEmpty, dashes.allSatisfy({ $0 == "-" }) else { return nil }
            result.append(left && right ? .center : right ? .right : .left)
        }
        return result
    }
}
