#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the output is written to: whether to use colors and how wide a line may be.
struct Terminal: Sendable {
    var colors: Bool
    /// Nil when the output is not a terminal: lines are not wrapped, so pipes and files keep whole lines.
    var width: Int?

    /// Colors only on a terminal, never with `NO_COLOR` (https://no-color.org) or `TERM=dumb`.
    static func detect(choice: ColorChoice, environment: [String: String]) -> Terminal {
        let tty = isatty(STDOUT_FILENO) == 1
        let colors: Bool = switch choice {
        case .always: true
        case .never: false
        case .auto: tty && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        }
        var width: Int?
        if tty {
            var size = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { width = Int(size.ws_col) }
            if width == nil, let columns = environment["COLUMNS"].flatMap(Int.init) { width = columns }
        }
        return Terminal(colors: colors, width: width)
    }
}

/// `--color auto|always|never`.
enum ColorChoice: String, CaseIterable, Sendable {
    case auto, always, never
}

/// ANSI styles from the basic 16-color set, which terminals map to their theme's palette, so they read
/// on light and dark backgrounds alike.
struct Style {
    var enabled: Bool

    static let fieldPalette = ["36", "35", "32", "34", "33", "31"]

    func apply(_ code: String, _ text: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func bold(_ text: String) -> String { apply("1", text) }
    func faint(_ text: String) -> String { apply("2", text) }
    func error(_ text: String) -> String { apply("1;31", text) }
    func good(_ text: String) -> String { apply("32", text) }
    /// The color of the n-th field, the same in the hex dump and in the table.
    func field(_ index: Int, _ text: String) -> String { apply(Self.fieldPalette[index % Self.fieldPalette.count], text) }
}
