import Foundation
import MQTTLabExercises
import XCTest
@testable import MQTTLabCLI

#if canImport(Glibc)
import Glibc
#endif

/// `program` exercises: the student's program (a shell script around mqttlab's client, a paho-mqtt script)
/// runs against the checker's broker while the scenario plays; a wrong program fails with the step that
/// did not happen and the program's output; the program's whole process group is gone afterwards.
final class ExerciseProgramSolutionTests: XCTestCase {
    static let programs: Set<String> = ["thermostat", "light-confirm"]
    typealias S = ExerciseTestSupport

    private var directory: URL!

    override func setUpWithError() throws {
        directory = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-program")
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// A smart bulb in sh: confirms each command on …/estado, retained (or, wrongly, not retained).
    private func bulb(retained: Bool) throws -> [String] {
        let mqttlab = try CommandRunner.locate().binary.path
        let pidFile = directory.appendingPathComponent("bulb.pid").path
        let script = """
            echo $$ > '\(pidFile)'
            '\(mqttlab)' sub -h "$MQTT_HOST" -p "$MQTT_PORT" -t 'casa/+/luz/set' -F '%t %p' | while read topic payload; do
              '\(mqttlab)' pub -h "$MQTT_HOST" -p "$MQTT_PORT" -t "${topic%/set}/estado" -m "$payload" \(retained ? "-r" : "")
            done
            """
        return ["/bin/sh", "-c", script]
    }

    func testLightConfirmInShell() async throws {
        let exercise = try S.exercise("light-confirm")
        let right = try await S.check(exercise, timeout: 15, program: try bulb(retained: true))
        XCTAssertEqual(right.outcome, .passed, right.explanation)
        // The whole process group (sh, mqttlab sub, the loop's subshell) is gone.
        let pid = try XCTUnwrap(Int32(String(contentsOfFile: directory.appendingPathComponent("bulb.pid").path, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertEqual(kill(-pid, 0), -1, "the program's process group still has processes")

        let wrong = try await S.check(exercise, timeout: 15, program: try bulb(retained: false))
        XCTAssertEqual(wrong.outcome, .failed)
        XCTAssertTrue(wrong.explanation.contains("step 3: expected within 5.0 s: a PUBLISH from a client with topic casa/cocina/luz/estado, payload \"ON\", retain 1"),
                      wrong.explanation)
        XCTAssertTrue(wrong.explanation.contains("casa/cocina/luz/estado · \"ON\""), "shows what the program did: \(wrong.explanation)")
    }

    /// A thermostat in Python with paho-mqtt, finding the broker through {host} and {port}.
    private func thermostat(alwaysOn: Bool) throws -> [String] {
        let python = try PahoRunner.locate().path
        let script = """
            import sys, paho.mqtt.client as mqtt
            def on_connect(c, u, flags, rc, props=None):
                c.subscribe("casa/+/temperatura")
            def on_message(c, u, m):
                t = float(m.payload)
                print("temperature", m.topic, t, flush=True)
                if \(alwaysOn ? "True" : "t < 18"):
                    c.publish("casa/calefaccion/set", "ON")
                elif t > 21:
                    c.publish("casa/calefaccion/set", "OFF")
            c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
            c.on_connect = on_connect
            c.on_message = on_message
            c.connect(sys.argv[1], int(sys.argv[2]))
            c.loop_forever()
            """
        return [python, "-c", script, "{host}", "{port}"]
    }

    func testThermostatInPython() async throws {
        let exercise = try S.exercise("thermostat")
        let right = try await S.check(exercise, timeout: 15, program: try thermostat(alwaysOn: false))
        XCTAssertEqual(right.outcome, .passed, right.explanation)
        XCTAssertTrue(right.observed.contains("temperature casa/salon/temperatura 15.5"), "the program's output is kept: \(right.observed)")

        let wrong = try await S.check(exercise, timeout: 15, program: try thermostat(alwaysOn: true))
        XCTAssertEqual(wrong.outcome, .failed)
        XCTAssertTrue(wrong.explanation.contains("step 5: expected within 5.0 s: a PUBLISH from a client with topic casa/calefaccion/set, payload \"OFF\""),
                      wrong.explanation)
    }

    func testAProgramThatDoesNotExistIsAnErrorNotAFailure() async throws {
        let result = try await S.check(try S.exercise("thermostat"), timeout: 2, program: ["/nonexistent/termostato"])
        XCTAssertEqual(result.outcome, .error)
        XCTAssertTrue(result.explanation.contains("cannot start /nonexistent/termostato"), result.explanation)
    }
}

/// `config` exercises: the student's password file or configuration in a real broker, probed by real clients.
final class ExerciseConfigSolutionTests: XCTestCase {
    static let configs: Set<String> = ["password-file", "no-anonymous", "refuse-private", "acl-sensor"]
    typealias S = ExerciseTestSupport

    private var directory: URL!
    private var mqttlab: CommandRunner!

    override func setUpWithError() throws {
        directory = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-config")
        mqttlab = try CommandRunner.locate()
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private func passwordFile(_ name: String, _ users: [(String, String)]) throws -> String {
        let path = directory.appendingPathComponent(name).path
        for (index, (user, password)) in users.enumerated() {
            let result = try mqttlab.run(["passwd"] + (index == 0 ? ["-c"] : []) + ["-b", path, user, password])
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        return path
    }

    private func file(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testPasswordFile() async throws {
        let exercise = try S.exercise("password-file")
        let right = try await S.check(exercise, timeout: 5, file: try passwordFile("pw.txt", [("ana", "manzana"), ("bob", "pera")]))
        XCTAssertEqual(right.outcome, .passed, right.explanation)
        let wrong = try await S.check(exercise, timeout: 5, file: try passwordFile("only-ana.txt", [("ana", "manzana")]))
        XCTAssertEqual(wrong.outcome, .failed)
        XCTAssertTrue(wrong.explanation.contains("✗ user bob connects → refused (should be: allowed)"), wrong.explanation)
    }

    func testNoAnonymousConfiguration() async throws {
        let exercise = try S.exercise("no-anonymous")
        let passwords = try passwordFile("pw.txt", [("profe", "pizarra")])
        let right = try await S.check(exercise, timeout: 5, file: try file("right.conf", "password_file \(passwords)\nallow_anonymous false\n"))
        XCTAssertEqual(right.outcome, .passed, right.explanation)
        // Mosquitto 2.0 (and `mqttlab broker -c`) already refuse anonymous clients once a password file is
        // set, and the checker reads the file the same way (before, it let them in: its own copy of the rules).
        let implicit = try await S.check(exercise, timeout: 5, file: try file("implicit.conf", "password_file \(passwords)\n"))
        XCTAssertEqual(implicit.outcome, .passed, implicit.explanation)
        // So the mistake that lets them in is saying so.
        let wrong = try await S.check(exercise, timeout: 5, file: try file("wrong.conf", "password_file \(passwords)\nallow_anonymous true\n"))
        XCTAssertEqual(wrong.outcome, .failed)
        XCTAssertTrue(wrong.explanation.contains("✗ anonymous connects → allowed (should be: refused)"), wrong.explanation)
        // A file the broker refuses is explained with its line, as `mqttlab broker -c` would.
        let broken = try await S.check(exercise, timeout: 5, file: try file("broken.conf", "allow_anonymous perhaps\n"))
        XCTAssertEqual(broken.outcome, .failed)
        XCTAssertTrue(broken.explanation.contains("broken.conf:1"), broken.explanation)
    }

    func testACLSensor() async throws {
        let exercise = try S.exercise("acl-sensor")
        let right = try await S.check(exercise, timeout: 5, file: try file("right.acl",
            "user ana\ntopic readwrite casa/#\nuser sensor1\ntopic write casa/cocina/temperatura\n"))
        XCTAssertEqual(right.outcome, .passed, right.explanation)
        // Too generous: the sensor may write anywhere in the house.
        let wrong = try await S.check(exercise, timeout: 5, file: try file("wrong.acl",
            "user ana\ntopic readwrite casa/#\nuser sensor1\ntopic write casa/#\n"))
        XCTAssertEqual(wrong.outcome, .failed)
        XCTAssertTrue(wrong.explanation.contains("✗ user sensor1 without password publishes to casa/puerta/abrir → allowed (should be: refused)"),
                      wrong.explanation)
        // A line the broker cannot read is explained with the file and line.
        let broken = try await S.check(exercise, timeout: 5, file: try file("broken.acl", "user ana\nallow casa/#\n"))
        XCTAssertEqual(broken.outcome, .failed)
        XCTAssertTrue(broken.explanation.contains("broken.acl:2"), broken.explanation)
    }

    func testRefusePrivate() async throws {
        let exercise = try S.exercise("refuse-private")
        let right = try await S.check(exercise, timeout: 5, file: try file("right.conf", "refuse_subscribe privado/#\n"))
        XCTAssertEqual(right.outcome, .passed, right.explanation)
        // Refusing # refuses every subscription: the probe of casa/+/luz says so.
        let wrong = try await S.check(exercise, timeout: 5, file: try file("wrong.conf", "refuse_subscribe #\n"))
        XCTAssertEqual(wrong.outcome, .failed)
        XCTAssertTrue(wrong.explanation.contains("✗ anonymous subscribes to casa/+/luz → refused (should be: allowed)"), wrong.explanation)
    }

    func testNoFileGivenIsExplained() async throws {
        let result = try await S.check(try S.exercise("password-file"), timeout: 2)
        XCTAssertEqual(result.outcome, .failed)
        XCTAssertTrue(result.explanation.contains("--file"), result.explanation)
    }
}
