import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mqttlab broker` as a child process of one test.
///
/// Contract (from the broker's spec): `mqttlab broker -p 0 --trace off` binds 127.0.0.1 on a free port and prints, as
/// its first stdout line (flushed), `mqttlab broker 0.1 · MQTT 3.1.1 and 5.0 · listening on 127.0.0.1:PORT · trace: off`.
/// SIGTERM and SIGINT end it cleanly (exit status 0).
///
/// stdout and stderr go to files in the test's work folder (never pipes). `stop()` sends one signal to this pid
/// only, waits, and SIGKILLs it if it does not exit; `stopOutcome` then tells whether the exit was clean.
///
/// Reference mode: with `MQTTLAB_BROKERINTEROP_REFERENCE=mosquitto` in the environment the same arguments start a
/// Mosquitto broker instead (options translated to its config), so the suite itself can be checked against a
/// mature broker. `--refuse-subscribe` has no Mosquitto equivalent; tests that need it fail in that mode.
final class MQTTLabBrokerProcess {
    /// How the broker's first stdout line gives away its port.
    /// (The tests pass `--lang en`; the Spanish wording is accepted too, in case a locale wins.)
    static let listeningPattern = #"(?:listening on|escuchando en) 127\.0\.0\.1:(\d+)"#

    /// What happened when the test stopped the broker.
    struct StopOutcome: CustomStringConvertible {
        /// False when the broker had already exited (crashed or quit) before the test asked it to stop.
        var wasRunning: Bool
        var signal: Int32
        /// True when it exited within the grace period after `signal`.
        var exitedAfterSignal: Bool
        /// True when it had to be SIGKILLed.
        var killed: Bool
        /// Exit status (for a death by signal, Foundation reports the signal number).
        var status: Int32?

        var isClean: Bool { wasRunning && exitedAfterSignal && !killed && status == 0 }

        var description: String {
            if !wasRunning { return "the broker had already exited (status \(status.map(String.init) ?? "?")) before it was stopped" }
            if killed { return "the broker ignored signal \(signal) and had to be SIGKILLed" }
            return "the broker exited with status \(status.map(String.init) ?? "?") after signal \(signal)"
        }
    }

    let port: Int
    /// The first stdout line.
    let banner: String
    let commandLine: String
    let isReference: Bool
    private let process: InteropProcess
    private(set) var stopOutcome: StopOutcome?

    /// True when the suite runs against Mosquitto (`MQTTLAB_BROKERINTEROP_REFERENCE=mosquitto`).
    static var referenceMode: Bool {
        ProcessInfo.processInfo.environment["MQTTLAB_BROKERINTEROP_REFERENCE"] == "mosquitto"
    }

    /// Starts `executable broker <arguments>` and waits (≤ `startTimeout` s) for the banner line.
    init(executable: URL, arguments: [String], directory: URL, label: String, startTimeout: TimeInterval = 15) throws {
        let child = try InteropProcess(executable, arguments, label: label, directory: directory)
        var firstLine: String?
        _ = child.waitUntil(timeout: startTimeout) {
            firstLine = Self.firstLine(of: child.stdoutData)
            return firstLine != nil
        }
        guard let firstLine else {
            let status = child.exitStatus
            child.stop(signal: SIGKILL, grace: 1)
            let state = status.map { "exited with status \($0)" } ?? "printed no complete line within \(startTimeout) s"
            throw InteropError("""
                \(child.commandLine) \(state).
                stdout: \(child.stdout.suffix(1500))
                stderr: \(child.stderr.suffix(1500))
                """)
        }
        guard let port = Self.port(inBanner: firstLine) else {
            child.stop(signal: SIGKILL, grace: 1)
            throw InteropError("""
                \(child.commandLine): first stdout line does not match /\(Self.listeningPattern)/:
                \(firstLine)
                stderr: \(child.stderr.suffix(1500))
                """)
        }
        self.port = port
        self.banner = firstLine
        self.commandLine = child.commandLine
        self.process = child
        self.isReference = false
    }

    /// Reference mode: Mosquitto configured like `mqttlab broker <arguments>` would be.
    private init(mosquitto: URL, arguments: [String], directory: URL, label: String) throws {
        var lastError = "no attempt"
        for attempt in 1...3 {
            let port = try InteropTools.freePort()
            var lines = [
                "listener \(port) 127.0.0.1", "allow_anonymous true", "log_dest stderr", "log_type all",
                "persistence false", "user root",
            ]
            var index = 0
            while index < arguments.count {
                let option = arguments[index]
                let value = index + 1 < arguments.count ? arguments[index + 1] : ""
                switch option {
                case "--max-queued-messages": lines.append("max_queued_messages \(value)")
                case "--max-inflight-messages": lines.append("max_inflight_messages \(value)")
                case "--max-packet-size": lines.append("max_packet_size \(value)")
                case "--max-keepalive": lines.append("max_keepalive \(value)")
                case "--max-connections": lines.append("max_connections \(value)")
                case "-c":
                    // The test's configuration file, as Mosquitto reads it (its own listeners come in addition).
                    lines += (try String(contentsOfFile: value, encoding: .utf8)).split(separator: "\n").map(String.init)
                default: break  // -p, --trace, --bind, --refuse-subscribe: no equivalent or not needed
                }
                index += 2  // every broker option takes a value
            }
            let config = directory.appendingPathComponent("\(label)-\(attempt).conf")
            try (lines.joined(separator: "\n") + "\n").write(to: config, atomically: true, encoding: .utf8)
            let child = try InteropProcess(mosquitto, ["-c", config.path], label: "\(label)-\(attempt)", directory: directory)
            if child.waitUntil(timeout: 5, { child.stderr.contains(" running") && InteropTools.canConnect(port: port) }) {
                self.port = port
                self.banner = "mqttlab broker 0.1 · MQTT 3.1.1 and 5.0 · listening on 127.0.0.1:\(port) · trace: off (reference: mosquitto)"
                self.commandLine = child.commandLine
                self.process = child
                self.isReference = true
                return
            }
            child.stop()
            lastError = "mosquitto did not start on port \(port): \(child.stderr.suffix(600))"
        }
        throw InteropError(lastError)
    }

    /// Starts the broker under test, or Mosquitto in reference mode.
    static func start(mqttlab: URL?, arguments: [String], directory: URL, label: String) throws -> MQTTLabBrokerProcess {
        if referenceMode {
            guard let mosquitto = InteropTools.find("mosquitto") else {
                throw InteropError("MQTTLAB_BROKERINTEROP_REFERENCE=mosquitto but mosquitto is not installed")
            }
            return try MQTTLabBrokerProcess(mosquitto: mosquitto, arguments: Array(arguments.dropFirst()), directory: directory, label: label)
        }
        guard let mqttlab else { throw InteropError("no mqttlab binary") }
        return try MQTTLabBrokerProcess(executable: mqttlab, arguments: arguments, directory: directory, label: label)
    }

    deinit {
        stop(signal: SIGKILL, grace: 1)
    }

    var pid: Int32 { process.pid }
    var isRunning: Bool { process.isRunning }
    var stdout: String { process.stdout }
    var stderr: String { process.stderr }

    /// The tail of both output streams, for failure messages.
    func outputTail(_ limit: Int = 2500) -> String {
        "broker \(commandLine)\n--- stdout (tail) ---\n\(stdout.suffix(limit))\n--- stderr (tail) ---\n\(stderr.suffix(limit))"
    }

    /// Sends `signal`, waits up to `grace` seconds, then SIGKILLs. Idempotent: later calls return the first outcome.
    @discardableResult
    func stop(signal: Int32 = SIGTERM, grace: TimeInterval = 5) -> StopOutcome {
        if let stopOutcome { return stopOutcome }
        let wasRunning = process.isRunning
        var exited = true
        var killed = false
        if wasRunning {
            kill(process.pid, signal)
            exited = process.waitForExit(timeout: grace)
            if !exited {
                process.stop(signal: SIGKILL, grace: 2)
                killed = true
            }
        } else {
            _ = process.waitForExit(timeout: 1)
        }
        let outcome = StopOutcome(
            wasRunning: wasRunning, signal: signal, exitedAfterSignal: exited, killed: killed, status: process.exitStatus
        )
        stopOutcome = outcome
        return outcome
    }

    /// The first complete line of `data`, if there is one.
    static func firstLine(of data: Data) -> String? {
        guard let newline = data.firstIndex(of: 0x0A) else { return nil }
        return String(decoding: data[data.startIndex..<newline], as: UTF8.self)
    }

    /// PORT from `listening on 127.0.0.1:PORT`.
    static func port(inBanner line: String) -> Int? {
        guard let regex = try? NSRegularExpression(pattern: listeningPattern) else { return nil }
        let range = NSRange(line.startIndex..<line.endIndex, in: line)
        guard let match = regex.firstMatch(in: line, range: range), match.numberOfRanges > 1,
              let portRange = Range(match.range(at: 1), in: line), let port = Int(line[portRange]),
              (1...65_535).contains(port) else { return nil }
        return port
    }
}
