import XCTest

@testable import MQTTLabCLI

/// Whole frames in, the exact bytes that draw them out.
final class FrameRendererTests: XCTestCase {
    private let size = TerminalSize(columns: 4, rows: 2)

    func testFirstFrameClearsAndDrawsEveryRowPaddedToTheWidth() {
        var renderer = FrameRenderer()
        let output = renderer.render(["ab"], size: size)
        XCTAssertEqual(output, ANSI.resetStyle + ANSI.clearScreen
                       + ANSI.moveTo(row: 1, column: 1) + "ab  " + ANSI.resetStyle
                       + ANSI.moveTo(row: 2, column: 1) + "    " + ANSI.resetStyle)
    }

    func testLongLinesAreCutAndExtraLinesDropped() {
        var renderer = FrameRenderer()
        let output = renderer.render(["abcdefgh", "12345", "never shown"], size: size)
        XCTAssertTrue(output.contains("abcd" + ANSI.resetStyle))
        XCTAssertTrue(output.contains("1234" + ANSI.resetStyle))
        XCTAssertFalse(output.contains("never"))
        XCTAssertFalse(output.contains("e"), "nothing past the width is sent")
    }

    func testOnlyChangedRowsAreRedrawn() {
        var renderer = FrameRenderer()
        _ = renderer.render(["ab", "cd"], size: size)
        XCTAssertEqual(renderer.render(["ab", "cd"], size: size), "", "nothing changed")
        XCTAssertEqual(renderer.render(["ab", "xy"], size: size),
                       ANSI.moveTo(row: 2, column: 1) + "xy  " + ANSI.resetStyle)
    }

    func testAResizeOrInvalidateRedrawsEverything() {
        var renderer = FrameRenderer()
        _ = renderer.render(["ab"], size: size)
        let bigger = renderer.render(["ab"], size: TerminalSize(columns: 5, rows: 3))
        XCTAssertTrue(bigger.hasPrefix(ANSI.resetStyle + ANSI.clearScreen))
        XCTAssertTrue(bigger.contains(ANSI.moveTo(row: 3, column: 1)))
        renderer.invalidate()
        XCTAssertTrue(renderer.render(["ab"], size: TerminalSize(columns: 5, rows: 3)).hasPrefix(ANSI.resetStyle + ANSI.clearScreen))
    }

    func testColoredLinesAreCutAtTheVisibleWidth() {
        var renderer = FrameRenderer()
        let output = renderer.render(["\u{1B}[7mabcdef\u{1B}[27m"], size: size)
        XCTAssertTrue(output.contains("\u{1B}[7mabcd\u{1B}[0m"))
    }
}
