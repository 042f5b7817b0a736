import MQTTCodec

/// One lesson in one language: the parsed form of `NN-slug/LANG.md`.
public struct Lesson: Sendable, Equatable {
    /// The file, as given to the parser (for messages).
    public var path: String
    public var language: Language
    public var frontMatter: FrontMatter
    public var steps: [Step]
    /// Every link of the lesson with its line, in reading order (lint checks that each resolves).
    public var links: [LessonLink]

    public var title: String { frontMatter.title }
    public var summary: String { frontMatter.summary }

    /// Every run block of the lesson, step by step, in order (including those inside lists).
    public var runBlocks: [RunBlock] { steps.flatMap(\.runBlocks) }
}

/// The `key: value` lines between the two `---` lines at the top of a lesson.
public struct FrontMatter: Sendable, Equatable {
    public var title: String
    public var summary: String
    /// Minutes the lesson takes in class, if the author says.
    public var minutes: Int?
    /// Keys this version does not know, kept so a later version (or a teacher's tool) can use them.
    public var otherKeys: [String: String]
    /// The line of the opening `---`.
    public var line: Int
}

/// A `## Heading` and what follows it up to the next one: one classroom screen.
public struct Step: Sendable, Equatable {
    public var title: [Inline]
    public var blocks: [Block]
    /// The line of the `##` heading.
    public var line: Int

    public var plainTitle: String { Inline.plainText(title) }

    /// The run blocks of this step in reading order, wherever they are nested.
    public var runBlocks: [RunBlock] { Self.runBlocks(in: blocks) }

    /// The blocks of this step in reading order that the lesson-commands runner acts on: run blocks and
    /// free-standing output blocks.
    public var actions: [StepAction] { Self.actions(in: blocks) }

    static func runBlocks(in blocks: [Block]) -> [RunBlock] {
        actions(in: blocks).compactMap { if case .run(let block) = $0 { block } else { nil } }
    }

    static func actions(in blocks: [Block]) -> [StepAction] {
        var result: [StepAction] = []
        for block in blocks {
            switch block {
            case .run(let run): result.append(.run(run))
            case .output(let output): result.append(.checkOutput(output))
            case .list(let list): for item in list.items { result += actions(in: item) }
            case .callout(let callout): result += actions(in: callout.body)
            case .quote(let inner): result += actions(in: inner)
            case .paragraph, .heading, .table, .code, .rule: break
            }
        }
        return result
    }
}

/// What the lesson-commands runner does, in order.
public enum StepAction: Sendable, Equatable {
    case run(RunBlock)
    case checkOutput(ExpectedOutput)
}

/// A link as written in a lesson, with where it is.
public struct LessonLink: Sendable, Equatable {
    public var target: LinkTarget
    public var line: Int
}
