import Foundation
import MQTTCodec
import MQTTLabCourse

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The interactive reader: one step per screen on the TUI layer (`TerminalSession`), keys mapped to
/// `ReaderModel` commands, the student's place saved at every step, `r` running a command in place.
struct LessonReader {
    var lesson: Lesson
    var id: LessonID
    var renderer: LessonRenderer
    var progress: LessonProgress?
    var language: Language

    /// The most a command run in place may show: the tail of its output.
    static let outputLimit = 64 * 1024

    /// Reads the lesson from `step`; returns the step shown last (0-based).
    @discardableResult
    func run(from step: Int) throws -> Int {
        var model = ReaderModel(lesson: lesson, step: step)
        let screen = ReaderScreen(renderer: renderer, id: id, language: language)
        record(model.step)
        try TerminalSession.run { session in
            var shownStep = model.step
            session.draw(screen.frame(&model, columns: session.size.columns, rows: session.size.rows))
            events: while true {
                switch session.nextEvent() {
                case .key(let key):
                    guard let command = Self.command(for: key) else { continue }
                    switch model.handle(command) {
                    case .quit: break events
                    case .redraw: break
                    case .runCommand(let run): runInPlace(run, model: &model, session: session, screen: screen)
                    }
                case .resize, .timeout:
                    break
                case .inputClosed:
                    break events
                }
                if model.step != shownStep {
                    shownStep = model.step
                    record(model.step)
                }
                session.draw(screen.frame(&model, columns: session.size.columns, rows: session.size.rows))
            }
        }
        return model.step
    }

    /// Keys: Enter, space, → and PgDn go on; b, ←, PgUp and Backspace go back; ↓/↑ (j/k) scroll a line;
    /// r runs; q, Esc and Ctrl-C quit.
    static func command(for key: Key) -> ReaderModel.Command? {
        switch key {
        case .enter, .space, .right, .pageDown, .character("n"): .next
        case .character("b"), .left, .pageUp, .backspace: .back
        case .down, .character("j"): .lineDown
        case .up, .character("k"): .lineUp
        case .character("r"): .run
        case .character("q"), .character("Q"), .escape, .control("c"), .control("d"): .quit
        default: nil
        }
    }

    private func record(_ step: Int) {
        try? progress?.record(lessonID: id.folderName, step: step, stepCount: lesson.steps.count)
    }

    // MARK: Running a command in place

    /// Runs `run.command` with `sh -c`, its output (stdout and stderr, to a scratch file) streamed into the
    /// panel under the step; q, Esc or Ctrl-C stops it. Standard input is /dev/null: the reader keeps the keys.
    private func runInPlace(_ run: RunBlock, model: inout ReaderModel, session: TerminalSession, screen: ReaderScreen) {
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("mqttlab-lesson-run-\(getpid())-\(UUID().uuidString.prefix(8)).txt")
        defer { try? FileManager.default.removeItem(at: outputURL) }
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", run.command]
        process.environment = Self.childEnvironment()
        process.standardInput = FileHandle.nullDevice
        do {
            let handle = try FileHandle(forWritingTo: outputURL)
            defer { try? handle.close() }
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
        } catch {
            model.panel = .output(command: run.command, lines: ["\(error)"], status: 127, stopped: false)
            return
        }
        var stopped = false
        while true {
            let running = process.isRunning
            let lines = Self.tail(of: outputURL)
            model.panel = .output(command: run.command, lines: lines, status: running ? nil : process.terminationStatus, stopped: stopped)
            _ = screen.frame(&model, columns: session.size.columns, rows: session.size.rows)
            model.scrollToEnd()
            session.draw(screen.frame(&model, columns: session.size.columns, rows: session.size.rows))
            if !running { break }
            switch session.nextEvent(timeout: .milliseconds(150)) {
            case .key(let key) where Self.command(for: key) == .quit:
                stopped = true
                Self.stop(process)
            case .inputClosed:
                stopped = true
                Self.stop(process)
            default:
                break
            }
        }
    }

    /// Stops the command and everything it started. Foundation starts the child in a process group of
    /// its own, so the whole group is signalled: a pipeline (`… | …`) would otherwise keep running, and
    /// `waitUntilExit` would wait for it with the terminal in raw mode.
    private static func stop(_ process: Process) {
        guard process.isRunning else { return }
        signalGroup(of: process, SIGTERM)
        let deadline = Date().addingTimeInterval(1)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { signalGroup(of: process, SIGKILL) }
        process.waitUntilExit()
    }

    private static func signalGroup(of process: Process, _ signal: Int32) {
        let pid = process.processIdentifier
        if getpgid(pid) == pid {
            kill(-pid, signal)
        } else {
            kill(pid, signal)
        }
    }

    /// The last `outputLimit` bytes of the file, as lines (the last, unfinished one included).
    private static func tail(of url: URL) -> [String] {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > UInt64(outputLimit) ? size - UInt64(outputLimit) : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines.map(DisplayWidth.stripped)
    }

    /// The reader's environment with this executable's folder first on PATH, so `mqttlab …` in a lesson
    /// runs this very mqttlab (also under `swift run`).
    static func childEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        if let folder = executableFolder() {
            environment["PATH"] = folder + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        }
        return environment
    }

    private static func executableFolder() -> String? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return (path as NSString).deletingLastPathComponent
        }
        let first = CommandLine.arguments.first ?? ""
        return first.contains("/") ? (URL(fileURLWithPath: first).standardizedFileURL.path as NSString).deletingLastPathComponent : nil
    }
}
