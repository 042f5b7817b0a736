import Foundation

/// The MQTT protocol level the mosquitto clients speak.
enum InteropMQTTVersion: String, Sendable {
    case v311 = "mqttv311"
    case v5 = "mqttv5"
}

/// Runs `mosquitto_pub` / `mosquitto_sub` against one broker, every run bounded by a timeout.
final class MosquittoClients {
    let pubURL: URL
    let subURL: URL
    let port: Int
    let version: InteropMQTTVersion
    let directory: URL
    private var counter = 0
    private var background: [InteropProcess] = []

    init(pub: URL, sub: URL, port: Int, version: InteropMQTTVersion, directory: URL) {
        pubURL = pub
        subURL = sub
        self.port = port
        self.version = version
        self.directory = directory
    }

    deinit {
        stopAll()
    }

    private var common: [String] { ["-h", "127.0.0.1", "-p", String(port), "-V", version.rawValue] }

    private func nextLabel(_ tool: String) -> String {
        counter += 1
        return "\(tool)-\(counter)"
    }

    /// Runs `mosquitto_pub` with `arguments` to completion; throws if it fails (unless `expectFailure`) or hangs.
    @discardableResult
    func pub(_ arguments: [String], expectFailure: Bool = false, timeout: TimeInterval = 10) throws -> InteropProcess.Outcome {
        try run(pubURL, tool: "mosquitto_pub", arguments, expectFailure: expectFailure, timeout: timeout)
    }

    /// Runs `mosquitto_sub` with `arguments` to completion (use `-C n -W s`, or `-E`).
    @discardableResult
    func sub(_ arguments: [String], expectFailure: Bool = false, timeout: TimeInterval = 10) throws -> InteropProcess.Outcome {
        try run(subURL, tool: "mosquitto_sub", arguments, expectFailure: expectFailure, timeout: timeout)
    }

    /// Starts `mosquitto_sub` in the background; `stopAll()` (and deinit) end it if it is still running.
    func startSub(_ arguments: [String]) throws -> InteropProcess {
        let child = try InteropProcess(subURL, common + arguments, label: nextLabel("mosquitto_sub-bg"), directory: directory)
        background.append(child)
        return child
    }

    /// Waits (≤ `timeout` s) for a background client to finish on its own; throws with its output if it does not.
    func waitForExit(_ child: InteropProcess, timeout: TimeInterval = 10) throws {
        guard child.waitForExit(timeout: timeout) else {
            child.stop()
            throw InteropError("\(child.commandLine) still running after \(timeout) s; stderr: \(child.stderr.suffix(400))")
        }
    }

    func stopAll() {
        for child in background { child.stop() }
        background.removeAll()
    }

    private func run(
        _ url: URL, tool: String, _ arguments: [String], expectFailure: Bool, timeout: TimeInterval
    ) throws -> InteropProcess.Outcome {
        let outcome = try InteropProcess.run(url, common + arguments, label: nextLabel(tool), directory: directory, timeout: timeout)
        if outcome.timedOut {
            throw InteropError("\(outcome.commandLine) did not finish within \(timeout) s")
        }
        if !expectFailure, outcome.status != 0 {
            throw InteropError("\(outcome.commandLine) exited \(outcome.status): \(outcome.stderr.suffix(400))")
        }
        return outcome
    }
}
