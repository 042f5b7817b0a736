import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A broker the client tests run against: Mosquitto, or mqttlab's own broker (both as child processes on
/// a free port).
enum ClientTestBroker: String, CaseIterable {
    case mosquitto, mqttlab
}

/// Runs `mqttlab pub|sub|rr` next to `mosquitto_pub|sub|rr` against a real broker. Every child process
/// is stopped in `tearDown`; the work folder is kept when a test fails.
class ClientInteropTestCase: XCTestCase {
    private var workDirectory: URL?
    private var mosquittos: [Mosquitto] = []
    private var brokers: [MQTTLabBrokerProcess] = []
    private var background: [InteropProcess] = []
    private var labelCounter = 0

    override func tearDown() {
        for child in background { child.stop(signal: SIGKILL, grace: 2) }
        for broker in mosquittos { broker.stop() }
        for broker in brokers { _ = broker.stop() }
        background.removeAll()
        mosquittos.removeAll()
        brokers.removeAll()
        let failed = (testRun?.failureCount ?? 0) + (testRun?.unexpectedExceptionCount ?? 0) > 0
        if let workDirectory {
            if failed { print("client interop: kept \(workDirectory.path)") } else { try? FileManager.default.removeItem(at: workDirectory) }
        }
        workDirectory = nil
        super.tearDown()
    }

    func directory() throws -> URL {
        if let workDirectory { return workDirectory }
        let url = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-client-interop")
        workDirectory = url
        return url
    }

    func label(_ prefix: String) -> String {
        labelCounter += 1
        return "\(prefix)-\(labelCounter)"
    }

    // MARK: Tools

    func mqttlab() throws -> URL {
        let (url, searched) = InteropTools.mqttlabBinary()
        guard let url else { throw InteropError("mqttlab binary not found; build it with `swift build`. Searched:\n  " + searched.joined(separator: "\n  ")) }
        return url
    }

    func tool(_ name: String) throws -> URL {
        guard let url = InteropTools.find(name) else {
            throw XCTSkip("client interop test needs \(name) on PATH (apt-get install -y mosquitto mosquitto-clients)")
        }
        return url
    }

    /// Starts a broker and returns its port.
    func start(_ broker: ClientTestBroker, users: [String: String] = [:], extraConfig: [String] = []) throws -> Int {
        switch broker {
        case .mosquitto:
            let server = try Mosquitto(executable: try tool("mosquitto"), passwdTool: InteropTools.find("mosquitto_passwd"),
                                       directory: try directory(), options: .init(users: users, extraConfig: extraConfig))
            mosquittos.append(server)
            return server.port
        case .mqttlab:
            let server = try MQTTLabBrokerProcess(executable: try mqttlab(), arguments: ["broker", "-p", "0", "--trace", "off", "--lang", "en"],
                                                  directory: try directory(), label: label("broker"))
            brokers.append(server)
            return server.port
        }
    }

    // MARK: Running clients

    /// `mqttlab <arguments>` to completion.
    func lab(_ arguments: [String], timeout: TimeInterval = 15, stdin: String? = nil) throws -> InteropProcess.Outcome {
        if let stdin { return try viaShell(try mqttlab().path, arguments, stdin: stdin, timeout: timeout) }
        return try InteropProcess.run(try mqttlab(), arguments, label: label("mqttlab"), directory: try directory(), timeout: timeout)
    }

    /// A Mosquitto client (`mosquitto_pub`, `mosquitto_sub`, `mosquitto_rr`) to completion.
    func mosquitto(_ name: String, _ arguments: [String], timeout: TimeInterval = 15, stdin: String? = nil) throws -> InteropProcess.Outcome {
        if let stdin { return try viaShell(try tool(name).path, arguments, stdin: stdin, timeout: timeout) }
        return try InteropProcess.run(try tool(name), arguments, label: label(name), directory: try directory(), timeout: timeout)
    }

    /// Runs `executable arguments < file` through /bin/sh, the input written to a file first.
    private func viaShell(_ executable: String, _ arguments: [String], stdin: String, timeout: TimeInterval) throws -> InteropProcess.Outcome {
        let input = try directory().appendingPathComponent(label("stdin"))
        try stdin.write(to: input, atomically: true, encoding: .utf8)
        let command = ([executable] + arguments).map(Self.quote).joined(separator: " ") + " < " + Self.quote(input.path)
        return try InteropProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", command], label: label("sh"), directory: try directory(), timeout: timeout)
    }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Makes `child` this test's to stop in `tearDown`.
    func ownBackground(_ child: InteropProcess) {
        background.append(child)
    }

    /// A subscriber left running: `mqttlab sub` or `mosquitto_sub` with `-d`, waited for until its SUBACK.
    /// Mosquitto's clients run through `stdbuf -oL` (their stdout is block-buffered into a file otherwise).
    func backgroundSubscriber(_ executable: URL, _ arguments: [String]) throws -> InteropProcess {
        let child: InteropProcess
        if executable.lastPathComponent.hasPrefix("mosquitto") {
            guard let stdbuf = InteropTools.find("stdbuf") else { throw XCTSkip("needs stdbuf (coreutils) to read mosquitto_sub's output live") }
            child = try InteropProcess(stdbuf, ["-oL", executable.path] + arguments + ["-d"], label: label("sub"), directory: try directory())
        } else {
            child = try InteropProcess(executable, arguments + ["-d"], label: label("sub"), directory: try directory())
        }
        background.append(child)
        guard child.waitUntil(timeout: 10, { String(decoding: child.stdoutData, as: UTF8.self).contains("received SUBACK") }) else {
            throw InteropError("\(child.commandLine) got no SUBACK\nstdout: \(child.stdout.suffix(600))\nstderr: \(child.stderr.suffix(600))")
        }
        return child
    }

    /// A subscriber's output without its `-d` lines: only what it printed for the messages.
    static func messageOutput(_ child: InteropProcess) -> String {
        // Binary payloads are not UTF-8: decode with replacement characters, the same way on both sides.
        messageOutput(String(decoding: child.stdoutData, as: UTF8.self))
    }

    static func messageOutput(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("Client ") && !$0.hasPrefix("Subscribed (mid") }
            .joined(separator: "\n")
    }

    /// The version flags for both clients.
    static func versionFlag(_ v5: Bool) -> [String] { ["-V", v5 ? "mqttv5" : "mqttv311"] }
}
