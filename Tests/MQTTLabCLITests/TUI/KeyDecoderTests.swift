import XCTest

@testable import MQTTLabCLI

/// The bytes real terminals (xterm, tmux, the Linux console, macOS Terminal) send, turned into keys.
final class KeyDecoderTests: XCTestCase {
    private func keys(_ bytes: [UInt8]) -> [Key] {
        var decoder = KeyDecoder()
        return decoder.feed(bytes) + decoder.flushPending()
    }

    private func keys(_ text: String) -> [Key] { keys(Array(text.utf8)) }

    func testArrowsInNormalAndApplicationCursorMode() {
        XCTAssertEqual(keys("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D"), [.up, .down, .right, .left])
        XCTAssertEqual(keys("\u{1B}OA\u{1B}OB\u{1B}OC\u{1B}OD"), [.up, .down, .right, .left])
    }

    func testModifiedArrowsStillMove() {
        XCTAssertEqual(keys("\u{1B}[1;5C\u{1B}[1;2A"), [.right, .up], "Ctrl+Right and Shift+Up")
    }

    func testEditingAndPagingKeys() {
        XCTAssertEqual(keys("\u{1B}[H\u{1B}[F\u{1B}[1~\u{1B}[4~\u{1B}[5~\u{1B}[6~\u{1B}[3~\u{1B}[2~\u{1B}[Z"),
                       [.home, .end, .home, .end, .pageUp, .pageDown, .delete, .insert, .backTab])
        XCTAssertEqual(keys("\u{1B}OP\u{1B}[15~\u{1B}[24~"), [.function(1), .function(5), .function(12)])
    }

    func testEnterSpaceBackspaceTabAndControl() {
        XCTAssertEqual(keys([0x0D, 0x0A, 0x20, 0x7F, 0x08, 0x09, 0x03, 0x11]),
                       [.enter, .enter, .space, .backspace, .backspace, .tab, .control("c"), .control("q")])
    }

    func testPrintableASCIIAndUTF8() {
        XCTAssertEqual(keys("q/n"), [.character("q"), .character("/"), .character("n")])
        XCTAssertEqual(keys("ñé€😀"), [.character("ñ"), .character("é"), .character("€"), .character("😀")])
    }

    func testUTF8SplitAcrossReadsWaitsForTheRest() {
        var decoder = KeyDecoder()
        let euro: [UInt8] = Array("€".utf8)
        XCTAssertEqual(decoder.feed(euro.prefix(1)), [])
        XCTAssertTrue(decoder.hasPending)
        XCTAssertEqual(decoder.feed(euro.dropFirst().prefix(1)), [])
        XCTAssertEqual(decoder.feed(euro.suffix(1)), [.character("€")])
        XCTAssertFalse(decoder.hasPending)
    }

    func testEscapeSequenceSplitAcrossReads() {
        var decoder = KeyDecoder()
        XCTAssertEqual(decoder.feed([0x1B]), [])
        XCTAssertEqual(decoder.feed(Array("[".utf8)), [])
        XCTAssertEqual(decoder.feed(Array("B".utf8)), [.down])
    }

    func testLoneEscapeIsOnlyReportedWhenNothingFollows() {
        var decoder = KeyDecoder()
        XCTAssertEqual(decoder.feed([0x1B]), [], "could still be the start of an arrow key")
        XCTAssertEqual(decoder.flushPending(), [.escape])
        XCTAssertEqual(decoder.feed([0x1B, 0x1B]), [.escape], "ESC ESC: the first is a real Escape")
        XCTAssertEqual(decoder.flushPending(), [.escape])
    }

    func testEscapeFollowedByALetterIsEscapeThenTheLetter() {
        XCTAssertEqual(keys("\u{1B}q"), [.escape, .character("q")])
    }

    func testInvalidBytesBecomeUnknownWithoutLosingWhatFollows() {
        XCTAssertEqual(keys([0xFF, 0x61]), [.unknown([0xFF]), .character("a")])
        XCTAssertEqual(keys([0xE2, 0x61]), [.unknown([0xE2]), .character("a")], "a cut UTF-8 character")
        XCTAssertEqual(keys("\u{1B}[99~x"), [.unknown(Array("\u{1B}[99~".utf8)), .character("x")])
    }

    func testAnEndlessSequenceIsGivenUpNotBufferedForEver() {
        var decoder = KeyDecoder()
        let endless = [0x1B, UInt8(ascii: "[")] + [UInt8](repeating: UInt8(ascii: "1"), count: 100)
        let result = decoder.feed(endless)
        XCTAssertEqual(result.count, 1)
        guard case .unknown = result.first else { return XCTFail("expected unknown, got \(result)") }
        XCTAssertFalse(decoder.hasPending)
    }

    func testTypedTextOfKeys() {
        XCTAssertEqual(Key.character("ñ").typedText, "ñ")
        XCTAssertEqual(Key.space.typedText, " ")
        XCTAssertNil(Key.left.typedText)
        XCTAssertNil(Key.enter.typedText)
    }
}
