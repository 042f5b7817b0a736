import MQTTCodec

/// Who may read and write which topics: Mosquitto 2.0's `acl_file`, parsed (`AccessControlListParser`) and
/// checked as Mosquitto's default ACL check does it.
///
/// The order of the check is Mosquitto's, and it matters: the client's own rules come first (the user's
/// block, or the anonymous section for a client without a user name), `deny` lines before grants; only when
/// none of them grants, the `pattern` lines, again `deny` first. So a user's own `topic` grant wins over a
/// `pattern deny`, while a user's `topic deny` wins over everything.
public struct AccessControlList: Sendable, Equatable {
    /// The file the rules came from, as named by the user (the trace cites `source:line`).
    public var source: String
    /// `topic` lines before any `user` line: they apply to clients without a user name.
    public var anonymousRules: [AccessRule] = []
    /// `topic` lines of each `user` block (two blocks of one user add up, as in Mosquitto).
    public var userRules: [String: [AccessRule]] = [:]
    /// `pattern` lines, wherever they are written: they apply to every client.
    public var patterns: [AccessRule] = []

    public init(source: String) {
        self.source = source
    }

    /// Whether `username` (nil: anonymous) connected as `clientID` may `access` the concrete `topic`.
    public func check(username: String?, clientID: String, topic: String, access: TopicAccess) -> AccessDecision {
        let own: [AccessRule]? = username.map { userRules[$0] } ?? anonymousRules
        if let own {
            for rule in own where rule.grant == .deny && TopicFilter.matches(filter: rule.filter, topic: topic) {
                return .denied(.deniedByRule(rule))
            }
            for rule in own where rule.grant.allows(access) && TopicFilter.matches(filter: rule.filter, topic: topic) {
                return .granted(rule)
            }
        }
        guard !patterns.isEmpty else { return .denied(.noRuleGrants) }
        // Mosquitto refuses a `+` or `#` in the name or id: substituted into a pattern they would widen it.
        if let username, username.contains(where: { $0 == "+" || $0 == "#" }) { return .denied(.wildcardInUsername) }
        if clientID.contains(where: { $0 == "+" || $0 == "#" }) { return .denied(.wildcardInClientID) }
        for rule in patterns where rule.grant == .deny {
            guard let filter = rule.substituted(username: username, clientID: clientID) else { continue }
            if TopicFilter.matches(filter: filter, topic: topic) { return .denied(.deniedByRule(rule)) }
        }
        for rule in patterns where rule.grant.allows(access) {
            guard let filter = rule.substituted(username: username, clientID: clientID) else { continue }
            if TopicFilter.matches(filter: filter, topic: topic) { return .granted(rule) }
        }
        return .denied(.noRuleGrants)
    }
}

/// What a client wants to do with a topic. Subscribing is not checked (Mosquitto 2.0's ACL file grants every
/// SUBSCRIBE); reading is checked for each message when it is delivered.
public enum TopicAccess: Sendable, Equatable {
    case read
    case write
}

/// One `topic` or `pattern` line.
public struct AccessRule: Sendable, Equatable {
    public enum Grant: Sendable, Equatable {
        case read, write, readWrite, deny

        func allows(_ access: TopicAccess) -> Bool {
            switch (self, access) {
            case (.readWrite, _), (.read, .read), (.write, .write): true
            default: false
            }
        }

        /// The word as written in the file.
        public var word: String {
            switch self {
            case .read: "read"
            case .write: "write"
            case .readWrite: "readwrite"
            case .deny: "deny"
            }
        }
    }

    public var grant: Grant
    /// The topic filter as written (`pattern` lines may hold `%c` and `%u`).
    public var filter: String
    public var line: Int
    public var isPattern: Bool

    public init(grant: Grant, filter: String, line: Int, isPattern: Bool) {
        self.grant = grant
        self.filter = filter
        self.line = line
        self.isPattern = isPattern
    }

    /// The line as it would be written in the file.
    public var text: String { "\(isPattern ? "pattern" : "topic") \(grant.word) \(filter)" }

    /// The filter with `%c` and `%u` replaced; nil for a `%u` pattern and an anonymous client, which
    /// Mosquitto skips.
    func substituted(username: String?, clientID: String) -> String? {
        guard filter.contains("%") else { return filter }
        if username == nil && filter.contains("%u") { return nil }
        var result = ""
        var pending = false
        for character in filter {
            if pending {
                pending = false
                switch character {
                case "c": result += clientID; continue
                case "u": result += username ?? ""; continue
                default: result.append("%")
                }
            }
            if character == "%" { pending = true } else { result.append(character) }
        }
        if pending { result.append("%") }
        return result
    }
}

/// The answer of an ACL check.
public enum AccessDecision: Sendable, Equatable {
    /// Allowed by this rule.
    case granted(AccessRule)
    case denied(AccessDenialReason)

    public var isGranted: Bool {
        if case .granted = self { true } else { false }
    }
}

/// Why an ACL check said no.
public enum AccessDenialReason: Sendable, Equatable {
    /// A `deny` line matched.
    case deniedByRule(AccessRule)
    /// No line grants this access to this client.
    case noRuleGrants
    /// The user name holds `+` or `#` and the file has patterns (Mosquitto refuses such clients everything).
    case wildcardInUsername
    case wildcardInClientID
}
