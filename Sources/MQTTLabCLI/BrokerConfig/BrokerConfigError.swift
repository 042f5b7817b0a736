import MQTTCodec

/// One problem in a broker configuration file, where it is and what is wrong.
///
/// `message` is the full line a learner reads, `path:line: …` (or `path: …` for a problem with the whole
/// file), in English and Spanish.
public struct BrokerConfigError: Error, Sendable, Equatable {
    /// The file as it was named (the path given to `load(path:)` or `parse(text:path:)`).
    public var path: String
    /// 1-based line number; nil when the problem is the file itself (missing, unreadable, not text).
    public var line: Int?
    public var kind: Kind

    public init(path: String, line: Int?, kind: Kind) {
        self.path = path
        self.line = line
        self.kind = kind
    }

    /// What went wrong. Keys and values are kept as written so a caller can show or test them.
    public enum Kind: Sendable, Equatable {
        /// The file does not exist.
        case fileNotFound
        /// The path names a folder, not a file.
        case isDirectory
        /// The file exists but this user may not read it.
        case permissionDenied
        /// The file could not be read for another reason (`reason` is the system's text).
        case unreadable(reason: String)
        /// The file is not UTF-8 text.
        case notText
        /// A tab on a setting line. Mosquitto splits words on spaces only, so a tab becomes part of a word.
        case tabCharacter
        /// `#` after leading spaces. Mosquitto only treats `#` in the first column as a comment.
        case indentedComment
        /// A key neither Mosquitto nor mqttlab knows; `suggestion` is the closest known key, if any is close.
        case unknownKey(key: String, suggestion: String?)
        /// A Mosquitto key (or form, like `protocol websockets`) that mqttlab does not implement yet.
        case notSupportedYet(key: String, area: BrokerConfigUnsupportedArea)
        /// The key needs a value and the line has none.
        case missingValue(key: String, expected: LocalizedText)
        /// Words after the value that the key does not take.
        case extraValue(key: String, extra: String, expected: LocalizedText)
        /// The value is not one the key accepts.
        case invalidValue(key: String, value: String, expected: LocalizedText)
        /// A topic filter that breaks MQTT's filter rules.
        case invalidTopicFilter(key: String, filter: String, problem: TopicFilterProblem)
        /// A key Mosquitto refuses to see twice (`persistence_location`, `bind_address`).
        case repeatedKey(key: String, firstLine: Int)
        /// A listener on a port (and address) an earlier listener already takes: Mosquitto would fail to open it.
        case repeatedListener(port: Int, address: String?, firstLine: Int)
        /// `listener 0 PATH`: a Unix socket listener in Mosquitto; mqttlab listens on TCP only.
        case unixSocketListener(path: String?)
        /// A listener with some TLS keys but not both `certfile` and `keyfile`, or `require_certificate`
        /// without a `cafile`/`capath` to check client certificates against.
        case incompleteTLS(port: Int, missing: String)
    }

    /// The key the problem is about, when there is one.
    public var key: String? {
        switch kind {
        case .unknownKey(let key, _), .notSupportedYet(let key, _), .missingValue(let key, _),
             .extraValue(let key, _, _), .invalidValue(let key, _, _), .invalidTopicFilter(let key, _, _),
             .repeatedKey(let key, _):
            key
        case .repeatedListener, .unixSocketListener, .incompleteTLS:
            "listener"
        case .fileNotFound, .isDirectory, .permissionDenied, .unreadable, .notText, .tabCharacter, .indentedComment:
            nil
        }
    }

    /// `path:line: what is wrong`, in both languages.
    public var message: LocalizedText {
        let location = line.map { "\(path):\($0): " } ?? "\(path): "
        let text = kind.explanation
        return LocalizedText(en: location + text.en, es: location + text.es)
    }
}

/// Every problem found in a configuration file, in line order. Parsing goes on after a problem, so one run
/// reports them all.
public struct BrokerConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [BrokerConfigError]

    public init(_ errors: [BrokerConfigError]) {
        self.errors = errors
    }

    /// One `path:line: message` per line, in the learner's language.
    public func text(_ language: Language) -> String {
        errors.map { $0.message.text(language) }.joined(separator: "\n")
    }

    public var description: String { text(.en) }
}
