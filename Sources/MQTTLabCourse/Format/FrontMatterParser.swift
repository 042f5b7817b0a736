/// The `---` … `---` block at the top of a lesson.
enum FrontMatterParser {
    static let knownKeys = ["title", "summary", "minutes"]

    /// The front matter (nil when it is missing or unusable) and the index of the first line after it.
    static func parse(_ lines: [SourceLine], context: ParseContext) -> (FrontMatter?, Int) {
        guard let first = lines.first, first.text.trimmingTrailingSpaces() == "---" else {
            context.error(1, "a lesson starts with front matter: a --- line, then title: and summary: lines, then a --- line")
            return (nil, 0)
        }
        guard let closing = lines.dropFirst().firstIndex(where: { $0.text.trimmingTrailingSpaces() == "---" }) else {
            context.error(first.number, "the front matter opened here is never closed: end it with a --- line")
            return (nil, lines.count)
        }
        var values: [String: (value: String, line: Int)] = [:]
        for line in lines[1..<closing] {
            let text = line.trimmed
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard let colon = text.firstIndex(of: ":") else {
                context.error(line.number, "front matter lines are key: value (title: Topics), not '\(text)'")
                continue
            }
            let key = text[..<colon].trimmingSpaces()
            var value = text[text.index(after: colon)...].trimmingSpaces()
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                context.error(line.number, "'\(key)' is not a front matter key: use letters, digits, - and _")
                continue
            }
            if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
                value = String(value.dropFirst().dropLast())
            }
            if let earlier = values[key] {
                context.error(line.number, "'\(key)' is already set on line \(earlier.line)")
                continue
            }
            values[key] = (value, line.number)
            if !knownKeys.contains(key) {
                context.warning(line.number, "unknown front matter key '\(key)' (known: \(knownKeys.joined(separator: ", "))); it is ignored")
            }
        }
        var usable = true
        for key in ["title", "summary"] {
            guard let entry = values[key] else {
                context.error(first.number, "the front matter has no '\(key):' line (title and summary are required)")
                usable = false
                continue
            }
            if entry.value.isEmpty {
                context.error(entry.line, "'\(key):' is empty")
                usable = false
            }
        }
        var minutes: Int?
        if let entry = values["minutes"] {
            if let number = Int(entry.value), number > 0 {
                minutes = number
            } else {
                context.error(entry.line, "minutes: takes a whole number of minutes (minutes: 15), not '\(entry.value)'")
            }
        }
        guard usable else { return (nil, closing + 1) }
        let others = values.filter { !knownKeys.contains($0.key) }.mapValues(\.value)
        let frontMatter = FrontMatter(
            title: values["title"]!.value, summary: values["summary"]!.value, minutes: minutes,
            otherKeys: others, line: first.number
        )
        return (frontMatter, closing + 1)
    }
}
