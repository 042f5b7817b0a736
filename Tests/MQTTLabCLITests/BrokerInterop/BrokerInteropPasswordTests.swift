import Foundation
import XCTest

/// Password files and `allow_anonymous`, with real peers: files written by `mqttlab passwd` and by
/// `mosquitto_passwd` are read by the other side, and the broker answers CONNECTs as Mosquitto 2.0 does
/// (3.1.1 CONNACK 0x05, 5.0 CONNACK 0x87 for a wrong, unknown or missing login). In reference mode the same
/// checks run against Mosquitto itself.
final class BrokerInteropPasswordTests: BrokerInteropTestCase {
    /// `mosquitto_passwd -c -b FILE alice opensesame-42` and a config with that file and `allow_anonymous false`.
    private func passwordConfig(allowAnonymous: Bool) throws -> (config: String, passwordFile: String) {
        guard let tool = InteropTools.find("mosquitto_passwd") else {
            throw XCTSkip("needs mosquitto_passwd on PATH (apt-get install -y mosquitto)")
        }
        let directory = try directory()
        let passwordFile = directory.appendingPathComponent(nextLabel("passwd")).path
        let made = try InteropProcess.run(tool, ["-c", "-b", passwordFile, "alice", "opensesame-42"], label: nextLabel("mosquitto_passwd"),
                                          directory: directory, timeout: 10)
        XCTAssertEqual(made.status, 0, made.stderr)
        let config = directory.appendingPathComponent(nextLabel("auth") + ".conf")
        try "password_file \(passwordFile)\nallow_anonymous \(allowAnonymous)\n".write(to: config, atomically: true, encoding: .utf8)
        return (config.path, passwordFile)
    }

    func testMosquittoPubLogsInOnlyWithTheRightPassword_v311() throws { try runMosquittoPubLogins(.v311, refused: 5) }
    func testMosquittoPubLogsInOnlyWithTheRightPassword_v5() throws { try runMosquittoPubLogins(.v5, refused: 0x87) }

    /// mosquitto_pub exits with the CONNACK code it got, so the status is the broker's answer.
    private func runMosquittoPubLogins(_ version: WireVersion, refused: Int32) throws {
        let broker = try startBroker(["-c", try passwordConfig(allowAnonymous: false).config])
        let clients = try mosquitto(broker, version)
        let cases: [(String, [String], Int32)] = [
            ("right password", ["-u", "alice", "-P", "opensesame-42"], 0),
            ("wrong password", ["-u", "alice", "-P", "Secret"], refused),
            ("unknown user", ["-u", "bob", "-P", "opensesame-42"], refused),
            ("no password", ["-u", "alice"], refused),
            ("anonymous", [], refused),
        ]
        for (name, credentials, expected) in cases {
            let outcome = try clients.pub(credentials + ["-t", "auth/t", "-m", "x"], expectFailure: expected != 0)
            XCTAssertEqual(outcome.status, expected, "\(name): \(outcome.stderr)")
        }
        assertBrokerAlive(broker, "after refused logins")
    }

    /// With `allow_anonymous true` and a password file, anonymous clients get in but a wrong login does not.
    func testAnonymousAllowedStillChecksGivenCredentials() throws {
        let broker = try startBroker(["-c", try passwordConfig(allowAnonymous: true).config])
        let clients = try mosquitto(broker, .v5)
        XCTAssertEqual(try clients.pub(["-t", "auth/t", "-m", "x"]).status, 0)
        XCTAssertEqual(try clients.pub(["-u", "alice", "-P", "wrong", "-t", "auth/t", "-m", "x"], expectFailure: true).status, 0x87)
    }

    func testRawConnackCodes_v311() throws { try runRawConnackCodes(.v311, refused: 0x05) }
    func testRawConnackCodes_v5() throws { try runRawConnackCodes(.v5, refused: 0x87) }

    /// The CONNACK bytes for each login, and the close after a refusal.
    private func runRawConnackCodes(_ version: WireVersion, refused: UInt8) throws {
        let broker = try startBroker(["-c", try passwordConfig(allowAnonymous: false).config])
        let cases: [(String, String?, [UInt8]?, UInt8)] = [
            ("right", "alice", Array("opensesame-42".utf8), 0x00),
            ("wrong", "alice", Array("nope".utf8), refused),
            ("unknown", "mallory", Array("opensesame-42".utf8), refused),
            ("no password", "alice", nil, refused),
            ("anonymous", nil, nil, refused),
        ]
        for (index, (name, user, password, expected)) in cases.enumerated() {
            let client = try wire(broker, version)
            let connack = try client.connect(clientID: "raw-auth-\(index)", username: user, password: password)
            XCTAssertEqual(connack.code, expected, "\(name): \(connack)")
            XCTAssertFalse(connack.sessionPresent, name)
            if version == .v311 { XCTAssertEqual(connack.raw.bytes, [0x20, 0x02, 0x00, expected], name) }
            if expected != 0 {
                XCTAssertTrue(try client.collectUntilClose().closed, "\(name): the broker closes the connection after refusing")
            }
        }
    }

    /// The trace explains the refusal and never shows the password, in summary and field views.
    func testTheTraceExplainsARefusalWithoutThePassword() throws {
        try XCTSkipIf(MQTTLabBrokerProcess.referenceMode, "mqttlab-only feature")
        for view in ["summary", "fields", "hex"] {
            let broker = try startBroker(["-c", try passwordConfig(allowAnonymous: false).config, "--trace", view])
            let clients = try mosquitto(broker, .v311)
            XCTAssertEqual(try clients.pub(["-u", "alice", "-P", "Wr0ng-Guess", "-i", "guesser", "-t", "t", "-m", "x"], expectFailure: true).status, 5)
            XCTAssertEqual(try clients.pub(["-u", "alice", "-P", "opensesame-42", "-i", "rightful", "-t", "t", "-m", "x"]).status, 0)
            XCTAssertTrue(eventually(timeout: 3) { broker.stdout.contains("wrong password for user alice") && broker.stdout.contains("rightful") },
                          "\(view): the trace says why\n\(broker.outputTail())")
            for secret in ["Wr0ng-Guess", "opensesame-42", BrokerWire.hex(Array("Wr0ng-Guess".utf8))] {
                XCTAssertFalse(broker.stdout.contains(secret), "\(view): the trace shows a password\n\(broker.outputTail())")
            }
        }
    }

    /// A plain-text line in the password file stops the broker with the file and line (exit 78).
    func testAMalformedPasswordFileStopsTheBrokerWithFileAndLine() throws {
        try XCTSkipIf(MQTTLabBrokerProcess.referenceMode, "mqttlab-only check (Mosquitto 2.0.11 drops the entry and starts)")
        guard let mqttlab = try requireMQTTLab() else { return }
        let directory = try directory()
        let passwordFile = directory.appendingPathComponent("plain-passwd").path
        try "# users\nalice:plain-secret\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let outcome = try InteropProcess.run(mqttlab, ["broker", "-p", "0", "--password-file", passwordFile, "--lang", "en"],
                                             label: nextLabel("bad-passwd"), directory: directory, timeout: 10)
        XCTAssertEqual(outcome.status, 78, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("\(passwordFile):2: user 'alice': the password is not hashed"), outcome.stderr)
        XCTAssertFalse(outcome.stderr.contains("plain-secret"), outcome.stderr)
    }
}
