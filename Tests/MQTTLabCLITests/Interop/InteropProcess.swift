import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One child process of the interop tests, with its stdout and stderr sent to files (never pipes, so a chatty
/// child can't block on a full pipe) and every wait bounded by a timeout.
///
/// The tests own every `InteropProcess` they start: `stop()` sends SIGTERM (or the given signal) to this pid
/// only, waits, then SIGKILLs it. `stop()` is idempotent and also runs from `deinit`.
final class InteropProcess {
    let executable: URL
    let arguments: [String]
    let stdoutURL: URL
    let stderrURL: URL
    private let process = Process()
    private var stdoutHandle: FileHandle?
    private var stderrHandle: FileHandle?

    /// Starts `executable` with `arguments`; output goes to `<directory>/<label>.stdout|stderr`.
    /// With an `environment`, the child gets exactly that environment and runs in `directory`. Standard
    /// input is /dev/null unless `standardInput` gives one (e.g. a pipe the test writes to).
    init(_ executable: URL, _ arguments: [String], label: String, directory: URL, environment: [String: String]? = nil,
         standardInput: FileHandle? = nil) throws {
        self.executable = executable
        self.arguments = arguments
        stdoutURL = directory.appendingPathComponent("\(label).stdout")
        stderrURL = directory.appendingPathComponent("\(label).stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: stdoutURL)
        let err = try FileHandle(forWritingTo: stderrURL)
        stdoutHandle = out
        stderrHandle = err
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = standardInput ?? FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        if let environment {
            process.environment = environment
            process.currentDirectoryURL = directory
        }
        try process.run()
    }

    deinit {
        stop()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// The exit status once the process has ended (nil while it runs).
    var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }
    var stdoutData: Data { (try? Data(contentsOf: stdoutURL)) ?? Data() }

    var commandLine: String {
        ([executable.path] + arguments).map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }

    /// Waits up to `timeout` seconds for the process to end; true if it ended.
    @discardableResult
    func waitForExit(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() >= deadline { return false }
            usleep(10_000)
        }
        process.waitUntilExit()  // reaps; returns at once here
        closeHandles()
        return true
    }

    /// Polls `condition` every 20 ms for up to `timeout` seconds; stops early (returning false) if the process ends.
    func waitUntil(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            if !process.isRunning { return condition() }
            usleep(20_000)
        }
        return condition()
    }

    /// Sends `signal` to this pid, waits up to `grace` seconds, then SIGKILLs it. Safe to call repeatedly.
    func stop(signal: Int32 = SIGTERM, grace: TimeInterval = 3) {
        if process.isRunning {
            kill(process.processIdentifier, signal)
            if !waitForExit(timeout: grace), process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                _ = waitForExit(timeout: 2)
            }
        }
        if !process.isRunning { closeHandles() }
    }

    private func closeHandles() {
        try? stdoutHandle?.close()
        try? stderrHandle?.close()
        stdoutHandle = nil
        stderrHandle = nil
    }

    /// The result of a process run to completion.
    struct Outcome {
        var status: Int32
        var timedOut: Bool
        var stdout: Data
        var stderr: String
        var commandLine: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs a process to completion, killing it if it outlives `timeout`.
    static func run(
        _ executable: URL, _ arguments: [String], label: String, directory: URL, timeout: TimeInterval,
        environment: [String: String]? = nil
    ) throws -> Outcome {
        let child = try InteropProcess(executable, arguments, label: label, directory: directory, environment: environment)
        let finished = child.waitForExit(timeout: timeout)
        if !finished { child.stop(signal: SIGKILL, grace: 1) }
        return Outcome(
            status: child.exitStatus ?? -1, timedOut: !finished, stdout: child.stdoutData,
            stderr: child.stderr, commandLine: child.commandLine
        )
    }
}
