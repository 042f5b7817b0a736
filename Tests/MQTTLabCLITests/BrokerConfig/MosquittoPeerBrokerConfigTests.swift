import Foundation
import MQTTLabSecurity
import XCTest

@testable import MQTTLabCLI

/// Real Mosquitto as the judge: mqttlab must never accept a configuration that `mosquitto -c FILE` rejects.
///
/// Each candidate is a config template; `{PORT}` and `{PORT2}` become free ports the OS hands out and
/// `{DIR}` a fresh folder (mode 0755, so a broker that drops from root to the `mosquitto` user can still
/// use it). Every template has `allow_anonymous true` and `log_dest stderr`. All brokers start at once;
/// after a second each one must be running with no "Error" on stderr and its first port must accept a TCP
/// connection (accepted), or must have failed (rejected). Every process is stopped, by pid, at the end.
///
/// `refuse_subscribe` is mqttlab's own key: Mosquitto rejects it, so it is removed from the copy Mosquitto
/// reads (it is the only such key; a check below keeps it that way).
final class MosquittoPeerBrokerConfigTests: XCTestCase {
    private static let header = "allow_anonymous true\nlog_dest stderr\n"
    private static let loopbackListener = header + "listener {PORT} 127.0.0.1\n"

    /// Configs mqttlab accepts; Mosquitto must start with each.
    private static var acceptedByBoth: [(name: String, template: String)] {
        let numberKeys = BrokerConfigKeys.supported.compactMap { key -> (String, ClosedRange<Int>)? in
            if case .number(let range, _) = key.kind { return (key.name, range) }
            return nil
        }
        return [
            ("classroom", BrokerConfigFixtures.classroom(port: "{PORT}", secondPort: "{PORT2}", folder: "{DIR}")),
            ("every number at its lowest", loopbackListener + numberKeys.map { "\($0.0) \($0.1.lowerBound)" }.joined(separator: "\n")
                + "\npersistent_client_expiration 1h\n"),
            ("every number at its highest", loopbackListener + numberKeys.map { "\($0.0) \($0.1.upperBound)" }.joined(separator: "\n")
                + "\npersistent_client_expiration 68y\n"),
            ("deprecated port and bind_address", header + "port {PORT}\nbind_address 127.0.0.1\nlistener {PORT2} 127.0.0.1\n"),
            ("deprecated port alone", header + "port {PORT}\n"),
            ("repeats", loopbackListener + """
                max_queued_messages 5
                max_queued_messages 6
                log_type error
                log_type warning
                log_dest stdout
                log_dest stderr
                listener {PORT2} 127.0.0.1
                persistence false
                persistence true
                persistence_location {DIR}/

                """),
            ("layout", "# comment\n\n   \n  allow_anonymous   true  \r\nlog_dest stderr\r\n#\ttab in a comment\n"
                + "listener {PORT} 127.0.0.1\npersistence_location {DIR}/with space/\nsys_interval 7"),
            ("flags, durations and logging", loopbackListener + """
                password_file {DIR}/passwd
                acl_file {DIR}/aula.acl
                allow_anonymous false
                allow_anonymous true
                persistence false
                retain_available false
                queue_qos0_messages true
                allow_zero_length_clientid false
                persistent_client_expiration 2d
                persistent_client_expiration 1w
                persistent_client_expiration 3m
                persistent_client_expiration 1y
                protocol mqtt
                connection_messages false
                log_timestamp false
                log_timestamp_format %Y-%m-%dT%H:%M:%S
                log_type all
                log_dest topic
                max_connections 0
                max_connections -1
                message_size_limit 1024

                """),
            ("a TLS listener with client certificates", loopbackListener + """
                listener {PORT2} 127.0.0.1
                cafile {DIR}/certs/ca.crt
                capath {DIR}/certs
                certfile {DIR}/certs/server.crt
                keyfile {DIR}/certs/server.key
                require_certificate true
                use_identity_as_username true
                tls_version tlsv1.2

                """),
        ]
    }

    /// Configs Mosquitto rejects; mqttlab must reject each too.
    private static let rejectedByMosquitto: [(name: String, template: String)] = [
        ("max_keepalive below 10", "max_keepalive 5"),
        ("max_keepalive above 65535", "max_keepalive 65536"),
        ("max_packet_size below 20", "max_packet_size 19"),
        ("max_inflight_messages above 65535", "max_inflight_messages 65536"),
        ("max_topic_alias above 65535", "max_topic_alias 65536"),
        ("message_size_limit above MQTT's", "message_size_limit 268435456"),
        ("negative sys_interval", "sys_interval -1"),
        ("log_facility above 7", "log_facility 8"),
        ("boolean yes", "retain_available yes"),
        ("boolean in capitals", "retain_available TRUE"),
        ("boolean missing", "persistence"),
        ("duration without unit", "persistent_client_expiration 10"),
        ("zero duration", "persistent_client_expiration 0h"),
        ("duration unit in capitals", "persistent_client_expiration 1H"),
        ("indented comment", "  # an indented comment"),
        ("tab before the key", "\tretain_available true"),
        ("tab between key and value", "retain_available\ttrue"),
        ("key in capitals", "Retain_available true"),
        ("misspelled key", "max_inflight_mesages 10"),
        ("persistence_location twice", "persistence_location {DIR}/\npersistence_location {DIR}/"),
        ("bind_address twice", "bind_address 127.0.0.1\nbind_address 127.0.0.1"),
        ("listener on a taken port", "listener {PORT}"),
        ("listener 0 without a socket path", "listener 0"),
        ("listener port too big", "listener 65536"),
        ("port 0", "port 0"),
        ("unknown log_dest", "log_dest bogus"),
        ("unknown log_type", "log_type bogus"),
        ("log_dest file without a path", "log_dest file"),
        ("allow_anonymous maybe", "allow_anonymous maybe"),
        ("protocol in capitals", "protocol MQTT"),
        ("empty log_timestamp_format", "log_timestamp_format"),
    ].map { ($0.0, loopbackListener + $0.1 + "\n") }

    /// One broker being judged.
    private struct Run {
        var name: String
        var template: String
        var config: String
        var ports: [Int]
        var process: InteropProcess
    }

    private struct Verdict {
        var accepted: Bool
        var why: String
    }

    func testMqttlabNeverAcceptsAConfigMosquittoRejects() throws {
        guard let mosquitto = InteropTools.find("mosquitto") else {
            throw XCTSkip("mosquitto is not installed, so mqttlab's config parser is not compared with it (apt-get install -y mosquitto)")
        }
        let directory = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-config-peer")
        // Mosquitto refuses to start when password_file names a missing file: one user, as mosquitto_passwd writes it.
        try "alice:$7$101$6xo0/sqR40GBcll6$vjrPIHFPbTTP4Thv1T9701tYvAMSmQh6YACNwYsJRENLiqGZvCsCDJTYYgXuELjs+fbuYyV07HmA2xz3n7bFHw==\n"
            .write(to: directory.appendingPathComponent("passwd"), atomically: true, encoding: .utf8)
        // And an ACL file, which both brokers read at start.
        try "user alice\ntopic readwrite casa/#\npattern read clientes/%c/#\n"
            .write(to: directory.appendingPathComponent("aula.acl"), atomically: true, encoding: .utf8)
        // The TLS listener's files, from the teaching CA; readable by the user Mosquitto drops to.
        let certs = TeachingCA(directory: directory.appendingPathComponent("certs").path)
        try certs.initialize()
        for path in [certs.serverKeyPath, certs.caKeyPath] {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        }
        var runs: [Run] = []
        defer {
            for run in runs { run.process.stop() }
            try? FileManager.default.removeItem(at: directory)
        }

        // mqttlab's side first: the accepted ones parse, the rejected ones do not.
        for (name, template) in Self.acceptedByBoth {
            let text = Self.fill(template, ports: [1883, 1884], directory: directory)
            if case .failure(let errors) = BrokerConfigFile.parse(text: text, path: name) {
                XCTFail("mqttlab should accept \"\(name)\":\n\(errors.text(.en))")
            }
        }
        for (name, template) in Self.rejectedByMosquitto {
            let text = Self.fill(template, ports: [1883, 1884], directory: directory)
            if case .success = BrokerConfigFile.parse(text: text, path: name) {
                XCTFail("mqttlab accepts \"\(name)\", which Mosquitto rejects:\n\(text)")
            }
        }

        // Mosquitto's side, all brokers at once; accepted ones that lost a port race get two more tries.
        var pending = Self.acceptedByBoth.map { ($0, true) } + Self.rejectedByMosquitto.map { ($0, false) }
        for attempt in 1...3 where !pending.isEmpty {
            var batch: [(run: Run, shouldAccept: Bool)] = []
            for ((name, template), shouldAccept) in pending {
                let run = try Self.start(mosquitto, name: name, template: template, attempt: attempt, directory: directory)
                runs.append(run)
                batch.append((run, shouldAccept))
            }
            Thread.sleep(forTimeInterval: 1.2)
            pending = []
            for (run, shouldAccept) in batch {
                let verdict = Self.judge(run)
                run.process.stop()
                if verdict.accepted == shouldAccept { continue }
                if shouldAccept, attempt < 3, verdict.why.contains("Address already in use") {
                    pending.append(((run.name, run.template), true))
                    continue
                }
                if shouldAccept {
                    XCTFail("mqttlab accepts \"\(run.name)\" but Mosquitto rejected it: \(verdict.why)\nconfig:\n\(run.config)")
                } else {
                    XCTFail("the \"\(run.name)\" case expects Mosquitto to reject it, but it started; fix the case\nconfig:\n\(run.config)")
                }
            }
        }
    }

    /// The accepted configs between them use every supported key Mosquitto knows.
    func testThePeerConfigsCoverEverySupportedKey() {
        let used = Set(Self.acceptedByBoth.flatMap { $0.template.split(whereSeparator: \.isNewline) }
            .map { $0.drop(while: { $0 == " " }) }
            .filter { !$0.hasPrefix("#") && !$0.isEmpty }
            .map { String($0.split(separator: " ")[0]) })
        let mosquittoKeys = Set(BrokerConfigKeys.supported.map(\.name)).subtracting(BrokerConfigKeys.mqttlabOnly)
        XCTAssertEqual(mosquittoKeys.subtracting(used), [], "keys never shown to Mosquitto")
        XCTAssertEqual(BrokerConfigKeys.mqttlabOnly, ["refuse_subscribe"])
    }

    private static func fill(_ template: String, ports: [Int], directory: URL) -> String {
        template.replacingOccurrences(of: "{PORT2}", with: String(ports[1]))
            .replacingOccurrences(of: "{PORT}", with: String(ports[0]))
            .replacingOccurrences(of: "{DIR}", with: directory.path)
    }

    private static func start(_ mosquitto: URL, name: String, template: String, attempt: Int, directory: URL) throws -> Run {
        let ports = [try InteropTools.freePort(), try InteropTools.freePort()]
        let config = fill(template, ports: ports, directory: directory)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("refuse_subscribe") }
            .joined(separator: "\n")
        let label = name.map { $0.isLetter || $0.isNumber ? $0 : "-" }.reduce(into: "") { $0.append($1) } + "-\(attempt)"
        let file = directory.appendingPathComponent("\(label).conf")
        try config.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let process = try InteropProcess(mosquitto, ["-c", file.path], label: label, directory: directory)
        return Run(name: name, template: template, config: config, ports: ports, process: process)
    }

    /// Started: still running, no error printed, and its first listener (every template puts one on
    /// `{PORT}`, on loopback or on every address) answers.
    private static func judge(_ run: Run) -> Verdict {
        let stderr = run.process.stderr
        guard run.process.isRunning else {
            return Verdict(accepted: false, why: "it exited (\(run.process.exitStatus.map(String.init) ?? "?")): \(stderr.suffix(400))")
        }
        if stderr.contains("Error") { return Verdict(accepted: false, why: String(stderr.suffix(400))) }
        guard InteropTools.canConnect(port: run.ports[0]) else {
            return Verdict(accepted: false, why: "nothing listens on port \(run.ports[0]): \(stderr.suffix(400))")
        }
        return Verdict(accepted: true, why: "")
    }
}
