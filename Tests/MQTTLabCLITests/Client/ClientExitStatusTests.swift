import Foundation
import XCTest

/// `mqttlab pub|sub` end with the status and message Mosquitto's clients end with: usage errors,
/// refused connections (username/password), no broker.
final class ClientExitStatusTests: ClientInteropTestCase {
    func testUsernamePasswordAndRefusalsMatchMosquittoClients() throws {
        let port = try start(.mosquitto, users: ["ana": "secreta"])
        for v5 in [false, true] {
            let version = Self.versionFlag(v5)
            let good = try lab(["pub", "-p", "\(port)", "-t", "a", "-m", "x", "-u", "ana", "-P", "secreta"] + version)
            XCTAssertEqual(good.status, 0, good.stderr)
            for credentials in [["-u", "ana", "-P", "wrong"], []] {
                let arguments = ["-p", "\(port)", "-t", "a", "-m", "x"] + credentials + version
                let ours = try lab(["pub"] + arguments)
                let theirs = try mosquitto("mosquitto_pub", arguments)
                XCTAssertEqual(ours.status, theirs.status, "v5=\(v5) \(credentials): the CONNACK code")
                XCTAssertEqual(ours.status, v5 ? 135 : 5)
                XCTAssertEqual(ours.stderr, theirs.stderr, "v5=\(v5): the same message")
            }
        }
    }

    func testUsageErrorsMatchMosquittoClients() throws {
        let cases: [(String, [String])] = [
            ("pub", ["-t", "a"]),
            ("pub", ["-m", "x"]),
            ("pub", ["-t", "a/+", "-m", "x"]),
            ("pub", ["-t", "a", "-m", "x", "-q", "3"]),
            ("pub", ["-t", "a", "-m", "x", "-k", "3"]),
            ("pub", ["-t", "a", "-m", "x", "-c"]),
            ("sub", []),
            ("sub", ["-t", "a", "-C", "0"]),
            ("sub", ["-t", "a/#/b"]),
            ("sub", ["-t", "a", "-V", "7"]),
            ("sub", ["-t", "a", "--will-payload", "x"]),
        ]
        for (command, arguments) in cases {
            let ours = try lab([command] + arguments)
            let theirs = try mosquitto("mosquitto_\(command)", arguments)
            XCTAssertEqual(ours.status, 1, "\(command) \(arguments)")
            XCTAssertEqual(ours.status, theirs.status, "\(command) \(arguments)")
            XCTAssertEqual(ours.stderr.split(separator: "\n").first, theirs.stderr.split(separator: "\n").first,
                           "\(command) \(arguments): the first line of the error")
        }
    }

    func testNoBrokerIsStatusOneLikeMosquitto() throws {
        let port = try InteropTools.freePort()
        for command in ["pub", "sub"] {
            let arguments = ["-p", "\(port)", "-t", "a"] + (command == "pub" ? ["-m", "x"] : [])
            let ours = try lab([command] + arguments)
            let theirs = try mosquitto("mosquitto_\(command)", arguments)
            XCTAssertEqual(ours.status, theirs.status)
            XCTAssertEqual(ours.stderr, theirs.stderr)
        }
    }

    func testShellScriptForMosquittoClientsRunsUnchangedWithMqttlab() throws {
        // A script as a tutorial writes it; only the two command names change.
        let script = #"""
            set -e
            $PUB -h 127.0.0.1 -p "$PORT" -t casa/luz -m ON -q 1 -r
            $SUB -h 127.0.0.1 -p "$PORT" -t 'casa/#' -v -C 1 -W 5
            $PUB -h 127.0.0.1 -p "$PORT" -t casa/luz -r -n
            $SUB -h 127.0.0.1 -p "$PORT" -t 'casa/#' -C 1 -W 1 || echo "status $?"
            echo "sensor 21.5" | $PUB -p "$PORT" -t casa/temp -l -q 2 -i sensor
            """#
        for broker in ClientTestBroker.allCases {
            let port = try start(broker)
            let file = try directory().appendingPathComponent("tutorial.sh")
            try script.write(to: file, atomically: true, encoding: .utf8)
            func run(_ pub: String, _ sub: String) throws -> InteropProcess.Outcome {
                let command = "PORT=\(port) PUB=\(Self.quote(pub)) SUB=\(Self.quote(sub)) /bin/sh \(Self.quote(file.path))"
                return try InteropProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", command], label: label("script"),
                                              directory: try directory(), timeout: 30)
            }
            let theirs = try run(try tool("mosquitto_pub").path, try tool("mosquitto_sub").path)
            let ours = try run(try mqttlab().path + " pub", try mqttlab().path + " sub")
            XCTAssertEqual(theirs.stdoutText, "casa/luz ON\nstatus 27\n", "the script itself, on Mosquitto's clients")
            XCTAssertEqual(ours.stdoutText, theirs.stdoutText, "\(broker)")
            XCTAssertEqual(ours.stderr, theirs.stderr, "\(broker)")
            XCTAssertEqual(ours.status, theirs.status, "\(broker)")
        }
    }

    func testQoSOverTheBrokersMaximumIsNotSentAndDebugLinesUseTheAssignedID() throws {
        let port = try start(.mosquitto, extraConfig: ["max_qos 1"])
        let arguments = ["-p", "\(port)", "-V", "5", "-t", "a", "-m", "x", "-q", "2", "-d"]
        let ours = try lab(["pub"] + arguments)
        let theirs = try mosquitto("mosquitto_pub", arguments)
        func normalized(_ text: String) -> String {
            text.replacingOccurrences(of: #"auto-[0-9A-F-]+"#, with: "auto-ID", options: .regularExpression)
        }
        XCTAssertEqual(normalized(theirs.stdoutText), """
            Client (null) sending CONNECT
            Client auto-ID received CONNACK (0)
            Client auto-ID sending DISCONNECT

            """)
        XCTAssertEqual(normalized(ours.stdoutText), normalized(theirs.stdoutText))
        XCTAssertEqual(ours.stderr, theirs.stderr)
        XCTAssertEqual(ours.status, theirs.status)
    }
}
