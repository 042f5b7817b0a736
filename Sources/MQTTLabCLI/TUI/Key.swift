/// One key press, as a terminal in raw mode reports it. Knows nothing about what the key is for.
public enum Key: Sendable, Equatable, Hashable {
    case up, down, left, right
    case home, end, pageUp, pageDown
    case insert, delete
    case enter, tab, backTab, backspace, escape, space
    /// A printable character (never a control character or a space; those have their own cases).
    case character(Character)
    /// Ctrl plus a letter (`.control("c")` for Ctrl-C, which raw mode delivers as a byte, not a signal).
    case control(Character)
    /// F1 to F12.
    case function(Int)
    /// A sequence this decoder does not know, kept so a caller can log or ignore it.
    case unknown([UInt8])

    /// The text the key types into an input line (a filter, a search box), or nil for keys that edit or move.
    public var typedText: String? {
        switch self {
        case .character(let character): String(character)
        case .space: " "
        default: nil
        }
    }
}
