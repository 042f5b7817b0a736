import Foundation
import XCTest

/// `mqttlab passwd` as a process: its files work in a real Mosquitto, Mosquitto's files work in mqttlab's
/// broker (see BrokerInteropPasswordTests), and the flags behave like mosquitto_passwd's.
final class PasswdCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-passwd")
    }

    override func tearDown() {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private func mqttlab() throws -> URL {
        let (url, searched) = InteropTools.mqttlabBinary()
        guard let url else { throw InteropError("mqttlab binary not found; searched:\n  " + searched.joined(separator: "\n  ")) }
        return url
    }

    @discardableResult
    private func passwd(_ arguments: [String], status expected: Int32 = 0) throws -> InteropProcess.Outcome {
        let outcome = try InteropProcess.run(try mqttlab(), ["passwd", "--lang", "en"] + arguments, label: "passwd-\(UUID().uuidString.prefix(8))",
                                             directory: directory, timeout: 20)
        XCTAssertEqual(outcome.status, expected, "mqttlab passwd \(arguments): \(outcome.stderr)")
        return outcome
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A file written by `mqttlab passwd -c -b` (then a second user added, one deleted) is what a real
    /// Mosquitto loads: mosquitto_pub logs in with the right password and is refused (0x05) otherwise.
    func testAFileWrittenByMQTTLabWorksInMosquitto() throws {
        let tools = try InteropTools.require(["mosquitto", "mosquitto_pub", "mosquitto_sub"])
        let file = path("pw.txt")
        try passwd(["-c", "-b", file, "alice", "s3cret ü"])
        try passwd(["-b", file, "bob", "bobs-pw"])
        try passwd(["-b", file, "carol", "x"])
        try passwd(["-D", file, "carol"])
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.map { $0.split(separator: ":").first.map(String.init) }, ["alice", "bob"])
        for line in lines {
            XCTAssertNotNil(line.range(of: #"^[a-z]+:\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$"#, options: .regularExpression), String(line))
        }
        XCTAssertFalse(text.contains("s3cret"))
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)
        XCTAssertEqual(mode.intValue & 0o777, 0o600)

        let broker = try Mosquitto(executable: tools["mosquitto"]!, passwdTool: nil, directory: directory,
                                   options: .init(extraConfig: ["password_file \(file)", "allow_anonymous false"]))
        defer { broker.stop() }
        let clients = MosquittoClients(pub: tools["mosquitto_pub"]!, sub: tools["mosquitto_sub"]!, port: broker.port, version: .v311, directory: directory)
        defer { clients.stopAll() }
        XCTAssertEqual(try clients.pub(["-u", "alice", "-P", "s3cret ü", "-t", "t", "-m", "x"]).status, 0)
        XCTAssertEqual(try clients.pub(["-u", "bob", "-P", "bobs-pw", "-t", "t", "-m", "x"]).status, 0)
        XCTAssertEqual(try clients.pub(["-u", "alice", "-P", "s3cret u", "-t", "t", "-m", "x"], expectFailure: true).status, 5)
        XCTAssertEqual(try clients.pub(["-u", "carol", "-P", "x", "-t", "t", "-m", "x"], expectFailure: true).status, 5)
    }

    /// `-U` hashes a plain-text file in place; mosquitto_passwd-written lines and comments are kept.
    func testUpgradeHashesPlainLinesAndKeepsTheRest() throws {
        let passwdTool = try XCTUnwrap(InteropTools.find("mosquitto_passwd"), "needs mosquitto_passwd")
        let file = path("plain.txt")
        _ = try InteropProcess.run(passwdTool, ["-c", "-b", file, "mosq", "from-mosquitto"], label: "mp", directory: directory, timeout: 10)
        let mosquittoLine = try String(contentsOfFile: file, encoding: .utf8)
        try (mosquittoLine + "# a comment\nplainuser:plain-pw\n").write(toFile: file, atomically: true, encoding: .utf8)
        try passwd(["-U", file])
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines[0] + "\n", mosquittoLine, "an already hashed line is left alone")
        XCTAssertEqual(lines[1], "# a comment")
        XCTAssertTrue(lines[2].hasPrefix("plainuser:$7$101$"), lines[2])
        XCTAssertFalse(lines[2].contains("plain-pw"))
    }

    /// The errors a learner meets: a missing file without -c (66), an unknown user with -D, a bad line.
    func testErrorsNameTheFileAndLine() throws {
        let missing = try passwd(["-b", path("nope.txt"), "a", "b"], status: 66)
        XCTAssertTrue(missing.stderr.contains("nope.txt") && missing.stderr.contains("-c"), missing.stderr)
        let file = path("pw.txt")
        try passwd(["-c", "-b", file, "alice", "x"])
        let unknown = try passwd(["-D", file, "bob"], status: 1)
        XCTAssertTrue(unknown.stderr.contains("user bob is not in"), unknown.stderr)
        try "alice:x\nthis line has no colon\n".write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try passwd(["-b", file, "bob", "y"], status: 1)
        XCTAssertTrue(bad.stderr.contains("pw.txt:2: no ':' between the user name and the password"), bad.stderr)
        try passwd(["-b", file, "a:b", "y"], status: 64)
        try passwd(["-c", "-D", file, "alice"], status: 64)
    }

    /// Without -b the password is asked twice (here piped, as a script would); different answers change nothing.
    func testAsksForThePasswordTwice() throws {
        let file = path("asked.txt")
        func run(_ input: String) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = try mqttlab()
            process.arguments = ["passwd", "--lang", "en", "-c", file, "alice"]
            let stdin = Pipe(), stderr = Pipe()
            process.standardInput = stdin
            process.standardOutput = FileHandle.nullDevice
            process.standardError = stderr
            try process.run()
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
            let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, errors)
        }
        let (mismatch, mismatchErrors) = try run("one\ntwo\n")
        XCTAssertEqual(mismatch, 1)
        XCTAssertTrue(mismatchErrors.contains("the passwords do not match"), mismatchErrors)
        XCTAssertFalse(FileManager.default.fileExists(atPath: file))
        let (status, prompts) = try run("typed-pw\ntyped-pw\n")
        XCTAssertEqual(status, 0, prompts)
        XCTAssertTrue(prompts.contains("Password: ") && prompts.contains("Reenter password: "), prompts)
        XCTAssertFalse(prompts.contains("typed-pw"))
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("alice:$7$101$"))
    }
}
