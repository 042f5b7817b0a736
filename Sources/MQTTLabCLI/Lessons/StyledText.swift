/// A run of text with one set of SGR codes ("1", "36", "1;36"; empty for none), and the layout helpers
/// that wrap runs to a width without counting escape codes.
struct StyledSpan: Equatable {
    var text: String
    var codes: String
    /// True for inline code: its spaces do not break the line, so a command stays whole on one line.
    var keepsTogether: Bool

    init(_ text: String, _ codes: String = "", keepsTogether: Bool = false) {
        self.text = text
        self.codes = codes
        self.keepsTogether = keepsTogether
    }
}

enum TextLayout {
    /// Columns a string takes on a terminal (the TUI layer's rules: wide characters two, combining marks none).
    static func width(_ text: String) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    static func width(of character: Character) -> Int {
        DisplayWidth.columns(of: character)
    }

    /// Spans joined into one line, with escape codes when `style` is enabled.
    static func render(_ spans: [StyledSpan], style: Style) -> String {
        spans.map { $0.codes.isEmpty ? $0.text : style.apply($0.codes, $0.text) }.joined()
    }

    /// Greedy word wrap of `spans` to `width` columns. Words longer than a line are cut. Lines carry no
    /// trailing spaces. Returns each line as spans (the caller adds prefixes and renders).
    static func wrap(_ spans: [StyledSpan], width: Int) -> [[StyledSpan]] {
        let width = max(width, 1)
        // Words: groups of pieces between spaces ("**x**," is one word of two pieces).
        var words: [[StyledSpan]] = []
        var current: [StyledSpan] = []
        for span in spans {
            var piece = ""
            for character in span.text {
                if (character == " " && !span.keepsTogether) || character == "\n" {
                    if !piece.isEmpty { current.append(StyledSpan(piece, span.codes)) }
                    piece = ""
                    if !current.isEmpty { words.append(current) }
                    current = []
                } else {
                    piece.append(character)
                }
            }
            if !piece.isEmpty { current.append(StyledSpan(piece, span.codes)) }
        }
        if !current.isEmpty { words.append(current) }

        var lines: [[StyledSpan]] = []
        var line: [StyledSpan] = []
        var used = 0
        for word in words {
            let wordWidth = word.reduce(0) { $0 + TextLayout.width($1.text) }
            if used > 0, used + 1 + wordWidth > width {
                lines.append(line)
                line = []
                used = 0
            }
            if wordWidth > width {
                // Cut an over-long word (a URL, a long topic) across lines.
                for span in word {
                    var chunk = ""
                    for character in span.text {
                        if used + TextLayout.width(chunk) + TextLayout.width(of: character) > width {
                            if !chunk.isEmpty { line.append(StyledSpan(chunk, span.codes)) }
                            lines.append(line)
                            line = []
                            used = 0
                            chunk = ""
                        }
                        chunk.append(character)
                    }
                    if !chunk.isEmpty {
                        line.append(StyledSpan(chunk, span.codes))
                        used += TextLayout.width(chunk)
                    }
                }
                continue
            }
            if used > 0 {
                line.append(StyledSpan(" "))
                used += 1
            }
            line += word
            used += wordWidth
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// Cuts a preformatted line (code, output) into pieces of at most `width` columns.
    static func hardWrap(_ text: String, width: Int) -> [String] {
        let width = max(width, 4)
        var result: [String] = []
        var current = ""
        var used = 0
        for character in text.trimmingTrailingWhitespace() {
            let columns = TextLayout.width(of: character)
            if used + columns > width {
                result.append(current)
                current = ""
                used = 0
            }
            current.append(character)
            used += columns
        }
        result.append(current)
        return result
    }

    static func pad(_ text: String, to columns: Int) -> String {
        text + String(repeating: " ", count: max(0, columns - width(text)))
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var result = self
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result.removeLast() }
        return result.replacingTabs()
    }

    /// Tabs as spaces to the next multiple of 4, so preformatted text keeps its columns.
    func replacingTabs() -> String {
        guard contains("\t") else { return self }
        var result = ""
        for character in self {
            if character == "\t" {
                result += String(repeating: " ", count: 4 - TextLayout.width(result) % 4)
            } else {
                result.append(character)
            }
        }
        return result
    }
}
