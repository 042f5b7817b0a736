/// A problem in a lesson file, located for an editor: `path:line: message` (the compilers' format, so
/// editors and CI logs link straight to the line).
public struct LessonDiagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: Sendable, Equatable {
        /// The lesson is wrong: lint fails, the reader refuses the file.
        case error
        /// Probably a mistake (an unknown front matter key), but the lesson still reads.
        case warning
    }

    public var path: String
    /// 1-based.
    public var line: Int
    public var message: String
    public var severity: Severity

    public init(path: String, line: Int, message: String, severity: Severity = .error) {
        self.path = path
        self.line = line
        self.message = message
        self.severity = severity
    }

    public var description: String {
        switch severity {
        case .error: "\(path):\(line): \(message)"
        case .warning: "\(path):\(line): warning: \(message)"
        }
    }
}

/// Thrown when a lesson cannot be read: its errors, in line order.
public struct LessonErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [LessonDiagnostic]

    public init(_ diagnostics: [LessonDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
