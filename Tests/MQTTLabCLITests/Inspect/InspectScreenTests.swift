import MQTTCodec
import XCTest

@testable import MQTTLabCLI

/// The screen at 80x24 and other sizes: every line fits, the current field is highlighted and explained.
final class InspectScreenTests: XCTestCase {
    private func browser() -> InspectBrowser {
        InspectBrowser(list: InspectFixtures.list([
            (1, .toBroker, .connect(Connect(clientID: "ana", will: .init(topic: "casa/estado", payload: Array("off".utf8)),
                                            username: "ana", password: Array("x".utf8)))),
            (1, .toBroker, .publish(Publish(topic: "casa/luz", payload: Array("ON".utf8), qos: .exactlyOnce, packetID: 7))),
            (1, .toClient, .pubrec(PublishAck(packetID: 7))),
        ]))
    }

    private func screen(_ language: Language = .en, colors: Bool = false) -> InspectScreen {
        InspectScreen(language: language, style: Style(enabled: colors), inputTitle: "class.pcap")
    }

    func testEveryLineFitsTheScreenAtManySizes() {
        for (columns, rows) in [(80, 24), (60, 16), (100, 30), (132, 50), (200, 60)] {
            var state = browser()
            for key: Key in [.down, .right, .right, .right] { _ = state.handle(key) }
            let lines = screen(colors: true).render(&state, size: TerminalSize(columns: columns, rows: rows))
            XCTAssertEqual(lines.count, rows, "\(columns)x\(rows)")
            for line in lines { XCTAssertLessThanOrEqual(DisplayWidth.of(line), columns, "\(columns)x\(rows): \(line)") }
        }
    }

    func testTheCurrentFieldIsHighlightedInTheHexDumpAndExplained() throws {
        var state = browser()
        _ = state.handle(.down)  // the PUBLISH: 34 0f 00 08 "casa/luz" 00 07 "ON"
        for _ in 0..<7 { _ = state.handle(.right) }  // type&flags, 4 bits, remaining length, topic length → topic
        let lines = screen().render(&state, size: TerminalSize(columns: 80, rows: 24))
        let text = lines.map(DisplayWidth.stripped)
        XCTAssertTrue(text.contains { $0.contains("#2 PUBLISH · 16 bytes · MQTT 3.1.1 · field 8 of 10") }, text.joined(separator: "\n"))
        let hexRow = try XCTUnwrap(lines.first { DisplayWidth.stripped($0).hasPrefix(" 0000  34") })
        XCTAssertTrue(hexRow.contains(ANSI.reverse("63 61 73 61 2f 6c 75 7a")), "the topic's 8 bytes as one block: \(hexRow)")
        XCTAssertTrue(text.contains { $0.hasPrefix(" topic  bytes 4–11 · 63 61 73 61 2f 6c 75 7a") }, text.joined(separator: "\n"))
        XCTAssertTrue(text.contains { $0.contains("value: \"casa/luz\"") })
        XCTAssertTrue(text.contains { $0.contains("flow · QoS 2 exchange: #2 →PUBLISH  #3 ←PUBREC") })
    }

    func testFlagBitsAreShownOneByOneWithTheCurrentOneMarked() {
        var state = browser()
        // CONNECT: type & flags, packet type, reserved, remaining length, name length, name, level, flags → user name flag
        for _ in 0..<8 { _ = state.handle(.right) }
        let text = screen(.es).render(&state, size: TerminalSize(columns: 80, rows: 24)).map(DisplayWidth.stripped)
        XCTAssertTrue(text.contains { $0.contains("bandera de usuario  bits del byte 9 · 1... ....") }, text.joined(separator: "\n"))
        XCTAssertTrue(text.contains { $0.contains("▶ 1... ....  bandera de usuario") }, text.joined(separator: "\n"))
        XCTAssertTrue(text.contains { $0.contains(".... ..1.  sesión limpia (clean)") })
        XCTAssertTrue(text.last?.contains("→/n campo sig.") ?? false, "the keys in Spanish")
    }

    func testALargePacketShowsTheDumpWindowAroundTheCurrentField() throws {
        let payload = (0..<5000).map { UInt8(truncatingIfNeeded: $0) }
        var state = InspectBrowser(list: InspectFixtures.list([
            (1, .toBroker, .publish(Publish(topic: "foto", payload: payload, qos: .atLeastOnce, packetID: 1))),
        ]))
        let size = TerminalSize(columns: 80, rows: 24)
        var lines = screen().render(&state, size: size).map(DisplayWidth.stripped)
        XCTAssertTrue(lines.contains { $0.hasPrefix(" 0000  32 90 27 00 04") }, "starts at the top:\n\(lines.joined(separator: "\n"))")
        _ = state.handle(.end)  // the last field, the payload: bytes 11 to 5010
        lines = screen().render(&state, size: size).map(DisplayWidth.stripped)
        XCTAssertEqual(lines.count, 24)
        XCTAssertTrue(lines.contains { $0.hasPrefix(" payload  bytes 11–5010") }, lines.joined(separator: "\n"))
        let dumpRows = lines.filter { $0.range(of: #"^ [0-9a-f]{4}  "#, options: .regularExpression) != nil }
        XCTAssertLessThanOrEqual(dumpRows.count, 5, "a window, not 313 rows")
        XCTAssertEqual(dumpRows.first?.prefix(6), " 0000 ", "the window shows where the payload starts")
    }

    func testWithoutColorsOnlyReverseVideoIsUsed() {
        var state = browser()
        let lines = screen(colors: false).render(&state, size: TerminalSize(columns: 80, rows: 24))
        for line in lines {
            let withoutReverse = line.replacingOccurrences(of: "\u{1B}[7m", with: "").replacingOccurrences(of: "\u{1B}[27m", with: "")
            XCTAssertFalse(withoutReverse.contains("\u{1B}"), "NO_COLOR: no color or weight escapes in \(line)")
        }
    }

    func testATooSmallTerminalSaysSoAndHelpAndFilterPromptShow() {
        var state = browser()
        XCTAssertEqual(screen().render(&state, size: TerminalSize(columns: 40, rows: 10)), ["Make the terminal at least 60x16."])
        _ = state.handle(.character("?"))
        XCTAssertTrue(screen().render(&state, size: TerminalSize(columns: 80, rows: 24)).contains { $0.contains("→ or n       next field") })
        _ = state.handle(.character("x"))
        _ = state.handle(.character("/"))
        _ = state.handle(.character("a"))
        let last = screen().render(&state, size: TerminalSize(columns: 80, rows: 24)).last ?? ""
        XCTAssertTrue(last.hasPrefix("filter (client, type or topic; Enter applies, Esc cancels): a▏"), last)
    }

    func testAnEmptyListAndANoMatchFilterExplainThemselves() {
        var empty = InspectBrowser(list: PacketList(title: "x"))
        XCTAssertTrue(screen().render(&empty, size: TerminalSize(columns: 80, rows: 24)).contains("No MQTT packets in this input."))
        var state = browser()
        state.applyFilter("nadie")
        XCTAssertTrue(screen().render(&state, size: TerminalSize(columns: 80, rows: 24)).contains {
            $0.contains("No packet matches \"nadie\"")
        })
    }
}
