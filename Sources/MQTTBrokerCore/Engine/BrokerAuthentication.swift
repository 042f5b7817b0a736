import MQTTCodec

/// Who may connect: Mosquitto 2.0's `allow_anonymous` and `password_file`, as a pure decision on a CONNECT.
///
/// The password check is a closure so that the core needs no crypto library: the CLI gives it a
/// `PasswordTable` from MQTTLabSecurity. It runs on the connection's event loop; a PBKDF2-SHA512 check with
/// Mosquitto's 101 iterations costs about 0.1 ms, which a classroom broker can afford there (a broker for
/// thousands of logins per second would move it off the loop).
public struct BrokerAuthentication: Sendable, Equatable {
    /// The answer of a password check.
    public enum PasswordCheck: Sendable, Equatable {
        case accepted
        case unknownUser
        case wrongPassword
    }

    /// Clients without a user name may connect.
    public var allowAnonymous: Bool
    /// What checks a user name and password (nil: no password file).
    public var passwords: PasswordChecker?

    public init(allowAnonymous: Bool = true, passwords: PasswordChecker? = nil) {
        self.allowAnonymous = allowAnonymous
        self.passwords = passwords
    }

    /// Checks a user's password. `source` names it (the password file) and is what makes two checkers equal.
    public struct PasswordChecker: Sendable, Equatable {
        public var source: String
        public var check: @Sendable (_ user: String, _ password: [UInt8]) -> PasswordCheck

        public init(source: String, check: @escaping @Sendable (_ user: String, _ password: [UInt8]) -> PasswordCheck) {
            self.source = source
            self.check = check
        }

        public static func == (lhs: PasswordChecker, rhs: PasswordChecker) -> Bool { lhs.source == rhs.source }
    }

    /// nil when the client may connect; otherwise why not. Mirrors Mosquitto 2.0:
    /// - no user name: only if anonymous clients are allowed;
    /// - a user name and a password file: the user must be in it with that password (a missing password
    ///   is a wrong one), whether or not anonymous clients are allowed;
    /// - a user name and no password file: the name is only a label, accepted if anonymous clients are.
    public func refusal(username: String?, password: [UInt8]?) -> AuthenticationFailure? {
        guard let username else { return allowAnonymous ? nil : .anonymousNotAllowed }
        guard let passwords else { return allowAnonymous ? nil : .noPasswordFile }
        guard let password else {
            return passwords.check(username, []) == .unknownUser ? .unknownUser : .noPassword
        }
        switch passwords.check(username, password) {
        case .accepted: return nil
        case .unknownUser: return .unknownUser
        case .wrongPassword: return .wrongPassword
        }
    }
}

/// Why a CONNECT's credentials were refused (the trace says it; the client only sees "not authorized").
public enum AuthenticationFailure: Sendable, Equatable {
    /// No user name, and `allow_anonymous false`.
    case anonymousNotAllowed
    /// A user name, `allow_anonymous false`, and no password file to check it against.
    case noPasswordFile
    case unknownUser
    case wrongPassword
    /// A known user name without a password.
    case noPassword
    /// The TLS listener takes the user name from the client certificate (`use_identity_as_username`) and the
    /// client presented none.
    case noClientCertificate
}
