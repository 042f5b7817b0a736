import MQTTCodec

/// Reads an `acl_file` the way Mosquitto 2.0.11 does, measured line by line against it:
/// - blank lines and lines starting with `#` (after leading blanks) are skipped;
/// - `user NAME` starts a user's block (the rest of the line is the name, spaces included);
/// - `topic [read|write|readwrite|deny] FILTER` and `pattern …` (same form): one word alone is the filter,
///   with `readwrite` access (so `topic read` grants everything on the topic `read`); with two or more
///   words the first must be the access and the rest, spaces included, is the filter;
/// - anything else, a filter that is not a valid topic filter, or a `user` without a name is an error.
///
/// Mosquitto stops with such a file and so does mqttlab; every error names its line. A `pattern` without
/// `%c` or `%u` is accepted with a warning, as Mosquitto does.
public struct AccessControlListParser: Sendable {
    public let source: String

    public init(source: String) {
        self.source = source
    }

    /// The rules and the warnings, or every error found.
    public func parse(_ text: String) -> Result<(list: AccessControlList, warnings: [AccessControlListIssue]), AccessControlListErrors> {
        var list = AccessControlList(source: source)
        var errors: [AccessControlListIssue] = []
        var warnings: [AccessControlListIssue] = []
        var currentUser: String?
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let number = index + 1
            let line = Self.trimmed(rawLine)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let (keyword, rest) = Self.splitFirstWord(line)
            switch keyword {
            case "user":
                guard !rest.isEmpty else {
                    errors.append(AccessControlListIssue(source: source, line: number, problem: .missingUsername))
                    continue
                }
                currentUser = rest
            case "topic", "pattern":
                let isPattern = keyword == "pattern"
                switch Self.rule(rest, line: number, isPattern: isPattern) {
                case .failure(let problem):
                    errors.append(AccessControlListIssue(source: source, line: number, problem: problem))
                case .success(let rule):
                    if isPattern {
                        if !rule.filter.contains("%c") && !rule.filter.contains("%u") {
                            warnings.append(AccessControlListIssue(source: source, line: number, problem: .patternWithoutSubstitution(rule.filter)))
                        }
                        list.patterns.append(rule)
                    } else if let currentUser {
                        list.userRules[currentUser, default: []].append(rule)
                    } else {
                        list.anonymousRules.append(rule)
                    }
                }
            default:
                errors.append(AccessControlListIssue(source: source, line: number, problem: .unknownLine(keyword)))
            }
        }
        guard errors.isEmpty else { return .failure(AccessControlListErrors(issues: errors)) }
        return .success((list, warnings))
    }

    /// The part of a `topic`/`pattern` line after the keyword.
    static func rule(_ rest: String, line: Int, isPattern: Bool) -> Result<AccessRule, AccessControlListIssue.Problem> {
        guard !rest.isEmpty else { return .failure(.emptyTopic) }
        let (first, remainder) = splitFirstWord(rest)
        var grant = AccessRule.Grant.readWrite
        var filter = first
        if !remainder.isEmpty {
            switch first {
            case "read": grant = .read
            case "write": grant = .write
            case "readwrite": grant = .readWrite
            case "deny": grant = .deny
            default: return .failure(.unknownAccess(first))
            }
            filter = remainder
        }
        if let (problem, _) = TopicFilter.problem(in: Array(filter.utf8), sharedSubscriptions: false) {
            return .failure(.invalidFilter(filter, problem.message))
        }
        return .success(AccessRule(grant: grant, filter: filter, line: line, isPattern: isPattern))
    }

    /// Without leading and trailing spaces, tabs and a carriage return.
    static func trimmed(_ text: Substring) -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let start = text.firstIndex(where: { !blank($0) }), let end = text.lastIndex(where: { !blank($0) }) else { return "" }
        return String(text[start...end])
    }

    /// The text up to the first space, and the rest without its leading spaces (a tab is not a separator,
    /// as in Mosquitto: `topic<TAB>read x` is an unknown line).
    static func splitFirstWord(_ text: String) -> (String, String) {
        guard let space = text.firstIndex(of: " ") else { return (text, "") }
        let rest = text[text.index(after: space)...].drop { $0 == " " }
        return (String(text[..<space]), String(rest))
    }
}

/// One error or warning of an ACL file, at its line.
public struct AccessControlListIssue: Sendable, Equatable, Error {
    public enum Problem: Sendable, Equatable, Error {
        case missingUsername
        case emptyTopic
        case unknownAccess(String)
        case invalidFilter(String, LocalizedText)
        case unknownLine(String)
        case patternWithoutSubstitution(String)
    }

    public var source: String
    public var line: Int
    public var problem: Problem

    /// `path:line: what is wrong`, in both languages.
    public var message: LocalizedText {
        let what: LocalizedText = switch problem {
        case .missingUsername:
            LocalizedText(en: "'user' needs a user name after it", es: "'user' necesita un nombre de usuario detrás")
        case .emptyTopic:
            LocalizedText(en: "a topic filter is missing", es: "falta el filtro de topic")
        case .unknownAccess(let word):
            LocalizedText(en: "'\(word)' is not an access: write read, write, readwrite or deny before the topic filter",
                          es: "'\(word)' no es un acceso: escribe read, write, readwrite o deny antes del filtro de topic")
        case .invalidFilter(let filter, let why):
            LocalizedText(en: "'\(filter)' is not a valid topic filter: \(why.en)", es: "'\(filter)' no es un filtro de topic válido: \(why.es)")
        case .unknownLine(let word):
            LocalizedText(en: "'\(word)' is not an ACL line: lines start with user, topic, pattern or # (a comment)",
                          es: "'\(word)' no es una línea de ACL: las líneas empiezan por user, topic, pattern o # (comentario)")
        case .patternWithoutSubstitution(let filter):
            LocalizedText(en: "warning: the pattern '\(filter)' has no %c or %u, so it applies to every client alike",
                          es: "aviso: el patrón '\(filter)' no tiene %c ni %u, así que vale igual para todos los clientes")
        }
        return LocalizedText(en: "\(source):\(line): \(what.en)", es: "\(source):\(line): \(what.es)")
    }
}

/// Every error of an ACL file, in line order.
public struct AccessControlListErrors: Error, Sendable, Equatable {
    public var issues: [AccessControlListIssue]

    public func text(_ language: Language) -> String {
        issues.map { $0.message.text(language) }.joined(separator: "\n")
    }
}
