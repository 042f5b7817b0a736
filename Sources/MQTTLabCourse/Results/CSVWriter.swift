/// RFC 4180 CSV: a field is quoted when it holds the delimiter, a quote, CR or LF (quotes doubled inside);
/// records end with CRLF. The delimiter is chosen (`;` for spreadsheets in a Spanish locale).
public struct CSVWriter: Sendable {
    public var delimiter: Character

    public init(delimiter: Character = ",") {
        self.delimiter = delimiter
    }

    public func field(_ text: String) -> String {
        let needsQuotes = text.contains(delimiter) || text.contains("\"") || text.contains("\r") || text.contains("\n")
            || text.first == " " || text.last == " "
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: String(delimiter)) + "\r\n"
    }

    public func document(_ rows: [[String]]) -> String {
        rows.map(record).joined()
    }
}

/// Numbers as a gradebook wants them: at most two decimals (no 3.0000000000000004), no trailing zeros,
/// with the chosen decimal mark.
public struct ScoreFormat: Sendable, Equatable {
    public var decimalMark: Character

    public init(decimalMark: Character = ".") {
        self.decimalMark = decimalMark
    }

    public func text(_ value: Double) -> String {
        let hundredths = Int64((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let whole = magnitude / 100, fraction = magnitude % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        let digits = fraction % 10 == 0 ? "\(fraction / 10)" : (fraction < 10 ? "0\(fraction)" : "\(fraction)")
        return "\(sign)\(whole)\(decimalMark)\(digits)"
    }
}
