/// One line of a lesson file with its 1-based number, after any container prefix (`> `, a list item's
/// indentation) has been taken off.
struct SourceLine: Sendable, Equatable {
    var number: Int
    var text: String

    var isBlank: Bool { text.allSatisfy { $0 == " " || $0 == "\t" } }

    /// Columns of leading indentation (a tab counts as 4).
    var indentation: Int {
        var columns = 0
        for character in text {
            if character == " " { columns += 1 } else if character == "\t" { columns += 4 } else { break }
        }
        return columns
    }

    /// The line with up to `columns` columns of leading indentation removed.
    func dedented(by columns: Int) -> SourceLine {
        var removed = 0
        var index = text.startIndex
        while index < text.endIndex, removed < columns {
            let character = text[index]
            if character == " " { removed += 1 } else if character == "\t" { removed += 4 } else { break }
            index = text.index(after: index)
        }
        return SourceLine(number: number, text: String(text[index...]))
    }

    var trimmed: String { text.trimmingSpaces() }

    /// Splits a file into lines: "\n" or "\r\n" endings; a UTF-8 byte order mark at the start is dropped.
    static func lines(of text: String) -> [SourceLine] {
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        var result: [SourceLine] = []
        var number = 1
        // Split on "\n" by scalars: Swift treats "\r\n" as one Character, so split the unicode scalars.
        var current = String.UnicodeScalarView()
        for scalar in body.unicodeScalars {
            if scalar == "\n" {
                result.append(SourceLine(number: number, text: Self.droppingCarriageReturn(String(current))))
                current = String.UnicodeScalarView()
                number += 1
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { result.append(SourceLine(number: number, text: Self.droppingCarriageReturn(String(current)))) }
        return result
    }

    private static func droppingCarriageReturn(_ text: String) -> String {
        text.unicodeScalars.last == "\r" ? String(String.UnicodeScalarView(text.unicodeScalars.dropLast())) : text
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Without trailing spaces and tabs.
    func trimmingTrailingSpaces() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
