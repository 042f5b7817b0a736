/// Whether a command printed what a lesson's ```output block says (the rule of Docs/AUTHORING.md):
/// every non-empty expected line appears in the actual output, in order, other lines may come in
/// between; inside a line `...` matches any text; trailing spaces are ignored.
public enum OutputMatcher {
    /// The first expected line that could not be found (after the ones before it matched).
    public struct Mismatch: Sendable, Equatable, CustomStringConvertible {
        /// 0-based index in the output block's lines.
        public var index: Int
        public var expected: String
        /// How many expected lines matched before this one.
        public var matched: Int

        public var description: String { "expected line \(index + 1) not found (after \(matched) matched): \(expected)" }
    }

    /// Nil when `actual` matches `expected`.
    public static func mismatch(expected: [String], actual: String) -> Mismatch? {
        let lines = actual.split(separator: "\n", omittingEmptySubsequences: false).map { stripEscapes(String($0)).trimmingTrailingSpaces() }
        var position = 0
        var matched = 0
        for (index, pattern) in expected.enumerated() {
            let wanted = pattern.trimmingTrailingSpaces()
            if wanted.trimmingSpaces().isEmpty { continue }
            guard let found = lines[position...].firstIndex(where: { lineMatches(pattern: wanted, line: $0) }) else {
                return Mismatch(index: index, expected: wanted, matched: matched)
            }
            position = found + 1
            matched += 1
        }
        return nil
    }

    /// True when `line` matches `pattern`, where each `...` stands for any text (possibly none).
    public static func lineMatches(pattern: String, line: String) -> Bool {
        let pattern = pattern.trimmingTrailingSpaces()
        let line = line.trimmingTrailingSpaces()
        let parts = pattern.split(separator: "...", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == line }
        let first = parts[0]
        let last = parts[parts.count - 1]
        guard line.hasPrefix(first), line.hasSuffix(last), first.count + last.count <= line.count else { return false }
        var rest = Substring(line.dropFirst(first.count).dropLast(last.count))
        for middle in parts.dropFirst().dropLast() where !middle.isEmpty {
            guard let range = rest.firstRange(of: middle) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }

    /// Removes ANSI escape sequences (CSI … final byte), in case a command colored its output anyway.
    static func stripEscapes(_ text: String) -> String {
        guard text.contains("\u{1B}") else { return text }
        var result = ""
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if scalar == "\u{1B}" {
                if let next = iterator.next(), next == "[" {
                    while let inner = iterator.next(), !(0x40...0x7E).contains(inner.value) {}
                }
                continue
            }
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}

