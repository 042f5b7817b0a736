import MQTTCodec
import MQTTLabCourse

/// Lays a lesson out for a terminal: wrapped to `width`, styled with the basic 16 colors (or none).
///
/// Colors, chosen to read on light and dark themes alike (no yellow, no blue on black): bold for
/// headings, cyan for step titles and inline code, green for commands, a color per callout kind
/// (NOTE cyan, TIP green, WARNING red, TRACE magenta), faint for labels and gutters.
struct LessonRenderer {
    var width: Int
    var style: Style
    var language: Language
    /// The course, to turn `lesson:` links into the command that opens them.
    var course: Course?

    /// The widest a lesson is laid out, even on a wide terminal: long lines are hard to read.
    static let maximumWidth = 100

    init(width: Int, style: Style, language: Language, course: Course?) {
        self.width = min(max(width, 20), Self.maximumWidth)
        self.style = style
        self.language = language
        self.course = course
    }

    // MARK: Whole lessons and steps

    /// The whole lesson, every step after the other: what a pipe, a handout or `--plain` gets.
    func renderWhole(_ lesson: Lesson, id: LessonID) -> [String] {
        var lines = header(lesson, id: id)
        for (index, step) in lesson.steps.enumerated() {
            lines.append("")
            let title = "── \(index + 1)/\(lesson.steps.count) · " + step.plainTitle + " "
            if TextLayout.width(title) + 3 <= width {
                lines.append(style.bold(title + String(repeating: "─", count: width - TextLayout.width(title))))
            } else {
                lines += wrapped([StyledSpan(title, "1")], width: width)
            }
            lines.append("")
            lines += renderBody(step)
        }
        return lines
    }

    /// The lesson's title block: "Lesson 4 · Wildcards", the summary, minutes and steps.
    func header(_ lesson: Lesson, id: LessonID) -> [String] {
        var lines = wrapped([StyledSpan("\(LessonWords.lesson.text(language)) \(id.number) · \(lesson.title)", "1")], width: width)
        lines += wrapped([StyledSpan(lesson.summary)], width: width)
        var facts: [String] = []
        if let minutes = lesson.frontMatter.minutes { facts.append("\(minutes) \(LessonWords.minutes.text(language))") }
        facts.append("\(lesson.steps.count) \(LessonWords.steps.text(language))")
        lines.append(style.faint(facts.joined(separator: " · ")))
        return lines
    }

    /// One step as the reader shows it: its title, then its blocks.
    func renderStep(_ step: Step) -> [String] {
        var lines = wrapped(spans(step.title, codes: "1;36"), width: width)
        lines.append("")
        lines += renderBody(step)
        return lines
    }

    func renderBody(_ step: Step) -> [String] {
        render(step.blocks, width: width)
    }

    // MARK: Blocks

    /// Blocks separated by one blank line.
    func render(_ blocks: [Block], width: Int, tight: Bool = false) -> [String] {
        var lines: [String] = []
        for block in blocks {
            let rendered = render(block, width: width)
            if !lines.isEmpty, !rendered.isEmpty, !tight { lines.append("") }
            lines += rendered
        }
        return lines
    }

    func render(_ block: Block, width: Int) -> [String] {
        switch block {
        case .paragraph(let inlines):
            return wrapped(spans(inlines), width: width)
        case .heading(_, let inlines):
            return wrapped(spans(inlines, codes: "1"), width: width)
        case .list(let list):
            return render(list, width: width)
        case .table(let table):
            return TableLayout(table: table, renderer: self).render(width: width)
        case .code(let code):
            return preformatted(code.lines, width: width, gutter: "│ ", codes: "")
        case .run(let run):
            return render(run, width: width)
        case .output(let output):
            return render(output, width: width)
        case .callout(let callout):
            return render(callout, width: width)
        case .quote(let inner):
            let gutter = style.faint("│") + " "
            return render(inner, width: width - 2).map { gutter + $0 }
        case .rule:
            return [style.faint(String(repeating: "─", count: min(width, 40)))]
        }
    }

    private func render(_ list: Block.List, width: Int) -> [String] {
        var lines: [String] = []
        let markers = list.items.indices.map { index in list.start.map { "\($0 + index)." } ?? "•" }
        let markerWidth = (markers.map(TextLayout.width).max() ?? 1) + 1
        for (index, item) in list.items.enumerated() {
            let body = render(item, width: width - markerWidth, tight: true)
            let marker = TextLayout.pad(markers[index], to: markerWidth)
            for (lineIndex, line) in (body.isEmpty ? [""] : body).enumerated() {
                let prefix = lineIndex == 0 ? (list.start == nil ? style.apply("36", marker) : marker) : String(repeating: " ", count: markerWidth)
                lines.append(line.isEmpty ? prefix.trimmingTrailingWhitespace() : prefix + line)
            }
        }
        return lines
    }

    private func render(_ run: RunBlock, width: Int) -> [String] {
        let prompt = style.apply("1;32", "$") + " "
        var lines = TextLayout.hardWrap(run.command, width: width - 4).enumerated().map { index, piece in
            (index == 0 ? "  " + prompt : "    ") + style.apply("1", piece)
        }
        let hint: LocalizedText? = switch run.kind {
        case .finishes: nil
        case .background: LessonWords.backgroundHint
        case .broker: LessonWords.brokerHint
        }
        if let hint {
            let wrappedHint = TextLayout.wrap([StyledSpan(hint.text(language), "2")], width: width - 6)
            for (index, line) in wrappedHint.enumerated() {
                lines.append((index == 0 ? "    " + style.faint("↳") + " " : "      ") + TextLayout.render(line, style: style))
            }
        }
        if let output = run.output {
            lines += render(output, width: width, afterItsCommand: run.kind == .finishes)
        }
        return lines
    }

    /// What a command prints, behind a gutter. The output of the command right above it needs no label;
    /// a background command's or the broker's says whose it is.
    private func render(_ output: ExpectedOutput, width: Int, afterItsCommand: Bool = false) -> [String] {
        let label: LocalizedText? = switch output.name {
        case _ where afterItsCommand: nil
        case nil: LessonWords.output
        case "broker": LessonWords.brokerTrace
        case let name?: LessonWords.backgroundOutput(name)
        }
        let body = preformatted(output.lines, width: width, gutter: "│ ", codes: "")
        let labelLines = label.map { wrapped([StyledSpan($0.text(language), "2")], width: width - 2).map { "  " + $0 } } ?? []
        return labelLines + body
    }

    private func render(_ callout: Callout, width: Int) -> [String] {
        let color = switch callout.kind {
        case .note: "36"
        case .tip: "32"
        case .warning: "31"
        case .trace: "35"
        }
        let bar = style.apply(color, "┃") + " "
        // The label starts the first line ("Tip: …"), so a callout costs no extra line.
        let label = StyledSpan(LessonWords.calloutLabel(callout.kind).text(language) + ":", "1;\(color)")
        var body = callout.body
        var lines: [String] = []
        if case .paragraph(let inlines)? = body.first {
            lines = wrapped([label, StyledSpan(" ")] + spans(inlines), width: width - 2)
            body.removeFirst()
            if !body.isEmpty { lines.append("") }
        } else {
            lines = [TextLayout.render([label], style: style)]
        }
        lines += render(body, width: width - 2)
        return lines.map { $0.isEmpty ? bar.trimmingTrailingWhitespace() : bar + $0 }
    }

    /// Code and output: indented behind a faint gutter, long lines cut (never reflowed).
    private func preformatted(_ text: [String], width: Int, gutter: String, codes: String) -> [String] {
        var lines: [String] = []
        let available = width - 2 - TextLayout.width(gutter)
        for line in text {
            for piece in TextLayout.hardWrap(line, width: available) {
                lines.append(("  " + style.faint(gutter) + (codes.isEmpty ? piece : style.apply(codes, piece))).trimmingTrailingWhitespace())
            }
        }
        return lines
    }

    // MARK: Inlines

    func wrapped(_ spans: [StyledSpan], width: Int) -> [String] {
        TextLayout.wrap(spans, width: width).map { TextLayout.render($0, style: style) }
    }

    /// Inline markup as styled spans. `codes` are the styles of the surrounding text.
    func spans(_ inlines: [Inline], codes: String = "") -> [StyledSpan] {
        var result: [StyledSpan] = []
        func adding(_ code: String) -> String { codes.isEmpty ? code : "\(codes);\(code)" }
        for inline in inlines {
            switch inline {
            case .text(let text): result.append(StyledSpan(text, codes))
            case .softBreak: result.append(StyledSpan(" ", codes))
            case .emphasis(let children): result += spans(children, codes: adding("3"))
            case .strong(let children): result += spans(children, codes: adding("1"))
            case .code(let text):
                // One word for wrapping: a command in the text is never split at its spaces.
                result.append(StyledSpan(text, adding("36"), keepsTogether: true))
            case .link(let children, let target):
                result += spans(children, codes: adding("4"))
                if let shown = linkSuffix(target, text: Inline.plainText(children)) {
                    result.append(StyledSpan(" (\(shown))", adding("2")))
                }
            }
        }
        return result
    }

    /// What a reader needs to follow a link in a terminal: the command that opens the lesson, the address.
    private func linkSuffix(_ target: LinkTarget, text: String) -> String? {
        switch target {
        case .lesson(let reference):
            let number = course?.entries.first { entry in
                reference.allSatisfy(\.isNumber) ? entry.id.number == Int(reference) : entry.id.folderName == reference
            }?.id.number ?? Int(reference.prefix(while: \.isNumber))
            return number.map { LessonWords.lessonLink($0).text(language) }
        case .exercise(let id):
            return LessonWords.exerciseLink(id).text(language)
        case .web(let url):
            return url == text ? nil : url
        }
    }
}
