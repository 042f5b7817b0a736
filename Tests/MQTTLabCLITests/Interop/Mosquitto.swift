import Foundation

/// A private Mosquitto broker for one test: a free port on 127.0.0.1, its config, password file and log in a
/// temp folder, logging everything (`log_type all`) to stderr so tests can wait on "Sending SUBACK to …".
final class Mosquitto {
    struct Options {
        /// user → password; when non-empty, anonymous clients are refused.
        var users: [String: String] = [:]
        /// Extra config lines, e.g. "max_qos 1".
        var extraConfig: [String] = []
    }

    let port: Int
    let directory: URL
    private let process: InteropProcess

    /// Starts the broker and waits (≤ 5 s) until it accepts connections. Retries on another port if the
    /// chosen one was taken in the meantime.
    init(executable: URL, passwdTool: URL?, directory: URL, options: Options = Options()) throws {
        self.directory = directory
        var lastError = "no attempt"
        for attempt in 1...3 {
            let port = try InteropTools.freePort()
            var lines = [
                "listener \(port) 127.0.0.1",
                "allow_anonymous \(options.users.isEmpty ? "true" : "false")",
                "log_dest stderr",
                "log_type all",
                "persistence false",
                "user root",
            ]
            if !options.users.isEmpty {
                guard let passwdTool else { throw InteropError("mosquitto_passwd is needed for a password file") }
                let passwordFile = directory.appendingPathComponent("passwd")
                for (index, (user, password)) in options.users.sorted(by: { $0.key < $1.key }).enumerated() {
                    let create = index == 0 ? ["-c"] : []
                    let outcome = try InteropProcess.run(
                        passwdTool, ["-b"] + create + [passwordFile.path, user, password],
                        label: "mosquitto_passwd-\(index)", directory: directory, timeout: 10
                    )
                    guard outcome.status == 0 else {
                        throw InteropError("mosquitto_passwd failed (\(outcome.status)): \(outcome.stderr)")
                    }
                }
                try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: passwordFile.path)
                lines.append("password_file \(passwordFile.path)")
            }
            lines += options.extraConfig
            let config = directory.appendingPathComponent("mosquitto-\(attempt).conf")
            try (lines.joined(separator: "\n") + "\n").write(to: config, atomically: true, encoding: .utf8)
            try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config.path)

            let child = try InteropProcess(executable, ["-c", config.path], label: "mosquitto-\(attempt)", directory: directory)
            let ready = child.waitUntil(timeout: 5) {
                child.stderr.contains(" running") && InteropTools.canConnect(port: port)
            }
            if ready {
                self.port = port
                self.process = child
                return
            }
            child.stop()
            lastError = "mosquitto did not start on port \(port): \(child.stderr.suffix(600))"
        }
        throw InteropError(lastError)
    }

    deinit {
        stop()
    }

    /// The broker's log so far.
    var log: String { process.stderr }

    /// Waits (≤ `timeout` s) until the broker log contains `text`.
    @discardableResult
    func waitForLog(_ text: String, timeout: TimeInterval = 5) -> Bool {
        process.waitUntil(timeout: timeout) { process.stderr.contains(text) }
    }

    /// Counts the occurrences of `text` in the log.
    func logCount(_ text: String) -> Int {
        process.stderr.components(separatedBy: text).count - 1
    }

    func stop() {
        process.stop()
    }
}
