/// The users of a hashed password file, ready to check a CONNECT's user name and password.
public struct PasswordTable: Equatable, Sendable {
    public private(set) var hashes: [String: PasswordHash]

    public init(hashes: [String: PasswordHash]) { self.hashes = hashes }

    /// Every entry must be a `$7$` or `$6$` hash; a plain-text password is an error with its line (as in
    /// Mosquitto 2.0, which refuses to start with one).
    public init(file: PasswordFile, path: String) throws(PasswordFileError) {
        var hashes: [String: PasswordHash] = [:]
        for (index, line) in file.lines.enumerated() {
            guard case let .entry(user, secret) = line else { continue }
            do {
                hashes[user] = try PasswordHash(encoded: secret)
            } catch {
                throw PasswordFileError(path: path, line: index + 1, reason: "user '\(user)': \(error)")
            }
        }
        self.hashes = hashes
    }

    public init(contentsOf path: String) throws(PasswordFileError) {
        try self.init(file: PasswordFile(contentsOf: path), path: path)
    }

    /// True only for a known user with the right password. An unknown user costs no hashing; the
    /// difference in time is not hidden (a classroom broker, not a bank).
    public func verify(user: String, password: [UInt8]) -> Bool {
        guard let hash = hashes[user] else { return false }
        return hash.verify(password: password)
    }
}
