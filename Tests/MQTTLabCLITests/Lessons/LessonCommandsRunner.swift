import Foundation
import MQTTLabCourse
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs every ```run block of a lesson in order, as the lesson format's contract says, and checks every
/// ```output block:
///
/// - ```run broker starts the command with `-p PORT` (a free port, kept for the whole lesson; a later
///   ```run broker stops the earlier broker first), and `-p PORT` goes into every `mqttlab pub|sub|rr`
///   (and `mosquitto_pub|sub|rr`) command.
/// - ```run background NAME starts in the background and is stopped at the end of the lesson. To avoid a
///   publish racing ahead of a subscription, the runner then waits (≤ 3 s) for a new SUBACK in the broker's
///   trace, when a broker runs.
/// - ```run waits for the command to end (≤ 30 s); its output block must match. Without an output block, an
///   `mqttlab` command must not end with status 64 (a usage error: a typo in the lesson).
/// - ```output NAME waits up to 10 s for the background command (or the broker) to have printed a match.
///
/// Commands run with `sh -c` in a scratch folder, `mqttlab` first on PATH (the binary under test),
/// MQTTLAB_LANG set to the lesson's language, NO_COLOR set and MQTTLAB_HOME in the scratch folder.
final class LessonCommandsRunner {
    let mqttlab: URL
    let directory: URL
    private var counter = 0

    init(mqttlab: URL, directory: URL) {
        self.mqttlab = mqttlab
        self.directory = directory
    }

    /// The problems found, each starting with `path:line:`; empty when every command did what the lesson says.
    func run(_ lesson: Lesson) throws -> [String] {
        let childEnvironment = environment(for: lesson)
        var failures: [String] = []
        let port = try InteropTools.freePort()
        var tlsPort = try InteropTools.freePort()
        while tlsPort == port { tlsPort = try InteropTools.freePort() }
        var broker: InteropProcess?
        var brokerTraces = true
        var background: [String: InteropProcess] = [:]
        defer {
            for process in background.values { process.stop() }
            broker?.stop()
        }
        for action in lesson.steps.flatMap(\.actions) {
            switch action {
            case .run(let run):
                let command = LessonCommandPort.inject(port: port, tlsPort: tlsPort, into: run.command, kind: run.kind)
                switch run.kind {
                case .broker:
                    broker?.stop()
                    let started = try start(command, label: "broker", environment: childEnvironment)
                    broker = started
                    brokerTraces = !command.contains("--trace off")
                    guard started.waitUntil(timeout: 15, { InteropTools.canConnect(port: port) }) else {
                        failures.append("\(lesson.path):\(run.line): the broker did not accept connections on port \(port) within 15 s: `\(command)`\n\(started.stdout.suffix(1500))")
                        return failures
                    }
                    if let expected = run.output { failures += check(expected, in: started, of: command, lesson: lesson, wait: 10) }
                case .background(let name):
                    let before = broker?.stdout.count ?? 0
                    let started = try start(command, label: name, environment: childEnvironment)
                    background[name] = started
                    if let broker {
                        // A subscriber must be subscribed before the next step publishes. The broker's trace
                        // shows its SUBACK; a debug build on a loaded 2-core machine can take seconds, so
                        // wait generously (it returns as soon as the SUBACK is there).
                        let isSubscriber = command.contains(" sub ") || command.hasPrefix("mosquitto_sub")
                        let subscribed = broker.waitUntil(timeout: isSubscriber ? 20 : 3) {
                            broker.stdout.dropFirst(before).contains("SUBACK")
                        }
                        if isSubscriber && !subscribed && brokerTraces {
                            failures.append("\(lesson.path):\(run.line): `\(command)` was not subscribed (no SUBACK in the broker's trace) within 20 s")
                        }
                    } else {
                        usleep(500_000)
                    }
                    if let expected = run.output { failures += check(expected, in: started, of: command, lesson: lesson, wait: 10) }
                case .finishes:
                    counter += 1
                    let outcome = try InteropProcess.run(
                        URL(fileURLWithPath: "/bin/sh"), ["-c", command + " 2>&1"], label: "run-\(counter)", directory: directory,
                        timeout: 30, environment: childEnvironment)
                    if outcome.timedOut {
                        failures.append("\(lesson.path):\(run.line): `\(command)` did not end within 30 s")
                    } else if outcome.status == 126 || outcome.status == 127 {
                        failures.append("\(lesson.path):\(run.line): `\(command)` could not be run (status \(outcome.status)): \(outcome.stdoutText.suffix(500))")
                    } else if outcome.status == 64, run.output == nil, run.command.hasPrefix("mqttlab ") {
                        // mqttlab's usage-error status: a mistyped command (a lesson that means to show an
                        // error shows it in an output block).
                        failures.append("\(lesson.path):\(run.line): `\(command)` is a usage error (status 64): \(outcome.stdoutText.suffix(500))")
                    } else if let expected = run.output, let mismatch = OutputMatcher.mismatch(expected: expected.lines, actual: outcome.stdoutText) {
                        failures.append("\(lesson.path):\(expected.line): `\(command)` (status \(outcome.status)): \(mismatch)\n--- it printed ---\n\(outcome.stdoutText.suffix(3000))")
                    }
                }
            case .checkOutput(let expected):
                let name = expected.name ?? ""
                guard let process = name == "broker" ? broker : background[name] else {
                    failures.append("\(lesson.path):\(expected.line): nothing named \(name) is running")
                    continue
                }
                failures += check(expected, in: process, of: name, lesson: lesson, wait: 10)
            }
        }
        return failures
    }

    private func check(_ expected: ExpectedOutput, in process: InteropProcess, of what: String, lesson: Lesson, wait: TimeInterval) -> [String] {
        let matched = process.waitUntil(timeout: wait) { OutputMatcher.mismatch(expected: expected.lines, actual: process.stdout) == nil }
        guard !matched, let mismatch = OutputMatcher.mismatch(expected: expected.lines, actual: process.stdout) else { return [] }
        return ["\(lesson.path):\(expected.line): `\(what)` within \(Int(wait)) s: \(mismatch)\n--- it printed ---\n\(process.stdout.suffix(3000))"]
    }

    private func start(_ command: String, label: String, environment: [String: String]) throws -> InteropProcess {
        counter += 1
        // exec: the signal that stops it reaches the command itself, not only the shell.
        return try InteropProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", "exec " + command + " 2>&1"],
                                  label: "\(label)-\(counter)", directory: directory, environment: environment)
    }

    private func environment(for lesson: Lesson) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = mqttlab.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["MQTTLAB_LANG"] = lesson.language.rawValue
        environment["MQTTLAB_HOME"] = directory.appendingPathComponent("home").path
        environment["NO_COLOR"] = "1"
        environment["LC_ALL"] = nil
        return environment
    }
}
