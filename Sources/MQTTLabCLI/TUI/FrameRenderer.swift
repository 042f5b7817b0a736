/// Turns a frame — the lines a program wants on screen — into the bytes that put it there.
///
/// Every line is cut or padded to the width (ANSI-aware, see `DisplayWidth`), missing lines are blank
/// and extra ones dropped, so the frame always fills the screen exactly and nothing of the previous frame
/// survives. Against the previous frame of the same size only the rows that changed are rewritten,
/// which keeps redraws flicker-free over slow links. Pure: no I/O, so it is tested byte for byte.
public struct FrameRenderer: Sendable {
    private var previous: [String] = []
    private var previousSize: TerminalSize?

    public init() {}

    /// Forget what is on screen (after a resize or when another program may have drawn): the next
    /// frame is drawn whole.
    public mutating func invalidate() {
        previous = []
        previousSize = nil
    }

    /// The escape sequences and text that turn the screen into `lines`. Empty when nothing changed.
    public mutating func render(_ lines: [String], size: TerminalSize) -> String {
        let rows = (0..<size.rows).map { row in
            DisplayWidth.fit(row < lines.count ? lines[row] : "", toWidth: size.columns)
        }
        let whole = previousSize != size || previous.count != rows.count
        var output = whole ? ANSI.resetStyle + ANSI.clearScreen : ""
        for (row, line) in rows.enumerated() where whole || previous[row] != line {
            // Rows are 1-based; every line is exactly `columns` wide, so no clear-to-end is needed.
            output += ANSI.moveTo(row: row + 1, column: 1) + line + ANSI.resetStyle
        }
        previous = rows
        previousSize = size
        return output
    }
}

/// The few ANSI/VT100 control sequences the TUI layer sends.
public enum ANSI {
    public static let escape = "\u{1B}"
    public static let resetStyle = "\u{1B}[0m"
    public static let clearScreen = "\u{1B}[2J"
    public static let hideCursor = "\u{1B}[?25l"
    public static let showCursor = "\u{1B}[?25h"
    public static let enterAlternateScreen = "\u{1B}[?1049h"
    public static let leaveAlternateScreen = "\u{1B}[?1049l"
    /// Without autowrap, a character in the last column of the last row cannot scroll the screen.
    public static let disableAutowrap = "\u{1B}[?7l"
    public static let enableAutowrap = "\u{1B}[?7h"

    public static func moveTo(row: Int, column: Int) -> String { "\u{1B}[\(row);\(column)H" }

    /// Reverse video: the usual way to highlight without knowing the palette.
    public static func reverse(_ text: String) -> String { "\u{1B}[7m\(text)\u{1B}[27m" }
}
