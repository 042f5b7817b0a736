import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A message as `mosquitto_sub -F 'MSG|%t|%q|%r|%x'` printed it.
struct SubLine: Equatable, CustomStringConvertible {
    var topic: String
    var qos: Int
    var retain: Bool
    var payload: String

    /// `MosquittoSub.format` lines of `text` (debug lines and others are skipped).
    static func parse(_ text: String) -> [SubLine] {
        text.split(separator: "\n").compactMap { line -> SubLine? in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
            guard fields.count == 5, fields[0] == "MSG", let qos = Int(fields[2]) else { return nil }
            var bytes: [UInt8] = []
            var hex = Substring(fields[4])
            while hex.count >= 2 {
                bytes.append(UInt8(hex.prefix(2), radix: 16) ?? 0x3F)
                hex = hex.dropFirst(2)
            }
            return SubLine(topic: String(fields[1]), qos: qos, retain: fields[3] == "1", payload: String(decoding: bytes, as: UTF8.self))
        }
    }

    var description: String { "\(topic) q\(qos) r\(retain ? 1 : 0) \"\(payload)\"" }
}

/// `mosquitto_sub` running in the background with line-buffered debug output, so the test can wait for its SUBACK.
final class BackgroundSubscriber {
    let process: InteropProcess
    let clientID: String

    init(process: InteropProcess, clientID: String) {
        self.process = process
        self.clientID = clientID
    }

    var messages: [SubLine] { SubLine.parse(process.stdout) }

    /// Waits until mosquitto_sub has printed "received SUBACK"; throws with its output if it exits or times out.
    func waitForSubscription(timeout: TimeInterval = 5) throws {
        let acked = process.waitUntil(timeout: timeout) { process.stdout.contains("\(clientID) received SUBACK") }
        guard acked else {
            throw InteropError("mosquitto_sub \(clientID) got no SUBACK within \(timeout) s (running: \(process.isRunning))\nstdout: \(process.stdout.suffix(800))\nstderr: \(process.stderr.suffix(400))")
        }
    }

    /// Waits until `count` messages were printed.
    func waitForMessages(_ count: Int, timeout: TimeInterval = 5) -> [SubLine] {
        _ = process.waitUntil(timeout: timeout) { messages.count >= count }
        return messages
    }

    /// Waits (≤ `timeout`) for mosquitto_sub to exit by itself (`-C n`); returns its exit status.
    func waitForExit(timeout: TimeInterval = 8) -> Int32? {
        process.waitForExit(timeout: timeout) ? process.exitStatus : nil
    }
}

/// Base class of the `mqttlab broker` end-to-end tests: a fresh broker per test on a free port, real clients
/// (mosquitto_pub/sub, paho-mqtt) and hand-built packets against it.
///
/// Skips (XCTSkip) when mosquitto_pub/sub or python3 + paho-mqtt 2.x are missing; fails when the `mqttlab` binary is
/// missing. `tearDown` closes every socket, stops every client, then stops every broker with SIGTERM and fails the
/// test unless the broker exited cleanly (status 0). The work folder (broker stdout/stderr, client output, Python
/// scripts) is kept and printed when a test fails.
class BrokerInteropTestCase: XCTestCase {
    private var workDirectory: URL?
    private var brokers: [MQTTLabBrokerProcess] = []
    private var clientSets: [MosquittoClients] = []
    private var background: [InteropProcess] = []
    private var wires: [BrokerWireClient] = []
    private var labelCounter = 0

    override func tearDown() {
        for wire in wires { wire.close() }
        for child in background { child.stop(signal: SIGKILL, grace: 2) }
        for clients in clientSets { clients.stopAll() }
        wires.removeAll()
        background.removeAll()
        clientSets.removeAll()
        for broker in brokers {
            let outcome = broker.stop()
            if !outcome.isClean {
                XCTFail("\(outcome) — expected a clean exit (status 0) on SIGTERM.\n\(broker.outputTail())")
            }
        }
        let failed = (testRun?.failureCount ?? 0) + (testRun?.unexpectedExceptionCount ?? 0) > 0
        if failed {
            for broker in brokers { print("broker interop \(name): \(broker.outputTail(4000))") }
        }
        brokers.removeAll()
        if let workDirectory {
            if failed {
                print("broker interop: kept \(workDirectory.path) (broker and client output, paho scripts)")
            } else {
                try? FileManager.default.removeItem(at: workDirectory)
            }
        }
        workDirectory = nil
        super.tearDown()
    }

    // MARK: - Setup helpers

    func directory() throws -> URL {
        if let workDirectory { return workDirectory }
        let url = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-broker-interop")
        workDirectory = url
        return url
    }

    func nextLabel(_ prefix: String) -> String {
        labelCounter += 1
        return "\(prefix)-\(labelCounter)"
    }

    /// The `mqttlab` binary, or a thrown error (a failure, not a skip: `swift test` builds it next to the tests).
    func requireMQTTLab() throws -> URL? {
        if MQTTLabBrokerProcess.referenceMode { return nil }
        let (url, searched) = InteropTools.mqttlabBinary()
        guard let url else {
            throw InteropError("mqttlab binary not found; build it with `swift build` (or set MQTTLAB_BIN). Searched:\n  "
                + searched.joined(separator: "\n  "))
        }
        return url
    }

    /// Starts `mqttlab broker -p 0 --trace off --lang en <extra>` (`--trace`/`--lang` from `extra` win).
    @discardableResult
    func startBroker(_ extra: [String] = []) throws -> MQTTLabBrokerProcess {
        let binary = try requireMQTTLab()
        var arguments = ["broker", "-p", "0"]
        if !extra.contains("--trace") { arguments += ["--trace", "off"] }
        if !extra.contains("--lang") { arguments += ["--lang", "en"] }  // the banner and trace wording the tests expect
        arguments += extra
        let broker = try MQTTLabBrokerProcess.start(
            mqttlab: binary, arguments: arguments, directory: try directory(), label: nextLabel("broker")
        )
        brokers.append(broker)
        return broker
    }

    /// The mosquitto clients pointed at `broker`, or an XCTSkip.
    func mosquitto(_ broker: MQTTLabBrokerProcess, _ version: WireVersion) throws -> MosquittoClients {
        let (pub, sub) = try Self.mosquittoTools()
        let clients = MosquittoClients(pub: pub, sub: sub, port: broker.port, version: version.mosquitto, directory: try directory())
        clientSets.append(clients)
        return clients
    }

    static func mosquittoTools() throws -> (pub: URL, sub: URL) {
        guard let pub = InteropTools.find("mosquitto_pub"), let sub = InteropTools.find("mosquitto_sub") else {
            throw XCTSkip("broker interop test needs mosquitto_pub and mosquitto_sub on PATH (apt-get install -y mosquitto-clients)")
        }
        return (pub, sub)
    }

    /// The paho runner for `broker`, or an XCTSkip.
    func paho(_ broker: MQTTLabBrokerProcess) throws -> PahoRunner {
        PahoRunner(python: try PahoRunner.locate(), port: broker.port, directory: try directory())
    }

    /// A raw connection (closed in tearDown).
    func wire(_ broker: MQTTLabBrokerProcess, _ version: WireVersion) throws -> BrokerWireClient {
        let client = try BrokerWireClient(port: broker.port, version: version)
        wires.append(client)
        return client
    }

    /// Starts `mosquitto_sub -d -F 'MSG|%t|%q|%r|%x' -i clientID <arguments>` in the background (line-buffered
    /// through `stdbuf` when available) and, unless `waitForSubscription` is false, waits for its SUBACK.
    /// `port` picks another of the broker's listeners.
    func startSubscriber(
        _ broker: MQTTLabBrokerProcess, _ version: WireVersion, clientID: String, _ arguments: [String],
        waitForSubscription: Bool = true, port: Int? = nil
    ) throws -> BackgroundSubscriber {
        let (_, sub) = try Self.mosquittoTools()
        let subArguments = ["-h", "127.0.0.1", "-p", String(port ?? broker.port), "-V", version.mosquitto.rawValue,
                            "-d", "-F", "MSG|%t|%q|%r|%x", "-i", clientID] + arguments
        let child: InteropProcess
        if let stdbuf = InteropTools.find("stdbuf") {
            child = try InteropProcess(stdbuf, ["-oL", sub.path] + subArguments, label: nextLabel("mosquitto_sub-\(clientID)"), directory: try directory())
        } else {
            child = try InteropProcess(sub, subArguments, label: nextLabel("mosquitto_sub-\(clientID)"), directory: try directory())
        }
        background.append(child)
        let subscriber = BackgroundSubscriber(process: child, clientID: clientID)
        if waitForSubscription {
            if InteropTools.find("stdbuf") == nil {
                usleep(800_000)  // without stdbuf the debug lines are block-buffered: give the SUBSCRIBE time
            } else {
                try subscriber.waitForSubscription()
            }
        }
        return subscriber
    }

    /// `mosquitto_sub -F 'MSG|%t|%q|%r|%x' <arguments>` run to completion; returns the messages and exit status.
    func subscribeAndCollect(
        _ clients: MosquittoClients, _ arguments: [String], timeout: TimeInterval = 10
    ) throws -> (messages: [SubLine], status: Int32) {
        let outcome = try clients.sub(["-F", "MSG|%t|%q|%r|%x"] + arguments, expectFailure: true, timeout: timeout)
        return (SubLine.parse(outcome.stdoutText), outcome.status)
    }

    /// Asserts the broker process is still running (robustness tests).
    func assertBrokerAlive(_ broker: MQTTLabBrokerProcess, _ context: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(broker.isRunning, "the broker died (\(context))\n\(broker.outputTail())", file: file, line: line)
    }

    /// Polls `condition` every 20 ms for up to `timeout` seconds.
    func eventually(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}
