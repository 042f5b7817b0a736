/// One block of a step, in reading order.
public indirect enum Block: Sendable, Equatable {
    case paragraph([Inline])
    /// `###` … `######` inside a step (level 3…6).
    case heading(level: Int, [Inline])
    case list(List)
    case table(Table)
    /// A fenced block that is only an illustration (```sh, ```text, no info string…): never run.
    case code(CodeBlock)
    /// ```run, ```run background NAME, ```run broker, with the ```output block right after it, if any.
    case run(RunBlock)
    /// ```output NAME anywhere after the background command NAME (or the broker) started.
    case output(ExpectedOutput)
    case callout(Callout)
    /// A `>` quote that is not a callout.
    case quote([Block])
    /// `---`, `***` or `___` inside a step.
    case rule

    public struct List: Sendable, Equatable {
        /// The first number of an ordered list; nil for bullets.
        public var start: Int?
        public var items: [[Block]]
    }

    public struct Table: Sendable, Equatable {
        public enum Alignment: Sendable, Equatable { case left, center, right }
        public var header: [[Inline]]
        public var alignments: [Alignment]
        /// Every row has exactly `header.count` cells (missing ones are empty, extra ones an error).
        public var rows: [[[Inline]]]
    }

    public struct CodeBlock: Sendable, Equatable {
        /// The info string after the fence ("sh", "json", ""…).
        public var info: String
        public var lines: [String]
        public var line: Int
    }
}

/// A command the student runs: the unit of the lesson-commands test and of the reader's `r` key.
public struct RunBlock: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// ```run: finishes by itself; `r` runs it in place.
        case finishes
        /// ```run background NAME: keeps running in a second terminal until the lesson ends.
        case background(name: String)
        /// ```run broker: the teaching broker, in its own terminal.
        case broker

        /// The name `output NAME` blocks use for this command's output, if it keeps running.
        public var outputName: String? {
            switch self {
            case .finishes: nil
            case .background(let name): name
            case .broker: "broker"
            }
        }
    }

    public var kind: Kind
    /// One line, run with `sh -c`.
    public var command: String
    /// The line of the opening fence.
    public var line: Int
    /// The ```output block right after this one.
    public var output: ExpectedOutput?
}

/// What a command prints, as a lesson shows it and the tests check it (see `OutputMatcher`).
public struct ExpectedOutput: Sendable, Equatable {
    /// Nil for the output block right after a ```run block; the background command's name (or "broker")
    /// for ```output NAME.
    public var name: String?
    public var lines: [String]
    /// The line of the opening fence.
    public var line: Int
}

/// A GitHub-style alert: `> [!NOTE]`, `> [!TIP]`, `> [!WARNING]`, `> [!TRACE]`.
public struct Callout: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case note = "NOTE"
        case tip = "TIP"
        case warning = "WARNING"
        /// "Look at the broker's trace": what to notice in the packets.
        case trace = "TRACE"
    }

    public var kind: Kind
    public var body: [Block]
}
