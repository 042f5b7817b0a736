import Foundation
import XCTest

/// Everything one interop scenario runs against: a private broker, a loopback capture of its port, and the
/// mosquitto clients pointed at it.
struct InteropScenario {
    let broker: Mosquitto
    let clients: MosquittoClients
    let directory: URL
    var port: Int { broker.port }

    /// Waits until the broker has acknowledged a subscription of `clientID` (from its log).
    func waitForSubscription(_ clientID: String, count: Int = 1, timeout: TimeInterval = 5) throws {
        let needle = "Sending SUBACK to \(clientID)\n"
        let ready = waitUntil(timeout: timeout) { broker.logCount(needle) >= count }
        guard ready else { throw InteropError("no SUBACK to \(clientID) within \(timeout) s; broker log:\n\(broker.log.suffix(1200))") }
    }

    /// Waits until `clientID` is connected (from the broker log).
    func waitForConnection(_ clientID: String, timeout: TimeInterval = 5) throws {
        guard broker.waitForLog(" as \(clientID) (", timeout: timeout) else {
            throw InteropError("\(clientID) did not connect within \(timeout) s; broker log:\n\(broker.log.suffix(1200))")
        }
    }

    func waitUntil(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}

/// Base class of the interop tests: runs a scenario under a capture, dissects the capture with tshark and with
/// `mqttlab decode --pcap FILE --json`, and fails with a field-by-field diff when they disagree.
///
/// Skips (XCTSkip) when mosquitto, mosquitto_pub/sub or tshark are missing or capturing on `lo` is not allowed.
/// Fails (never skips) when the `mqttlab` binary is missing: `swift test` builds it next to the test bundle.
/// Every process is stopped in `tearDown` even when the test fails; the temp folder (config, logs, capture,
/// both decodes) is kept and its path printed when the test fails, removed otherwise.
class InteropTestCase: XCTestCase {
    private var workDirectory: URL?
    private var brokers: [Mosquitto] = []
    private var captures: [TsharkCapture] = []
    private var clientSets: [MosquittoClients] = []
    private var cachedFieldTypes: [String: String]?

    override func tearDown() {
        for clients in clientSets { clients.stopAll() }
        for capture in captures { capture.stop() }
        for broker in brokers { broker.stop() }
        clientSets.removeAll()
        captures.removeAll()
        brokers.removeAll()
        if let workDirectory {
            let failed = (testRun?.failureCount ?? 0) + (testRun?.unexpectedExceptionCount ?? 0) > 0
            if failed {
                print("interop: kept \(workDirectory.path) (capture.pcapng, tshark-read.stdout = tshark JSON, mqttlab.jsonl, diff.txt, logs)")
            } else {
                try? FileManager.default.removeItem(at: workDirectory)
            }
        }
        workDirectory = nil
        super.tearDown()
    }

    /// The tools or a skip.
    func requireTools() throws -> [String: URL] {
        let tools = try InteropTools.require(["mosquitto", "mosquitto_pub", "mosquitto_sub", "tshark"])
        return tools
    }

    /// The mqttlab binary, or a thrown error — a failure, not a skip.
    func requireMQTTLab() throws -> URL {
        let (url, searched) = InteropTools.mqttlabBinary()
        guard let url else {
            let message = "mqttlab binary not found; build it with `swift build` (or set MQTTLAB_BIN). Searched:\n  "
                + searched.joined(separator: "\n  ")
            throw InteropError(message)  // a thrown error fails the test: in CI the binary must exist
        }
        return url
    }

    /// Runs `body` against a fresh broker under a loopback capture, then checks that mqttlab decodes every MQTT
    /// packet of the capture like tshark does.
    ///
    /// - Parameters:
    ///   - expectedTypes: packet types tshark must have seen at least once (guards against a vacuous pass).
    ///   - users: user → password for the broker's password file (anonymous access is then refused).
    func runInteropScenario(
        _ version: InteropMQTTVersion,
        users: [String: String] = [:],
        extraConfig: [String] = [],
        expectedTypes: [String],
        file: StaticString = #filePath,
        line: UInt = #line,
        _ body: (InteropScenario) throws -> Void
    ) throws {
        let tools = try requireTools()
        let passwd = InteropTools.find("mosquitto_passwd")
        if !users.isEmpty, passwd == nil {
            throw XCTSkip("this interop test needs mosquitto_passwd (package mosquitto)")
        }
        let mqttlab = try requireMQTTLab()
        let directory = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-interop-\(version.rawValue)")
        workDirectory = directory

        let broker = try Mosquitto(
            executable: tools["mosquitto"]!, passwdTool: passwd, directory: directory,
            options: .init(users: users, extraConfig: extraConfig)
        )
        brokers.append(broker)
        let capture = try TsharkCapture(tshark: tools["tshark"]!, port: broker.port, directory: directory)
        captures.append(capture)
        let clients = MosquittoClients(
            pub: tools["mosquitto_pub"]!, sub: tools["mosquitto_sub"]!, port: broker.port, version: version, directory: directory
        )
        clientSets.append(clients)

        try body(InteropScenario(broker: broker, clients: clients, directory: directory))
        clients.stopAll()
        let pcap = try capture.finish()
        try compareWithTshark(
            capture: pcap, port: broker.port, tshark: tools["tshark"]!, mqttlab: mqttlab, directory: directory,
            expectedTypes: expectedTypes, file: file, line: line
        )
    }

    /// Dissects `capture` with both tools and reports every difference in one failure.
    func compareWithTshark(
        capture: URL, port: Int, tshark: URL, mqttlab: URL, directory: URL, expectedTypes: [String],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let oracle = TsharkOracle(tshark: tshark)
        let reference = try oracle.decode(capture: capture, port: port, directory: directory)
        let seenTypes = Set(reference.map(\.typeName))
        let missingTypes = expectedTypes.filter { !seenTypes.contains($0) }
        guard missingTypes.isEmpty else {
            XCTFail("scenario did not produce \(missingTypes) (tshark saw \(seenTypes.sorted())); capture kept in \(directory.path)",
                    file: file, line: line)
            return
        }
        let types = try fieldTypes(tshark: tshark, directory: directory)
        let decoded: [MQTTLabDecodedPacket]
        do {
            decoded = try MQTTLabDecodeRunner(binary: mqttlab).decode(capture: capture, directory: directory)
        } catch {
            XCTFail("mqttlab decode failed on \(capture.path): \(error)", file: file, line: line)
            return
        }
        try? decoded.map(\.rawLine).joined(separator: "\n").write(
            to: directory.appendingPathComponent("mqttlab.jsonl"), atomically: true, encoding: .utf8)
        let report = InteropFieldComparison(fieldTypes: types).compare(tshark: reference, mqttlab: decoded)
        if ProcessInfo.processInfo.environment["MQTTLAB_INTEROP_VERBOSE"] != nil {
            print("interop \(name):\n" + report.render())
        }
        XCTAssertGreaterThan(report.comparedFields, 0, "nothing was compared: tshark saw \(reference.count) MQTT packets", file: file, line: line)
        if !report.isClean {
            let text = report.render()
            try? text.write(to: directory.appendingPathComponent("diff.txt"), atomically: true, encoding: .utf8)
            XCTFail("mqttlab disagrees with tshark on \(capture.path) (decode with: tshark -r FILE -d tcp.port==\(port),mqtt -T json)\n"
                    + text, file: file, line: line)
        }
    }

    private func fieldTypes(tshark: URL, directory: URL) throws -> [String: String] {
        if let cachedFieldTypes { return cachedFieldTypes }
        let types = try InteropFieldTypeCache.shared.types(tshark: tshark, directory: directory)
        cachedFieldTypes = types
        return types
    }
}

/// `tshark -G fields` takes a moment; read it once per test process.
///
/// `@unchecked Sendable` is safe: the only stored `var`, `types`, is read and written exclusively between
/// `lock.lock()` and `lock.unlock()` in `types(tshark:directory:)`.
final class InteropFieldTypeCache: @unchecked Sendable {
    static let shared = InteropFieldTypeCache()
    private let lock = NSLock()
    private var types: [String: String]?

    func types(tshark: URL, directory: URL) throws -> [String: String] {
        lock.lock()
        defer { lock.unlock() }
        if let types { return types }
        let loaded = try TsharkOracle.fieldTypes(tshark: tshark, directory: directory)
        types = loaded
        return loaded
    }
}
