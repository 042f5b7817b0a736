import Foundation

/// A Mosquitto password file as lines: `user:hash` entries, plus comments and blank lines kept as they
/// were so that rewriting the file (add, change, delete a user) changes only that user's line.
public struct PasswordFile: Equatable, Sendable {
    public enum Line: Equatable, Sendable {
        /// A blank line or one starting with `#` (Mosquitto's broker skips both).
        case other(String)
        /// `user:secret`; `secret` is a hash, or plain text before `-U`.
        case entry(user: String, secret: String)
    }

    public var lines: [Line]

    public init(lines: [Line] = []) { self.lines = lines }

    public var users: [String] {
        lines.compactMap { if case let .entry(user, _) = $0 { return user } else { return nil } }
    }

    /// Reads the text of a password file; `path` only names the file in errors.
    public init(text: String, path: String) throws(PasswordFileError) {
        var lines: [Line] = []
        var seen = Set<String>()
        // "\r\n" is one Character in Swift, so it is a separator of its own (files edited on Windows).
        var rows = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        if rows.last == "" { rows.removeLast() }
        for (index, row) in rows.enumerated() {
            let lineNumber = index + 1
            if row.trimmingCharacters(in: .whitespaces).isEmpty || row.hasPrefix("#") {
                lines.append(.other(row))
                continue
            }
            guard let colon = row.firstIndex(of: ":") else {
                throw PasswordFileError(path: path, line: lineNumber, reason: "no ':' between the user name and the password")
            }
            let user = String(row[..<colon])
            let secret = String(row[row.index(after: colon)...])
            guard !user.isEmpty else {
                throw PasswordFileError(path: path, line: lineNumber, reason: "the user name before ':' is empty")
            }
            guard seen.insert(user).inserted else {
                throw PasswordFileError(path: path, line: lineNumber, reason: "user '\(user)' appears twice")
            }
            lines.append(.entry(user: user, secret: secret))
        }
        self.lines = lines
    }

    /// Reads a file from disk.
    public init(contentsOf path: String) throws(PasswordFileError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PasswordFileError(path: path, line: nil, reason: "cannot be read (\(Self.reason(error)))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PasswordFileError(path: path, line: nil, reason: "is not UTF-8 text")
        }
        try self.init(text: text, path: path)
    }

    /// Sets (adds or replaces) a user's secret, keeping its place in the file.
    public mutating func set(user: String, secret: String) {
        if let index = lines.firstIndex(where: { if case .entry(user, _) = $0 { return true } else { return false } }) {
            lines[index] = .entry(user: user, secret: secret)
        } else {
            lines.append(.entry(user: user, secret: secret))
        }
    }

    /// Removes a user; false when there was none.
    public mutating func delete(user: String) -> Bool {
        let before = lines.count
        lines.removeAll { if case .entry(user, _) = $0 { return true } else { return false } }
        return lines.count != before
    }

    /// The file's text, one line each, ending in a newline.
    public var text: String {
        lines.map { line -> String in
            switch line {
            case let .other(text): return text
            case let .entry(user, secret): return "\(user):\(secret)"
            }
        }.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }

    /// Writes the file atomically (a temporary file in the same directory, then rename) with mode 0600:
    /// the hashes are offline-guessable, so only the owner may read them.
    public func write(to path: String) throws(PasswordFileError) {
        do {
            try AtomicFileWriter.write(Array(text.utf8), to: path, mode: 0o600)
        } catch {
            throw PasswordFileError(path: path, line: nil, reason: "cannot be written (\(error.reason))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        return nsError.localizedDescription
    }
}

/// A password file that cannot be read or is malformed: the file, the line when there is one, and why.
/// Never contains a password or a hash.
public struct PasswordFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var reason: String

    public init(path: String, line: Int?, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(path):\(line): \(reason)" }
        return "\(path): \(reason)"
    }
}
