import Foundation
import XCTest

/// `mqttlab inspect` in a real terminal: a class session recorded by `mqttlab broker --pcap` while
/// mosquitto_pub sends a QoS 2 message, opened in an 80x24 tmux pane, walked with the keys a learner
/// presses, and resized.
final class InspectTerminalTests: BrokerInteropTestCase {
    /// bea subscribes to casa/# at QoS 2, ana publishes "22.5" to casa/temp at QoS 2: both QoS 2 exchanges.
    private func recordClassSession() throws -> URL {
        _ = try TmuxPane.locate()
        let pcap = try directory().appendingPathComponent("class.pcap")
        let broker = try startBroker(["--pcap", pcap.path])
        let subscriber = try startSubscriber(broker, .v311, clientID: "bea", ["-t", "casa/#", "-q", "2", "-C", "1"])
        let published = try mosquitto(broker, .v311).pub(["-i", "ana", "-t", "casa/temp", "-m", "22.5", "-q", "2"])
        XCTAssertEqual(published.status, 0, published.stderr)
        XCTAssertEqual(subscriber.waitForExit(), 0, "bea got the message and left")
        XCTAssertTrue(broker.stop().isClean, broker.outputTail())
        return pcap
    }

    private func openInspector(_ arguments: [String], language: String = "en") throws -> TmuxPane {
        let mqttlab = try XCTUnwrap(try requireMQTTLab())
        return try TmuxPane(command: [mqttlab.path, "inspect"] + arguments, columns: 80, rows: 24,
                            environment: ["MQTTLAB_LANG": language, "TERM": "xterm-256color", "TZ": "UTC"],
                            directory: try directory())
    }

    private func text(_ screen: [String]) -> String { screen.joined(separator: "\n") }

    func testALearnerStepsThroughAQoS2ExchangeFieldByFieldAndResizesTheWindow() throws {
        let pcap = try recordClassSession()
        let pane = try openInspector([pcap.path])
        defer { pane.close() }

        XCTAssertTrue(try pane.waitUntil { $0.first?.contains("mqttlab inspect · class.pcap · packet 1 of") ?? false },
                      "the inspector did not start:\n\(pane.dump())")
        var screen = try pane.screen()
        XCTAssertEqual(screen.count, 24)
        XCTAssertTrue(screen.allSatisfy { $0.count <= 80 })
        XCTAssertTrue(screen.contains { $0.contains("bea        → CONNECT") }, text(screen))
        XCTAssertTrue(screen.contains { $0.hasPrefix("── #1 CONNECT") && $0.contains("field 1 of") }, text(screen))

        // Filter by topic: the PUBLISH in from ana and the copy out to bea.
        try pane.send("/", "casa/temp", "Enter")
        XCTAssertTrue(try pane.waitUntil { $0.first?.contains("packet 1 of 2 · filter: casa/temp") ?? false }, pane.dump())
        screen = try pane.screen()
        XCTAssertTrue(screen.contains { $0.contains("ana        → PUBLISH     casa/temp · \"22.5\" · QoS 2") }, text(screen))
        XCTAssertTrue(screen.contains { $0.contains("bea        ← PUBLISH     casa/temp · \"22.5\" · QoS 2") }, text(screen))
        XCTAssertFalse(screen.contains { $0.contains("CONNECT ") && !$0.hasPrefix("──") }, "only PUBLISHes: \(text(screen))")
        XCTAssertTrue(screen.contains { $0.contains("packet type & flags  byte 0 · 34") }, text(screen))
        XCTAssertTrue(screen.contains { $0.contains(".... .10.  QoS") }, "the flag byte bit by bit:\n\(text(screen))")

        // n n n … : packet type, DUP, QoS (with its bit marked), RETAIN, remaining length, topic length, topic.
        try pane.send("n", "n", "n")
        XCTAssertTrue(try pane.waitUntil { $0.contains { $0.contains("▶ .... .10.  QoS") } }, pane.dump())
        XCTAssertTrue(try pane.screen().contains { $0.contains("here: exactly once") }, pane.dump())
        try pane.send("n", "n", "n", "n")
        XCTAssertTrue(try pane.waitUntil { $0.contains { $0.contains("field 8 of 10") } }, pane.dump())
        screen = try pane.screen()
        XCTAssertTrue(screen.contains { $0.contains("topic  bytes 4–12 · 63 61 73 61 2f 74 65 6d 70") }, text(screen))
        XCTAssertTrue(screen.contains { $0.contains("value: \"casa/temp\"") }, text(screen))
        // The topic's bytes are highlighted (reverse video) in the hex dump.
        XCTAssertTrue(try pane.screenWithEscapes().contains("63 61 73 61 2f 74 65 6d 70"), "highlighted as one block")
        try pane.send("p")
        XCTAssertTrue(try pane.waitUntil { $0.contains { $0.contains("topic length  bytes 2–3 · 00 09") } }, pane.dump())
        try pane.send("Right")
        XCTAssertTrue(try pane.waitUntil { $0.contains { $0.contains("field 8 of 10") } }, pane.dump())

        // The flow: tab follows ana's QoS 2 exchange, PUBREC then PUBREL then PUBCOMP (the filter gives way).
        screen = try pane.screen()
        XCTAssertTrue(screen.contains { $0.contains("flow · QoS 2 exchange:") && $0.contains("←PUBREC") && $0.contains("→PUBREL") },
                      text(screen))
        for expected in ["PUBREC", "PUBREL", "PUBCOMP"] {
            try pane.send("Tab")
            XCTAssertTrue(try pane.waitUntil { $0.contains { $0.hasPrefix("── #") && $0.contains(" \(expected) · 4 bytes") } },
                          "tab to \(expected):\n\(pane.dump())")
        }
        try pane.send("Up")
        XCTAssertTrue(try pane.waitUntil { !($0.contains { $0.hasPrefix("── #") && $0.contains(" PUBCOMP ") }) }, pane.dump())
        try pane.send("Down")
        XCTAssertTrue(try pane.waitUntil { $0.contains { $0.hasPrefix("── #") && $0.contains(" PUBCOMP ") } }, pane.dump())

        // Help, and back.
        try pane.send("?")
        XCTAssertTrue(try pane.waitUntil { $0.contains { $0.contains("→ or n       next field") } }, pane.dump())
        try pane.send("x")
        XCTAssertTrue(try pane.waitUntil { $0.contains { $0.hasPrefix("── #") } }, pane.dump())

        // Resize: the screen reflows to the new size, the same packet and field still shown.
        try pane.resize(columns: 120, rows: 40)
        XCTAssertTrue(try pane.waitUntil { screen in
            screen.count == 40 && screen.contains { $0.hasPrefix("── #") && $0.count == 120 }
        }, "no reflow to 120x40:\n\(pane.dump())")
        screen = try pane.screen()
        XCTAssertTrue(screen.contains { $0.hasPrefix("── #") && $0.contains(" PUBCOMP ") }, text(screen))
        XCTAssertTrue(screen[39].contains("→/n next field"), "the keys on the last row: \(screen[39])")
        let bigListRows = screen.filter { $0.range(of: #"^\d+ +\d\d:\d\d:\d\d\.\d{3} "#, options: .regularExpression) != nil }.count
        XCTAssertGreaterThan(bigListRows, 5, "a taller window lists more packets")
        try pane.resize(columns: 80, rows: 24)
        XCTAssertTrue(try pane.waitUntil { screen in
            screen.count == 24 && screen.contains { $0.hasPrefix("── #") && $0.count == 80 }
        }, "no reflow back to 80x24:\n\(pane.dump())")

        // q quits with status 0 and gives the terminal back.
        try pane.send("q")
        let deadline = Date().addingTimeInterval(5)
        var status: String?
        while status == nil && Date() < deadline {
            status = pane.exitStatus()
            usleep(50_000)
        }
        XCTAssertEqual(status, "0")
    }

    func testTheSameWalkInSpanish() throws {
        let pcap = try recordClassSession()
        let pane = try openInspector([pcap.path, "--filter", "casa/temp"], language: "es")
        defer { pane.close() }
        XCTAssertTrue(try pane.waitUntil { $0.first?.contains("paquete 1 de 2 · filtro: casa/temp") ?? false }, pane.dump())
        try pane.send("n", "n", "n")
        XCTAssertTrue(try pane.waitUntil { $0.contains { $0.contains("aquí: exactamente una vez") } }, pane.dump())
        let screen = try pane.screen()
        XCTAssertTrue(screen.contains { $0.contains("flujo · intercambio QoS 2:") }, text(screen))
        XCTAssertTrue(screen.last?.contains("→/n campo sig.") ?? false, text(screen))
        try pane.send("q")
    }

    func testLiveModeShowsPacketsAsTheBrokerWritesItsTrace() throws {
        _ = try TmuxPane.locate()
        let trace = try directory().appendingPathComponent("live.jsonl")
        let broker = try startBroker(["--trace-json", trace.path])
        let pane = try openInspector(["--trace-json", trace.path, "--follow"])
        defer { pane.close() }
        XCTAssertTrue(try pane.waitUntil { $0.first?.contains("live.jsonl") ?? false && $0.first?.contains("following") ?? false },
                      pane.dump())
        XCTAssertTrue(try pane.screen().contains { $0.contains("Waiting for packets") }, pane.dump())
        let published = try mosquitto(broker, .v311).pub(["-i", "ana", "-t", "casa/luz", "-m", "ON", "-q", "2"])
        XCTAssertEqual(published.status, 0, published.stderr)
        XCTAssertTrue(try pane.waitUntil { $0.contains { $0.contains("ana        → PUBLISH     casa/luz · \"ON\" · QoS 2") } },
                      "the PUBLISH did not appear:\n\(pane.dump())")
        // CONNECT, CONNACK, PUBLISH, PUBREC, PUBREL, PUBCOMP, DISCONNECT.
        XCTAssertTrue(try pane.waitUntil { $0.first?.contains("packet 1 of 7") ?? false }, pane.dump())
        XCTAssertTrue(try pane.screen().contains { $0.hasPrefix("── #1 CONNECT") }, "the selection stays on the first packet")
        try pane.send("Down", "Down", "Down", "Down", "Down")
        XCTAssertTrue(try pane.waitUntil { $0.contains { $0.hasPrefix("── #6 PUBCOMP") } }, pane.dump())
        try pane.send("q")
    }

    func testATerminationSignalGivesTheTerminalBack() throws {
        let mqttlab = try XCTUnwrap(try requireMQTTLab())
        // A shell in the pane runs the inspector, then reports the terminal's mode once it has ended.
        let script = "'\(mqttlab.path)' inspect c0 00; echo \"status=$?\"; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo"
        let pane = try TmuxPane(command: ["sh", "-c", script + "; sleep 30"], columns: 80, rows: 24,
                                environment: ["MQTTLAB_LANG": "en", "TERM": "xterm-256color"], directory: try directory())
        defer { pane.close() }
        // Generous waits: on a loaded 2-core machine a debug build can take seconds to start and to exit.
        XCTAssertTrue(try pane.waitUntil(timeout: 30) { $0.first?.contains("mqttlab inspect · hex") ?? false }, pane.dump())
        // The inspector runs a few shells below the pane: find its pid among the pane's descendants, and
        // signal that one process only.
        let pid = try XCTUnwrap(try descendant(named: "mqttlab", of: try panePID(pane)), "no mqttlab under the pane")
        kill(pid, SIGTERM)
        XCTAssertTrue(try pane.waitUntil(timeout: 30) { $0.contains { $0.hasPrefix("status=") } }, pane.dump())
        let screen = try pane.screen()
        XCTAssertTrue(screen.contains("status=143"), "died of SIGTERM (128 + 15):\n\(text(screen))")
        XCTAssertTrue(screen.contains("icanon") && screen.contains("echo"), "line editing and echo are back:\n\(text(screen))")
        XCTAssertFalse(screen.contains { $0.contains("mqttlab inspect · hex") }, "the alternate screen is gone:\n\(text(screen))")
    }

    /// The first process called `name` below `parent` (children, then their children…), by pid.
    private func descendant(named name: String, of parent: String) throws -> Int32? {
        guard let pgrep = InteropTools.find("pgrep") else { throw XCTSkip("this test needs pgrep (apt-get install -y procps)") }
        var generation = [parent]
        for _ in 0..<4 where !generation.isEmpty {
            var next: [String] = []
            for pid in generation {
                let children = try InteropProcess.run(pgrep, ["-P", pid], label: "pgrep",
                                                      directory: try directory(), timeout: 5).stdoutText
                for child in children.split(separator: "\n").map(String.init) {
                    let command = (try? String(contentsOfFile: "/proc/\(child)/comm", encoding: .utf8)) ?? ""
                    if command.trimmingCharacters(in: .whitespacesAndNewlines) == name { return Int32(child) }
                    next.append(child)
                }
            }
            generation = next
        }
        return nil
    }

    private func panePID(_ pane: TmuxPane) throws -> String {
        let outcome = try InteropProcess.run(pane.tmux, ["-L", pane.socketName, "display-message", "-p", "-t", "main", "#{pane_pid}"],
                                             label: "tmux-pid", directory: try directory(), timeout: 5)
        return outcome.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
