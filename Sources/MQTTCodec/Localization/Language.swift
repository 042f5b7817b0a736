/// The languages a learner can read mqttlab in.
///
/// Every text a learner reads exists in both; a missing translation is a test failure, not a fallback.
public enum Language: String, Sendable, CaseIterable, Codable {
    case en
    case es

    /// Picks the language from an explicit choice, then `MQTTLAB_LANG`, then the POSIX locale
    /// (`LC_ALL`, `LC_MESSAGES`, `LANG`): Spanish when the locale is Spanish, English otherwise.
    public static func resolve(explicit: String?, environment: [String: String]) -> Language {
        if let explicit, let language = Language(code: explicit) { return language }
        if let fromEnvironment = environment["MQTTLAB_LANG"], let language = Language(code: fromEnvironment) {
            return language
        }
        // POSIX precedence: the first non-empty of these decides.
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty {
                return Language(code: value) ?? .en
            }
        }
        return .en
    }

    /// Accepts "es", "ES", "es_ES.UTF-8", "spanish", "en-GB" and the like.
    public init?(code: String) {
        let lowered = code.lowercased()
        if lowered.hasPrefix("es") || lowered == "spanish" || lowered == "español" || lowered == "espanol" {
            self = .es
        } else if lowered.hasPrefix("en") || lowered == "english" || lowered == "c" || lowered == "posix" {
            self = .en
        } else {
            return nil
        }
    }
}

/// A text in both languages. Kept as a pair so the compiler, not a lookup table, guarantees both exist.
public struct LocalizedText: Sendable, Equatable {
    public var en: String
    public var es: String

    public init(en: String, es: String) {
        self.en = en
        self.es = es
    }

    public func text(_ language: Language) -> String {
        switch language {
        case .en: en
        case .es: es
        }
    }
}
