import MQTTCodec

/// Reads one lesson file (the format of Docs/AUTHORING.md): front matter, then steps, each step's blocks.
///
/// The parser does not stop at the first mistake: it reports every one it can find, each as
/// `path:line: message`, so an author fixes a file in one pass.
public enum LessonParser {
    /// The lesson (nil when the file is unusable) and every problem found, errors and warnings, in line order.
    public static func parse(_ text: String, path: String, language: Language) -> (lesson: Lesson?, diagnostics: [LessonDiagnostic]) {
        let context = ParseContext(path: path)
        let lines = SourceLine.lines(of: text)
        let (frontMatter, bodyStart) = FrontMatterParser.parse(lines, context: context)
        let steps = parseSteps(Array(lines[min(bodyStart, lines.count)...]), afterLine: bodyStart, context: context)
        let diagnostics = context.diagnostics.sorted { ($0.line, $0.message) < ($1.line, $1.message) }
        guard let frontMatter, !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
        return (Lesson(path: path, language: language, frontMatter: frontMatter, steps: steps, links: context.links), diagnostics)
    }

    /// The lesson, or `LessonErrors` with every error (warnings are dropped).
    public static func parseOrThrow(_ text: String, path: String, language: Language) throws -> Lesson {
        let (lesson, diagnostics) = parse(text, path: path, language: language)
        guard let lesson else { throw LessonErrors(diagnostics.filter { $0.severity == .error }) }
        return lesson
    }

    /// Splits the body at `##` headings (outside code fences) and parses each step.
    static func parseSteps(_ lines: [SourceLine], afterLine: Int, context: ParseContext) -> [Step] {
        var steps: [Step] = []
        var current: (title: [Inline], line: Int, lines: [SourceLine])?
        var fence: Fence?
        var sawTitle = false
        var reportedStrayText = false

        func finishStep() {
            guard let step = current else { return }
            let blocks = BlockParser(context: context, allowsCommands: true).parse(step.lines)
            steps.append(Step(title: step.title, blocks: blocks, line: step.line))
        }

        for line in lines {
            if let open = fence {
                if open.isClosed(by: line) { fence = nil }
                if current != nil { current?.lines.append(line) }
                continue
            }
            if let heading = Heading(line), heading.level == 2 {
                finishStep()
                if heading.text.isEmpty {
                    context.error(line.number, "a step needs a title: write it after ## (## Connecting a client)")
                }
                current = (InlineParser.parse(heading.text, line: line.number, context: context), line.number, [])
                continue
            }
            if current != nil {
                if Fence.opening(line) != nil { fence = Fence.opening(line) }
                current?.lines.append(line)
                continue
            }
            // Before the first step: blank lines and one optional `# Title`.
            if line.isBlank { continue }
            if let heading = Heading(line), heading.level == 1, !sawTitle {
                sawTitle = true
                continue
            }
            if !reportedStrayText {
                reportedStrayText = true
                context.error(line.number, "text before the first step: every step starts with a ## heading (only a # title may come before it)")
            }
            if Fence.opening(line) != nil { fence = Fence.opening(line) }
        }
        finishStep()
        if steps.isEmpty, context.diagnostics.isEmpty {
            context.error(max(afterLine, 1), "the lesson has no steps: each step starts with a ## heading")
        }
        return steps
    }
}

/// An ATX heading: `#` to `######`, then a space (or nothing).
struct Heading {
    var level: Int
    var text: String

    init?(_ line: SourceLine) {
        guard line.indentation <= 3 else { return nil }
        let rest = line.trimmed
        let level = rest.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(level) else { return nil }
        let after = rest.dropFirst(level)
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        var text = after.trimmingSpaces()
        // An optional closing sequence: "## Title ##".
        if text.hasSuffix("#") {
            let withoutHashes = String(text.reversed().drop(while: { $0 == "#" }).reversed())
            if withoutHashes.isEmpty || withoutHashes.hasSuffix(" ") { text = withoutHashes.trimmingSpaces() }
        }
        self.level = level
        self.text = text
    }
}

/// What the parse of one file collects: diagnostics, and the lesson-wide facts a block needs
/// (which background commands have started, whether a broker runs).
final class ParseContext {
    let path: String
    private(set) var diagnostics: [LessonDiagnostic] = []
    /// Background command names started so far (in reading order).
    var backgroundNames: [String: Int] = [:]
    /// The line of the first ```run broker block so far.
    var brokerLine: Int?
    /// Every link, in the order the parser met it.
    var links: [LessonLink] = []

    init(path: String) {
        self.path = path
    }

    func error(_ line: Int, _ message: String) {
        diagnostics.append(LessonDiagnostic(path: path, line: line, message: message))
    }

    func warning(_ line: Int, _ message: String) {
        diagnostics.append(LessonDiagnostic(path: path, line: line, message: message, severity: .warning))
    }
}
