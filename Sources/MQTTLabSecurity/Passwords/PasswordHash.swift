import Foundation

/// One hashed password as Mosquitto writes it after `user:` in a password file.
///
/// - `$7$<iterations>$<base64 salt>$<base64 hash>`: PBKDF2-HMAC-SHA512 (Mosquitto 2.x's default:
///   101 iterations, 12-byte salt, 64-byte hash).
/// - `$6$<base64 salt>$<base64 hash>`: one SHA-512 over password ‖ salt (Mosquitto 1.6); read, never written.
public enum PasswordHash: Equatable, Sendable {
    case pbkdf2SHA512(iterations: Int, salt: [UInt8], hash: [UInt8])
    case saltedSHA512(salt: [UInt8], hash: [UInt8])

    public static let defaultIterations = 101
    public static let saltLength = 12
    public static let hashLength = 64

    /// A new `$7$` hash of `password` with a fresh random salt.
    public static func make(password: String, iterations: Int = defaultIterations) throws -> PasswordHash {
        try make(password: password, salt: PasswordCrypto.randomBytes(saltLength), iterations: iterations)
    }

    /// A `$7$` hash with a given salt (tests compare with known vectors).
    public static func make(password: String, salt: [UInt8], iterations: Int = defaultIterations) throws -> PasswordHash {
        let hash = try PasswordCrypto.pbkdf2SHA512(password: Array(password.utf8), salt: salt, iterations: iterations, length: hashLength)
        return .pbkdf2SHA512(iterations: iterations, salt: salt, hash: hash)
    }

    /// Whether `password` (the bytes of a CONNECT's password field) matches. A PBKDF2 check with 101
    /// iterations costs about 0.1 ms.
    public func verify(password: [UInt8]) -> Bool {
        switch self {
        case let .pbkdf2SHA512(iterations, salt, hash):
            guard let computed = try? PasswordCrypto.pbkdf2SHA512(password: password, salt: salt, iterations: iterations, length: hash.count) else { return false }
            return PasswordCrypto.constantTimeEqual(computed, hash)
        case let .saltedSHA512(salt, hash):
            guard let computed = try? PasswordCrypto.sha512(password + salt) else { return false }
            return PasswordCrypto.constantTimeEqual(computed, hash)
        }
    }

    public func verify(password: String) -> Bool { verify(password: Array(password.utf8)) }

    /// The text after `user:`, exactly as mosquitto_passwd writes it.
    public var encoded: String {
        switch self {
        case let .pbkdf2SHA512(iterations, salt, hash):
            return "$7$\(iterations)$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
        case let .saltedSHA512(salt, hash):
            return "$6$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
        }
    }

    /// Reads the text after `user:`; the error says what is wrong with it (never what the hash is).
    public init(encoded text: String) throws(PasswordHashFormatError) {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts[0].isEmpty else { throw .notAHash }
        switch parts[1] {
        case "7":
            guard parts.count == 5 else { throw .wrongFieldCount(scheme: "$7$", expected: "$7$iterations$salt$hash") }
            guard let iterations = Int(parts[2]), iterations > 0 else { throw .badIterations(parts[2]) }
            guard let salt = Data(base64Encoded: parts[3]), !salt.isEmpty else { throw .badBase64(field: "salt") }
            guard let hash = Data(base64Encoded: parts[4]), hash.count == Self.hashLength else { throw .badBase64(field: "hash") }
            self = .pbkdf2SHA512(iterations: iterations, salt: Array(salt), hash: Array(hash))
        case "6":
            guard parts.count == 4 else { throw .wrongFieldCount(scheme: "$6$", expected: "$6$salt$hash") }
            guard let salt = Data(base64Encoded: parts[2]), !salt.isEmpty else { throw .badBase64(field: "salt") }
            guard let hash = Data(base64Encoded: parts[3]), hash.count == Self.hashLength else { throw .badBase64(field: "hash") }
            self = .saltedSHA512(salt: Array(salt), hash: Array(hash))
        default:
            throw .unknownScheme(parts[1])
        }
    }
}

/// Why the text after `user:` is not a hash mqttlab (or Mosquitto 2.0) can check.
public enum PasswordHashFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAHash
    case unknownScheme(String)
    case wrongFieldCount(scheme: String, expected: String)
    case badIterations(String)
    case badBase64(field: String)

    public var description: String {
        switch self {
        case .notAHash: return "the password is not hashed (it should start with $7$; hash a plain-text file with -U)"
        case let .unknownScheme(scheme): return "unknown hash type $\(scheme)$ (only $7$ PBKDF2-SHA512 and $6$ SHA-512 are known)"
        case let .wrongFieldCount(scheme, expected): return "a \(scheme) hash has the form \(expected)"
        case let .badIterations(text): return "the iteration count '\(text)' is not a positive number"
        case let .badBase64(field): return "the \(field) is not valid base64 of the right length"
        }
    }
}
