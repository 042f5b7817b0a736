/// A problem in an exercise file: `path:line:column: message`, the compilers' format, so editors and CI
/// logs jump straight to it.
public struct ExerciseDiagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// 1-based; 0 when the problem is the file as a whole.
    public var line: Int
    public var column: Int
    public var message: String

    public init(path: String, line: Int, column: Int = 1, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(path):\(line):\(column): \(message)" : "\(path): \(message)"
    }
}

/// Thrown when exercises cannot be loaded: every problem found, in file and line order.
public struct ExerciseErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ExerciseDiagnostic]

    public init(_ diagnostics: [ExerciseDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// "did you mean …?" for a misspelt key or name: the closest known word within a small edit distance.
enum Suggestion {
    static func closest(to word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, word.count / 3) ? best.0 : nil
    }

    static func hint(for word: String, among candidates: [String]) -> String {
        if candidates.isEmpty { return "" }
        if let best = closest(to: word, among: candidates) { return " (did you mean '\(best)'?)" }
        return " (known: \(candidates.sorted().joined(separator: ", ")))"
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
