import Foundation
import XCTest

/// The interactive reader in a real terminal: tmux runs it in an 80x24 pane; keys go in with send-keys,
/// the screen comes back with capture-pane.
final class LessonReaderTmuxTests: XCTestCase {
    private var tmux: URL!
    private var socket = ""
    private var home: URL!
    private var server: InteropProcess?

    override func setUpWithError() throws {
        guard let tmux = InteropTools.find("tmux") else { throw XCTSkip("tmux is not installed (apt-get install tmux); the interactive reader is not tested") }
        self.tmux = tmux
        // A private tmux server: this test never touches anyone else's sessions.
        socket = "mqttlab-reader-\(UUID().uuidString.prefix(8))"
        home = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-reader")
        // The server in the foreground (-D) as this test's own child: a daemonized server would inherit
        // Foundation's process-watching descriptors and keep the starting client "running" for seconds.
        let server = try InteropProcess(tmux, ["-L", socket, "-f", "/dev/null", "-D"], label: "tmux-server", directory: home)
        self.server = server
        guard server.waitUntil(timeout: 5, { FileManager.default.fileExists(atPath: "\(ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp")/tmux-\(getuid())/\(socket)") }) else {
            throw XCTSkip("tmux -D did not start a server (tmux 3.2 or newer is needed): \(server.stderr)")
        }
    }

    override func tearDownWithError() throws {
        _ = try? tmuxCommand(["kill-server"])
        server?.stop()
        if let home { try? FileManager.default.removeItem(at: home) }
    }

    @discardableResult
    private func tmuxCommand(_ arguments: [String]) throws -> String {
        let outcome = try InteropProcess.run(tmux, ["-L", socket, "-f", "/dev/null"] + arguments, label: "tmux-\(UUID().uuidString.prefix(6))",
                                             directory: home, timeout: 10)
        return outcome.stdoutText
    }

    private func screen() throws -> [String] {
        var lines = try tmuxCommand(["capture-pane", "-p", "-t", "reader"]).components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }  // the output's final newline
        return lines
    }

    /// Waits (≤ 10 s) until the pane shows `text`; returns the screen.
    @discardableResult
    private func waitFor(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let deadline = Date().addingTimeInterval(10)
        var lines: [String] = []
        while Date() < deadline {
            lines = try screen()
            if lines.contains(where: { $0.contains(text) }) { return lines }
            usleep(100_000)
        }
        XCTFail("the screen never showed '\(text)':\n\(lines.joined(separator: "\n"))", file: file, line: line)
        return lines
    }

    private func press(_ keys: String...) throws {
        try tmuxCommand(["send-keys", "-t", "reader"] + keys)
    }

    func testPagingResizingRunningAndQuitting() throws {
        let mqttlab = try CommandRunner.locate().binary.path
        let course = InteropTools.packageRoot.appendingPathComponent("Tests/Fixtures/Course").path
        let command = "MQTTLAB_HOME='\(home.path)' MQTTLAB_LANG=en TERM=xterm '\(mqttlab)' lesson 1 --course '\(course)'; echo READER-EXITED-$?; sleep 60"
        try tmuxCommand(["new-session", "-d", "-s", "reader", "-x", "80", "-y", "24", "sh", "-c", command])

        var lines = try waitFor("step 1/3")
        XCTAssertEqual(lines.first, "Lesson 1 · Bytes of a packet")
        XCTAssertTrue(lines.contains("lesson 1 · step 1/3 · Enter next · b back · r run · q quit"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("A packet is bytes"))

        try press("Enter")
        lines = try waitFor("step 2/3")
        XCTAssertTrue(lines.contains("Give mqttlab decode the bytes of a PUBLISH of \"22.5\" to the topic Casa:"), lines.joined(separator: "\n"))

        try press("b")
        try waitFor("step 1/3")
        try press("Space")
        try waitFor("step 2/3")

        // Resize: the same step reflows to 60 columns.
        try tmuxCommand(["resize-window", "-t", "reader", "-x", "60", "-y", "20"])
        lines = try waitFor("topic Casa:")
        XCTAssertTrue(lines.contains("Give mqttlab decode the bytes of a PUBLISH of \"22.5\" to the"), lines.joined(separator: "\n"))
        XCTAssertEqual(lines.count, 20)
        for line in lines { XCTAssertLessThanOrEqual(line.count, 60, line) }
        XCTAssertTrue(lines.contains("lesson 1 · step 2/3 · Enter next · b back · r run · q quit"), lines.joined(separator: "\n"))

        // r runs the step's command in place: its output appears under the step.
        try press("r")
        lines = try waitFor("done")
        XCTAssertTrue(lines.contains { $0.contains("payload") && $0.contains("\"22.5\"") }, lines.joined(separator: "\n"))

        try press("Enter")
        try waitFor("step 3/3")
        try press("Enter")  // past the end: the reader closes and says what comes next
        lines = try waitFor("READER-EXITED-0")
        // The line the reader leaves on the normal screen (the 60-column pane wraps it).
        XCTAssertTrue(lines.joined().contains("✓ Lesson 1 · Bytes of a packet: read. Next: mqttlab lesson next → Lesson 2 · Publish and subscribe"),
                      lines.joined(separator: "\n"))

        // The place is saved: lesson 1 reached its last step, so it is read.
        let list = try CommandRunner.locate().run(["lesson", "list", "--course", course], environment: ["MQTTLAB_HOME": home.path])
        XCTAssertTrue(list.stdout.contains("✓  1 Bytes of a packet"), list.stdout)
        XCTAssertTrue(list.stdout.contains("▸  2 Publish and subscribe"), list.stdout)
    }
}
