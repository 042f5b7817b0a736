/// Inline Markdown: `code`, *emphasis*, **strong**, [links](target), <https://autolinks>, \escapes.
///
/// Delimiters that do not close are kept as text (an author's stray `*` never swallows a paragraph). `_`
/// only emphasises at word boundaries, so `client_id` and `$SYS/broker/clients_total` stay as written.
struct InlineParser {
    private let characters: [Character]
    private let line: Int
    private let context: ParseContext

    /// Parses `text` whose first line is line `line` of the file; "\n" in `text` are soft line breaks.
    static func parse(_ text: String, line: Int, context: ParseContext) -> [Inline] {
        let parser = InlineParser(characters: Array(text), line: line, context: context)
        return parser.parse(parser.characters.startIndex..<parser.characters.endIndex)
    }

    private init(characters: [Character], line: Int, context: ParseContext) {
        self.characters = characters
        self.line = line
        self.context = context
    }

    private func lineNumber(at index: Int) -> Int {
        line + characters[..<index].reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
    }

    private func parse(_ range: Range<Int>) -> [Inline] {
        var result: [Inline] = []
        var text = ""
        func flush() {
            if !text.isEmpty { result.append(.text(text)) }
            text = ""
        }
        var index = range.lowerBound
        while index < range.upperBound {
            let character = characters[index]
            switch character {
            case "\\" where index + 1 < range.upperBound && characters[index + 1].isASCII && characters[index + 1].isPunctuationOrSymbol:
                text.append(characters[index + 1])
                index += 2
            case "\n":
                flush()
                result.append(.softBreak)
                index += 1
            case "`":
                if let (code, next) = codeSpan(at: index, limit: range.upperBound) {
                    flush()
                    result.append(.code(code))
                    index = next
                } else {
                    let run = runLength(at: index, limit: range.upperBound)
                    text += String(repeating: "`", count: run)
                    index += run
                }
            case "[":
                if let (label, target, next) = link(at: index, limit: range.upperBound) {
                    flush()
                    result.append(.link(parse(label), target))
                    index = next
                } else {
                    text.append(character)
                    index += 1
                }
            case "<":
                if let (url, next) = autolink(at: index, limit: range.upperBound) {
                    flush()
                    result.append(.link([.text(url)], .web(url)))
                    context.links.append(LessonLink(target: .web(url), line: lineNumber(at: index)))
                    index = next
                } else {
                    text.append(character)
                    index += 1
                }
            case "*", "_":
                let run = runLength(at: index, limit: range.upperBound)
                if let (inner, width, next) = emphasis(at: index, run: run, limit: range.upperBound) {
                    flush()
                    let children = parse(inner)
                    result.append(width == 2 ? .strong(children) : .emphasis(children))
                    index = next
                } else {
                    text += String(repeating: character, count: run)
                    index += run
                }
            default:
                text.append(character)
                index += 1
            }
        }
        flush()
        return result
    }

    private func runLength(at index: Int, limit: Int) -> Int {
        var end = index
        while end < limit, characters[end] == characters[index] { end += 1 }
        return end - index
    }

    // MARK: Code spans

    /// A code span opened by the backtick run at `index`: its text and the index after the closing run.
    private func codeSpan(at index: Int, limit: Int) -> (String, Int)? {
        let width = runLength(at: index, limit: limit)
        var search = index + width
        while search < limit {
            if characters[search] == "`" {
                let run = runLength(at: search, limit: limit)
                if run == width {
                    var content = String(characters[(index + width)..<search]).replacingNewlines()
                    // One space on both sides is padding (lets a span start or end with a backtick).
                    if content.count >= 2, content.first == " ", content.last == " ", content.contains(where: { $0 != " " }) {
                        content = String(content.dropFirst().dropLast())
                    }
                    return (content, search + run)
                }
                search += run
            } else {
                search += 1
            }
        }
        return nil
    }

    /// The index after the code span starting at `index`, or nil when the backticks open none.
    private func skipCodeSpan(at index: Int, limit: Int) -> Int? {
        codeSpan(at: index, limit: limit)?.1
    }

    // MARK: Emphasis

    /// `*x*`, `**x**`, `_x_`, `__x__` starting at `index`: the inner range, the delimiter width, the next index.
    private func emphasis(at index: Int, run: Int, limit: Int) -> (Range<Int>, Int, Int)? {
        let delimiter = characters[index]
        let width = run >= 2 ? 2 : 1
        let afterOpen = index + width
        // Left-flanking: the opener is followed by text, and `_` must start a word.
        guard afterOpen < limit, !characters[afterOpen].isWhitespace else { return nil }
        if delimiter == "_", index > 0, characters[index - 1].isLetterOrDigit { return nil }
        var search = afterOpen
        while search < limit {
            let character = characters[search]
            if character == "`", let next = skipCodeSpan(at: search, limit: limit) {
                search = next
                continue
            }
            if character == "\\" {
                search += 2
                continue
            }
            if character == delimiter {
                let closing = runLength(at: search, limit: limit)
                let rightFlanking = !characters[search - 1].isWhitespace
                let endsWord = delimiter == "*" || search + closing >= limit || !characters[search + closing].isLetterOrDigit
                if closing >= width, rightFlanking, endsWord, search > afterOpen {
                    // For a run longer than needed ("***"), close with its last `width` characters.
                    let closeStart = search + closing - width
                    if closing == width || run == closing { return (afterOpen..<closeStart, width, closeStart + width) }
                }
                search += closing
                continue
            }
            search += 1
        }
        return nil
    }

    // MARK: Links

    /// `[label](target)` at `index`: the label's range, the target, the index after `)`.
    private func link(at index: Int, limit: Int) -> (Range<Int>, LinkTarget, Int)? {
        var depth = 0
        var search = index
        var labelEnd: Int?
        while search < limit {
            let character = characters[search]
            if character == "\\" {
                search += 2
                continue
            }
            if character == "`", let next = skipCodeSpan(at: search, limit: limit) {
                search = next
                continue
            }
            if character == "[" { depth += 1 }
            if character == "]" {
                depth -= 1
                if depth == 0 {
                    labelEnd = search
                    break
                }
            }
            search += 1
        }
        guard let labelEnd, labelEnd + 1 < limit, characters[labelEnd + 1] == "(" else { return nil }
        guard let close = characters[(labelEnd + 2)..<limit].firstIndex(of: ")") else { return nil }
        let written = String(characters[(labelEnd + 2)..<close]).trimmingSpaces()
        let lineOfLink = lineNumber(at: index)
        if labelEnd == index + 1 {
            context.error(lineOfLink, "a link needs text between [ and ]: [the wildcards lesson](\(written))")
        }
        guard let target = Self.target(written) else {
            context.error(lineOfLink, "unknown link target '\(written)': link to lesson:NN (or lesson:NN-slug), exercise:ID, or an https:// address")
            return (index + 1..<labelEnd, .web(written), close + 1)
        }
        context.links.append(LessonLink(target: target, line: lineOfLink))
        return (index + 1..<labelEnd, target, close + 1)
    }

    static func target(_ written: String) -> LinkTarget? {
        if written.hasPrefix("lesson:") {
            let reference = String(written.dropFirst("lesson:".count))
            return reference.isEmpty || reference.contains(" ") ? nil : .lesson(reference)
        }
        if written.hasPrefix("exercise:") {
            let id = String(written.dropFirst("exercise:".count))
            return id.isEmpty || id.contains(" ") ? nil : .exercise(id)
        }
        for scheme in ["https://", "http://", "mailto:"] where written.hasPrefix(scheme) && written.count > scheme.count {
            return written.contains(" ") ? nil : .web(written)
        }
        return nil
    }

    private func autolink(at index: Int, limit: Int) -> (String, Int)? {
        guard let close = characters[(index + 1)..<limit].firstIndex(of: ">") else { return nil }
        let url = String(characters[(index + 1)..<close])
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), !url.contains(" ") else { return nil }
        return (url, close + 1)
    }
}

private extension Character {
    var isLetterOrDigit: Bool { isLetter || isNumber }
    var isPunctuationOrSymbol: Bool { isPunctuation || isSymbol }
}

private extension String {
    func replacingNewlines() -> String { String(map { $0 == "\n" ? " " : $0 }) }
}
