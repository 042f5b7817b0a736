/// How many terminal columns text takes, ignoring ANSI escape sequences, and how to cut or pad it to a
/// width without breaking those sequences — so a colored line is cut at the right column and its colors
/// do not leak into the next line.
public enum DisplayWidth {
    /// Columns `text` occupies on screen: escape sequences take none, wide (CJK, most emoji) characters
    /// two, combining marks and zero-width characters none.
    public static func of(_ text: String) -> Int {
        var width = 0
        forEachPiece(of: text) { piece in
            if case .visible(_, let columns) = piece { width += columns }
            return true
        }
        return width
    }

    /// `text` cut to at most `width` columns. Escape sequences are kept (so a color opened before the cut
    /// still applies to what remains), and when any was seen a reset (`ESC[0m`) is added at the end so the
    /// style stops with the line. A wide character that would straddle the limit is dropped.
    public static func truncate(_ text: String, toWidth width: Int, ellipsis: String = "") -> String {
        guard of(text) > width else { return text }
        let ellipsisWidth = of(ellipsis)
        let budget = max(0, width - ellipsisWidth)
        var result = ""
        var used = 0
        var sawEscape = false
        forEachPiece(of: text) { piece in
            switch piece {
            case .escape(let sequence):
                result += sequence
                sawEscape = true
            case .visible(let character, let columns):
                if used + columns > budget { return false }
                result.append(character)
                used += columns
            }
            return true
        }
        if ellipsisWidth <= width { result += ellipsis }
        if sawEscape { result += "\u{1B}[0m" }
        return result
    }

    /// `text` cut or padded with spaces to exactly `width` columns.
    public static func fit(_ text: String, toWidth width: Int) -> String {
        let cut = truncate(text, toWidth: width)
        let missing = width - of(cut)
        return missing > 0 ? cut + String(repeating: " ", count: missing) : cut
    }

    /// `text` without its escape sequences: what a screen reader or a plain copy shows.
    public static func stripped(_ text: String) -> String {
        var result = ""
        forEachPiece(of: text) { piece in
            if case .visible(let character, _) = piece { result.append(character) }
            return true
        }
        return result
    }

    /// Columns one character (grapheme cluster) takes.
    public static func columns(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        // An emoji presentation selector makes a narrow symbol wide (☀︎ vs ☀️).
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        return columns(of: first)
    }

    static func columns(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if scalar.properties.isEmojiPresentation { return 2 }
        for range in wideRanges where range.contains(value) { return 2 }
        return 1
    }

    /// East Asian Wide and Fullwidth blocks (Unicode TR 11), the ones terminals draw two columns wide.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    enum Piece {
        case escape(String)
        case visible(Character, columns: Int)
    }

    /// Walks `text` as escape sequences and visible characters; `body` returns false to stop.
    static func forEachPiece(of text: String, _ body: (Piece) -> Bool) {
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\u{1B}" {
                let end = endOfEscape(in: text, from: index)
                guard body(.escape(String(text[index..<end]))) else { return }
                index = end
            } else {
                guard body(.visible(character, columns: columns(of: character))) else { return }
                index = text.index(after: index)
            }
        }
    }

    /// One past the end of the escape sequence starting at `start` (an ESC): CSI (`ESC [ … final`),
    /// OSC (`ESC ] … BEL` or `ESC ] … ESC \`), or a two-character escape.
    private static func endOfEscape(in text: String, from start: String.Index) -> String.Index {
        let scalars = text.unicodeScalars
        var index = scalars.index(after: start)
        guard index < scalars.endIndex else { return index }
        let introducer = scalars[index]
        index = scalars.index(after: index)
        switch introducer {
        case "[":
            while index < scalars.endIndex {
                let value = scalars[index].value
                index = scalars.index(after: index)
                if (0x40...0x7E).contains(value) { break }
            }
        case "]":
            while index < scalars.endIndex {
                let scalar = scalars[index]
                index = scalars.index(after: index)
                if scalar == "\u{07}" { break }
                if scalar == "\u{1B}", index < scalars.endIndex, scalars[index] == "\\" {
                    index = scalars.index(after: index)
                    break
                }
            }
        default:
            break
        }
        return index
    }
}
