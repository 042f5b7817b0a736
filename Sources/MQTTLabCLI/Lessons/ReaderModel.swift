import MQTTLabCourse

/// The interactive reader's state and its response to each key, with no terminal in sight (so it is
/// tested directly): which step is shown, how far it is scrolled, and the panel under it.
struct ReaderModel {
    /// What a key asks for, once the terminal's key codes are mapped (see `LessonReader`).
    enum Command: Equatable {
        case next, back, lineDown, lineUp, run, quit
    }

    /// What the driver must do after a command.
    enum Effect: Equatable {
        case redraw
        /// Run this command in place (its output goes to the panel).
        case runCommand(RunBlock)
        case quit
    }

    /// Shown under the step, after a rule.
    enum Panel: Equatable {
        /// `r` on a step whose command keeps running: how to start it in a second terminal.
        case secondTerminal(RunBlock)
        /// `r` on a step with nothing to run.
        case nothingToRun
        /// A command run in place: its output so far, and its exit status once it has ended.
        case output(command: String, lines: [String], status: Int32?, stopped: Bool)
    }

    let lesson: Lesson
    private(set) var step: Int
    /// The first body line on screen.
    var scroll = 0
    var panel: Panel?
    /// Which of the step's commands `r` runs next (a step may have several).
    private var nextRun = 0
    /// How many body lines fit on the screen, and how many the step has: set by the screen at each layout.
    var bodyHeight = 20
    var bodyLength = 0

    init(lesson: Lesson, step: Int) {
        self.lesson = lesson
        self.step = min(max(step, 0), max(lesson.steps.count - 1, 0))
    }

    var isLastStep: Bool { step >= lesson.steps.count - 1 }
    var hasMoreBelow: Bool { scroll + bodyHeight < bodyLength }

    mutating func handle(_ command: Command) -> Effect {
        switch command {
        case .next:
            if hasMoreBelow {
                scroll = min(scroll + max(bodyHeight - 1, 1), max(bodyLength - bodyHeight, 0))
            } else if !isLastStep {
                go(to: step + 1)
            } else {
                return .quit  // past the end: the reader closes and says what comes next
            }
            return .redraw
        case .back:
            if scroll > 0 {
                scroll = max(scroll - max(bodyHeight - 1, 1), 0)
            } else if step > 0 {
                go(to: step - 1)
            }
            return .redraw
        case .lineDown:
            if hasMoreBelow { scroll += 1 }
            return .redraw
        case .lineUp:
            scroll = max(scroll - 1, 0)
            return .redraw
        case .run:
            let runs = lesson.steps.isEmpty ? [] : lesson.steps[step].runBlocks
            guard !runs.isEmpty else {
                panel = .nothingToRun
                return .redraw
            }
            let run = runs[nextRun % runs.count]
            nextRun += 1
            if run.kind == .finishes {
                panel = .output(command: run.command, lines: [], status: nil, stopped: false)
                return .runCommand(run)
            }
            panel = .secondTerminal(run)
            return .redraw
        case .quit:
            return .quit
        }
    }

    /// Keeps the scroll inside the content after a resize or new output.
    mutating func clampScroll() {
        scroll = min(scroll, max(bodyLength - bodyHeight, 0))
    }

    /// Scrolls so the end of the body (a running command's output) is on screen.
    mutating func scrollToEnd() {
        scroll = max(bodyLength - bodyHeight, 0)
    }

    private mutating func go(to newStep: Int) {
        step = newStep
        scroll = 0
        panel = nil
        nextRun = 0
    }
}
