import XCTest

@testable import MQTTLabCLI

/// Width, cutting and padding of text that carries ANSI colors and wide characters.
final class DisplayWidthTests: XCTestCase {
    private let red = "\u{1B}[31m"
    private let reset = "\u{1B}[0m"

    func testEscapeSequencesTakeNoColumns() {
        XCTAssertEqual(DisplayWidth.of("abc"), 3)
        XCTAssertEqual(DisplayWidth.of("\(red)abc\(reset)"), 3)
        XCTAssertEqual(DisplayWidth.of("\u{1B}[1;38;5;208mX\u{1B}[27m"), 1)
        XCTAssertEqual(DisplayWidth.of("\u{1B}]0;title\u{07}ok"), 2, "OSC ended by BEL")
        XCTAssertEqual(DisplayWidth.of("\u{1B}]8;;http://x\u{1B}\\link"), 4, "OSC ended by ST")
    }

    func testWideAndZeroWidthCharacters() {
        XCTAssertEqual(DisplayWidth.of("ñandú"), 5)
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1, "a combining accent adds no column")
        XCTAssertEqual(DisplayWidth.of("漢字"), 4)
        XCTAssertEqual(DisplayWidth.of("😀"), 2)
        XCTAssertEqual(DisplayWidth.of("→←↑↓·─│"), 7, "the arrows and lines the TUI draws are narrow")
    }

    func testTruncateKeepsColorsAndResetsAtTheCut() {
        let text = "\(red)abcdef\(reset)gh"
        let cut = DisplayWidth.truncate(text, toWidth: 4)
        XCTAssertEqual(cut, "\(red)abcd\(reset)")
        XCTAssertEqual(DisplayWidth.of(cut), 4)
    }

    func testTruncateLeavesShortTextAlone() {
        XCTAssertEqual(DisplayWidth.truncate("\(red)ab\(reset)", toWidth: 2), "\(red)ab\(reset)")
        XCTAssertEqual(DisplayWidth.truncate("abc", toWidth: 10), "abc")
    }

    func testTruncateNeverSplitsAWideCharacter() {
        XCTAssertEqual(DisplayWidth.truncate("a漢字", toWidth: 4), "a漢")
        XCTAssertEqual(DisplayWidth.of(DisplayWidth.truncate("a漢字", toWidth: 4)), 3)
    }

    func testTruncateWithEllipsis() {
        XCTAssertEqual(DisplayWidth.truncate("abcdefgh", toWidth: 5, ellipsis: "…"), "abcd…")
        XCTAssertEqual(DisplayWidth.of(DisplayWidth.truncate("\(red)abcdefgh", toWidth: 5, ellipsis: "…")), 5)
    }

    func testFitPadsToExactWidth() {
        XCTAssertEqual(DisplayWidth.fit("ab", toWidth: 4), "ab  ")
        XCTAssertEqual(DisplayWidth.of(DisplayWidth.fit("\(red)ab\(reset)", toWidth: 6)), 6)
        XCTAssertEqual(DisplayWidth.fit("abcdef", toWidth: 3), "abc")
        XCTAssertEqual(DisplayWidth.fit("x", toWidth: 0), "")
    }

    func testStripped() {
        XCTAssertEqual(DisplayWidth.stripped("\(red)QoS\(reset) 2"), "QoS 2")
    }
}
