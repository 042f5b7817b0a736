/// Turns the lines of a step (or of a list item, a quote) into blocks.
///
/// A CommonMark subset, chosen to be predictable for authors: fenced code (never indented code),
/// ATX headings, `>` quotes and callouts, `-`/`*`/`+` and `1.` lists (nested by indentation), pipe
/// tables, thematic breaks and paragraphs. Lesson directives (run, output, callouts) are checked here.
struct BlockParser {
    let context: ParseContext
    /// False inside quotes and callouts: a command there would be easy to miss when reading.
    let allowsCommands: Bool

    func parse(_ lines: [SourceLine]) -> [Block] {
        var blocks: [Block] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.isBlank {
                index += 1
                continue
            }
            if let fence = Fence.opening(line) {
                index = parseFence(fence, lines: lines, at: index, into: &blocks)
                continue
            }
            if let heading = Heading(line) {
                if heading.level == 1 {
                    context.error(line.number, "a # title may only come before the first step; inside a step use ### for a subheading")
                } else if heading.level == 2 {
                    // Only reachable inside a list item or quote: steps are split before this parser runs.
                    context.error(line.number, "a ## step heading cannot be inside a list or a quote")
                } else {
                    blocks.append(.heading(level: heading.level, InlineParser.parse(heading.text, line: line.number, context: context)))
                }
                index += 1
                continue
            }
            if line.indentation <= 3, line.trimmed.hasPrefix(">") {
                index = parseQuote(lines: lines, at: index, into: &blocks)
                continue
            }
            if TableParser.startsTable(lines, at: index) {
                let (table, next) = TableParser.parse(lines, at: index, context: context)
                blocks.append(.table(table))
                index = next
                continue
            }
            if ListMarker(line) != nil {
                index = parseList(lines: lines, at: index, into: &blocks)
                continue
            }
            if Self.isThematicBreak(line) {
                blocks.append(.rule)
                index += 1
                continue
            }
            index = parseParagraph(lines: lines, at: index, into: &blocks)
        }
        return blocks
    }

    // MARK: Paragraphs

    private func parseParagraph(lines: [SourceLine], at start: Int, into blocks: inout [Block]) -> Int {
        var index = start
        var text: [String] = []
        while index < lines.count {
            let line = lines[index]
            if line.isBlank { break }
            if index > start, interruptsParagraph(lines, at: index) { break }
            text.append(line.trimmed)
            index += 1
        }
        blocks.append(.paragraph(InlineParser.parse(text.joined(separator: "\n"), line: lines[start].number, context: context)))
        return index
    }

    private func interruptsParagraph(_ lines: [SourceLine], at index: Int) -> Bool {
        let line = lines[index]
        return Fence.opening(line) != nil || Heading(line) != nil || (line.indentation <= 3 && line.trimmed.hasPrefix(">"))
            || ListMarker(line) != nil || TableParser.startsTable(lines, at: index) || Self.isThematicBreak(line)
    }

    static func isThematicBreak(_ line: SourceLine) -> Bool {
        guard line.indentation <= 3 else { return false }
        let characters = line.trimmed.filter { $0 != " " }
        guard let first = characters.first, first == "-" || first == "*" || first == "_" else { return false }
        return characters.count >= 3 && characters.allSatisfy { $0 == first }
    }

    // MARK: Fenced blocks: code, run, output

    private func parseFence(_ fence: Fence, lines: [SourceLine], at start: Int, into blocks: inout [Block]) -> Int {
        var index = start + 1
        var content: [String] = []
        var closed = false
        while index < lines.count {
            if fence.isClosed(by: lines[index]) {
                closed = true
                index += 1
                break
            }
            content.append(lines[index].dedented(by: fence.indentation).text)
            index += 1
        }
        let line = lines[start].number
        if !closed {
            context.error(line, "this code block is never closed: end it with a line of \(String(repeating: fence.character, count: fence.length))")
        }
        let words = fence.info.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let directive = words.first ?? ""
        if directive == "run" {
            if let run = runBlock(words: words, content: content, line: line) { blocks.append(.run(run)) }
        } else if directive == "output" {
            attachOutput(words: words, content: content, line: line, to: &blocks)
        } else if directive.hasPrefix("run") || directive.hasPrefix("output") {
            context.error(line, "unknown block '\(fence.info)': lessons know ```run, ```run background NAME, ```run broker, ```output and ```output NAME")
        } else {
            blocks.append(.code(Block.CodeBlock(info: fence.info, lines: content, line: line)))
        }
        return index
    }

    private func runBlock(words: [String], content: [String], line: Int) -> RunBlock? {
        let kind: RunBlock.Kind
        switch words.count > 1 ? words[1] : nil {
        case nil:
            kind = .finishes
        case "broker" where words.count == 2:
            kind = .broker
        case "background" where words.count == 3:
            let name = words[2]
            guard Self.isName(name), name != "broker" else {
                context.error(line, "'\(name)' cannot name a background command: use letters, digits, - and _ (and not 'broker')")
                return nil
            }
            if let earlier = context.backgroundNames[name] {
                context.error(line, "a background command named '\(name)' already started on line \(earlier): give this one another name")
                return nil
            }
            kind = .background(name: name)
        case "background":
            context.error(line, "```run background needs one short name for the command (```run background sub), used by ```output NAME")
            return nil
        default:
            let info = words.joined(separator: " ")
            context.error(line, "unknown run block '\(info)': use ```run (a command that ends), ```run background NAME (one that keeps running) or ```run broker")
            return nil
        }
        guard allowsCommands else {
            context.error(line, "a ```run block cannot be inside a quote or callout: put it in the step itself")
            return nil
        }
        let commands = content.map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        guard commands.count == 1 else {
            context.error(line, commands.isEmpty
                ? "this ```run block is empty: write the one command it runs"
                : "a ```run block holds exactly one command on one line (this one has \(commands.count) lines): split it into several blocks")
            return nil
        }
        switch kind {
        case .background(let name): context.backgroundNames[name] = line
        case .broker: if context.brokerLine == nil { context.brokerLine = line }
        case .finishes: break
        }
        return RunBlock(kind: kind, command: commands[0], line: line, output: nil)
    }

    private func attachOutput(words: [String], content: [String], line: Int, to blocks: inout [Block]) {
        guard words.count <= 2 else {
            context.error(line, "```output takes at most one name (```output sub), not '\(words.dropFirst().joined(separator: " "))'")
            return
        }
        if words.count == 2 {
            let name = words[1]
            if name == "broker" {
                guard context.brokerLine != nil else {
                    context.error(line, "```output broker shows the broker's trace, but no ```run broker block comes before it")
                    return
                }
            } else if context.backgroundNames[name] == nil {
                let known = context.backgroundNames.keys.sorted()
                let hint = known.isEmpty ? "no background command has started yet" : "started so far: \(known.joined(separator: ", "))"
                context.error(line, "```output \(name): no ```run background \(name) block comes before it (\(hint))")
                return
            }
            blocks.append(.output(ExpectedOutput(name: name, lines: content, line: line)))
            return
        }
        guard case .run(var run)? = blocks.last else {
            context.error(line, "an ```output block must come right after the ```run block whose output it shows (or name a background command: ```output NAME)")
            return
        }
        guard run.output == nil else {
            context.error(line, "the ```run block on line \(run.line) already has an ```output block: a run block is followed by at most one")
            return
        }
        run.output = ExpectedOutput(name: run.kind.outputName, lines: content, line: line)
        blocks[blocks.count - 1] = .run(run)
    }

    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    // MARK: Quotes and callouts

    private func parseQuote(lines: [SourceLine], at start: Int, into blocks: inout [Block]) -> Int {
        var index = start
        var inner: [SourceLine] = []
        while index < lines.count {
            let line = lines[index]
            guard line.indentation <= 3, line.trimmed.hasPrefix(">") else { break }
            var text = Substring(line.trimmed.dropFirst())
            if text.first == " " { text = text.dropFirst() }
            inner.append(SourceLine(number: line.number, text: String(text)))
            index += 1
        }
        let first = inner.first?.trimmed ?? ""
        if first.hasPrefix("[!"), let close = first.firstIndex(of: "]") {
            let name = String(first[first.index(first.startIndex, offsetBy: 2)..<close])
            guard let kind = Callout.Kind(rawValue: name.uppercased()) else {
                let known = Callout.Kind.allCases.map { "[!\($0.rawValue)]" }.joined(separator: ", ")
                context.error(inner[0].number, "unknown callout '[!\(name)]': use \(known)")
                return index
            }
            var body = inner
            let rest = first[first.index(after: close)...].trimmingSpaces()
            body[0] = SourceLine(number: inner[0].number, text: rest)
            let parsed = BlockParser(context: context, allowsCommands: false).parse(body)
            if body.allSatisfy(\.isBlank) {
                context.error(inner[0].number, "this [!\(kind.rawValue)] callout is empty: write its text on the following > lines")
            }
            blocks.append(.callout(Callout(kind: kind, body: parsed)))
        } else {
            blocks.append(.quote(BlockParser(context: context, allowsCommands: false).parse(inner)))
        }
        return index
    }

    // MARK: Lists

    private func parseList(lines: [SourceLine], at start: Int, into blocks: inout [Block]) -> Int {
        guard let firstMarker = ListMarker(lines[start]) else { return start + 1 }
        var items: [[SourceLine]] = []
        var index = start
        var previousBlank = false
        while index < lines.count {
            let line = lines[index]
            if let marker = ListMarker(line), marker.indentation < firstMarker.contentColumn, marker.isOrdered == firstMarker.isOrdered {
                items.append([SourceLine(number: line.number, text: marker.content)])
                previousBlank = false
                index += 1
                continue
            }
            if line.isBlank {
                previousBlank = true
                items[items.count - 1].append(line)
                index += 1
                continue
            }
            if line.indentation >= firstMarker.contentColumn || (line.indentation >= 2 && !previousBlank) {
                items[items.count - 1].append(line.dedented(by: firstMarker.contentColumn))
                index += 1
                continue
            }
            // A lazy continuation of the item's paragraph: not indented, but no blank line before it.
            if !previousBlank, ListMarker(line) == nil, !interruptsParagraph(lines, at: index) {
                items[items.count - 1].append(SourceLine(number: line.number, text: line.trimmed))
                index += 1
                continue
            }
            break
        }
        let parsedItems = items.map { BlockParser(context: context, allowsCommands: allowsCommands).parse($0) }
        blocks.append(.list(Block.List(start: firstMarker.number, items: parsedItems)))
        return index
    }
}

/// `- `, `* `, `+ `, `1. ` or `1) ` at the start of a line (indented at most three spaces more than its list).
struct ListMarker {
    var indentation: Int
    /// Nil for a bullet.
    var number: Int?
    /// The column where the item's text starts.
    var contentColumn: Int
    var content: String

    var isOrdered: Bool { number != nil }

    init?(_ line: SourceLine) {
        let indentation = line.indentation
        let rest = line.dedented(by: indentation).text
        guard let first = rest.first else { return nil }
        var markerWidth: Int
        var number: Int?
        if first == "-" || first == "*" || first == "+" {
            markerWidth = 1
        } else {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard (1...9).contains(digits.count) else { return nil }
            let after = rest.dropFirst(digits.count).first
            guard after == "." || after == ")" else { return nil }
            markerWidth = digits.count + 1
            number = Int(digits)
        }
        let afterMarker = rest.dropFirst(markerWidth)
        guard afterMarker.isEmpty || afterMarker.first == " " || afterMarker.first == "\t" else { return nil }
        // "- - -" and "***" are thematic breaks, not lists.
        if BlockParser.isThematicBreak(line) { return nil }
        let spaces = min(afterMarker.prefix(while: { $0 == " " }).count, 4)
        self.indentation = indentation
        self.number = number
        self.contentColumn = indentation + markerWidth + max(spaces, 1)
        self.content = afterMarker.trimmingSpaces()
    }
}
