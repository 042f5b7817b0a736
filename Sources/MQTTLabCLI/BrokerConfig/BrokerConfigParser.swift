import MQTTCodec

/// The settings being built while the lines are read. Keys' `apply` closures write into it.
struct BrokerConfigDraft {
    var file: BrokerConfigFile
    /// The line being applied.
    var line = 0
    /// `listener` lines, in file order.
    var listeners: [BrokerConfigFile.Listener] = []
    /// The deprecated `port` and `bind_address`, which together make Mosquitto's default listener.
    var defaultListenerPort: (value: Int, line: Int)?
    var defaultListenerAddress: (value: String, line: Int)?
    /// TLS keys written before the first `listener`: Mosquitto gives them to the default listener.
    var defaultListenerTLS: BrokerConfigFile.TLSKeys?
    /// The line of the first such key, for a note when there is no default listener to take them.
    var defaultListenerTLSLine: Int?

    /// Applies a TLS key to the listener declared above the current line.
    mutating func setTLS(_ change: (inout BrokerConfigFile.TLSKeys) -> Void) {
        if listeners.isEmpty {
            var keys = defaultListenerTLS ?? BrokerConfigFile.TLSKeys()
            change(&keys)
            defaultListenerTLS = keys
            if defaultListenerTLSLine == nil { defaultListenerTLSLine = line }
        } else {
            var keys = listeners[listeners.count - 1].tls ?? BrokerConfigFile.TLSKeys()
            change(&keys)
            listeners[listeners.count - 1].tls = keys
        }
    }
    /// Notes without their `path:line: ` prefix.
    var notes: [(line: Int, text: LocalizedText)] = []

    mutating func note(_ text: LocalizedText) {
        notes.append((line, text))
    }
}

/// Reads Mosquitto's configuration syntax, as Mosquitto 2.0 does:
///
/// - one `key value…` per line; words are separated by spaces (a tab is an error, because Mosquitto would
///   make it part of a word); leading and trailing spaces and a CR before the newline are ignored;
/// - `#` in the first column starts a comment (an indented `#` is an error, as in Mosquitto); blank lines
///   are skipped;
/// - keys are case-sensitive; a repeated key: the last one wins, except keys that accumulate (`listener`,
///   `refuse_subscribe`, `log_type`, `log_dest`) and the two Mosquitto refuses to see twice
///   (`persistence_location`, `bind_address`).
///
/// Reading goes on after an error so that every problem in the file is reported at once.
struct BrokerConfigParser {
    let path: String

    func parse(_ text: String) -> Result<BrokerConfigFile, BrokerConfigErrors> {
        var draft = BrokerConfigDraft(file: BrokerConfigFile(path: path))
        var errors: [BrokerConfigError] = []
        /// Lines where each key was accepted, in order.
        var accepted: [String: [Int]] = [:]
        /// Keys in the order they were first accepted.
        var acceptedOrder: [String] = []

        // "\r\n" is one Character in Swift, so it is a separator of its own.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, rawLine) in lines.enumerated() {
            let number = index + 1
            func fail(_ kind: BrokerConfigError.Kind) {
                errors.append(BrokerConfigError(path: path, line: number, kind: kind))
            }
            var line = rawLine
            if line.last == "\r" { line = line.dropLast() }
            if line.isEmpty || line.first == "#" { continue }
            if line.contains("\t") {
                fail(.tabCharacter)
                continue
            }
            guard let start = line.firstIndex(where: { $0 != " " }), let end = line.lastIndex(where: { $0 != " " }) else {
                continue  // spaces only
            }
            let content = line[start...end]
            if content.first == "#" {
                fail(.indentedComment)
                continue
            }
            let words = content.split(separator: " ")
            let key = String(words[0])
            let rest = content.dropFirst(key.count).drop(while: { $0 == " " })

            guard let entry = BrokerConfigKeys.byName[key] else {
                if let area = BrokerConfigUnsupportedKeys.area(of: key) {
                    fail(.notSupportedYet(key: key, area: area))
                } else {
                    fail(.unknownKey(key: key, suggestion: BrokerConfigSuggestion.closest(to: key, among: BrokerConfigKeys.knownNames)))
                }
                continue
            }
            if entry.repetition == .refused, let first = accepted[key]?.first {
                fail(.repeatedKey(key: key, firstLine: first))
                continue
            }
            switch entry.kind.parse(Array(words.dropFirst()), rest: rest) {
            case .success(let value):
                draft.line = number
                entry.apply(&draft, value)
                if accepted[key] == nil { acceptedOrder.append(key) }
                accepted[key, default: []].append(number)
            case .failure(let problem):
                fail(Self.kind(of: problem, key: key, expected: entry.kind.expected))
            }
        }

        let listeners = Self.listeners(of: draft)
        errors += Self.repeatedListeners(in: listeners).map { BrokerConfigError(path: path, line: $0.line, kind: $0.kind) }
        errors += Self.incompleteTLS(in: listeners).map { BrokerConfigError(path: path, line: $0.line, kind: $0.kind) }
        if let line = draft.defaultListenerTLSLine, draft.defaultListenerPort == nil, draft.defaultListenerAddress == nil {
            draft.notes.append((line, BrokerConfigNotes.tlsBeforeAnyListener))
        }
        guard errors.isEmpty else {
            // Stable: errors on one line keep the order they were found in.
            let ordered = errors.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
            return .failure(BrokerConfigErrors(ordered.map(\.element)))
        }

        var file = draft.file
        file.listeners = listeners
        let notes = draft.notes + Self.notes(accepted: accepted, order: acceptedOrder, listeners: draft.listeners)
        file.notes = notes.enumerated()
            .sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .map { entry in
                let prefix = "\(path):\(entry.element.line): "
                return LocalizedText(en: prefix + entry.element.text.en, es: prefix + entry.element.text.es)
            }
        return .success(file)
    }

    /// The error a refused value becomes.
    static func kind(of problem: BrokerConfigValueProblem, key: String, expected: LocalizedText) -> BrokerConfigError.Kind {
        switch problem {
        case .missing: .missingValue(key: key, expected: expected)
        case .extra(let extra): .extraValue(key: key, extra: extra, expected: expected)
        case .invalid(let value): .invalidValue(key: key, value: value, expected: expected)
        case .topicFilter(let filter, let problem): .invalidTopicFilter(key: key, filter: filter, problem: problem)
        case .unixSocket(let path): .unixSocketListener(path: path)
        case .unsupported(let form, let area): .notSupportedYet(key: form, area: area)
        }
    }

    /// The default listener (from `port` / `bind_address`, port 1883 unless given) first, as Mosquitto
    /// opens it first, then the `listener` lines.
    static func listeners(of draft: BrokerConfigDraft) -> [BrokerConfigFile.Listener] {
        guard draft.defaultListenerPort != nil || draft.defaultListenerAddress != nil else { return draft.listeners }
        let line = draft.defaultListenerPort?.line ?? draft.defaultListenerAddress?.line ?? 0
        let defaultListener = BrokerConfigFile.Listener(
            port: draft.defaultListenerPort?.value ?? 1883, address: draft.defaultListenerAddress?.value, line: line,
            tls: draft.defaultListenerTLS
        )
        return [defaultListener] + draft.listeners
    }

    /// Listeners that would fight over a port: same port and same address, or either on every address.
    /// Reported at the later line.
    static func repeatedListeners(in listeners: [BrokerConfigFile.Listener]) -> [(line: Int, kind: BrokerConfigError.Kind)] {
        let byLine = listeners.sorted { $0.line < $1.line }
        var found: [(line: Int, kind: BrokerConfigError.Kind)] = []
        for (index, listener) in byLine.enumerated() {
            let earlier = byLine[..<index].first { other in
                other.port == listener.port && (other.address == nil || listener.address == nil || other.address == listener.address)
            }
            if let earlier {
                found.append((listener.line, .repeatedListener(port: listener.port, address: listener.address, firstLine: earlier.line)))
            }
        }
        return found
    }

    /// Listeners whose TLS keys cannot make a TLS listener, reported at the listener's line.
    static func incompleteTLS(in listeners: [BrokerConfigFile.Listener]) -> [(line: Int, kind: BrokerConfigError.Kind)] {
        listeners.compactMap { listener in
            guard let tls = listener.tls else { return nil }
            let missing = [tls.certfile == nil ? "certfile" : nil, tls.keyfile == nil ? "keyfile" : nil].compactMap { $0 }
            if !missing.isEmpty { return (listener.line, .incompleteTLS(port: listener.port, missing: missing.joined(separator: ", "))) }
            if tls.requireCertificate, tls.cafile == nil, tls.capath == nil {
                return (listener.line, .incompleteTLS(port: listener.port, missing: "cafile"))
            }
            return nil
        }
    }

    /// Notes that depend on the whole file: logging keys, deprecated keys, repeats, per-listener keys.
    static func notes(
        accepted: [String: [Int]], order: [String], listeners: [BrokerConfigFile.Listener]
    ) -> [(line: Int, text: LocalizedText)] {
        var notes: [(line: Int, text: LocalizedText)] = []
        let loggingKeys = order.filter { BrokerConfigKeys.byName[$0]?.scope == .logging }
        let loggingLines = loggingKeys.flatMap { accepted[$0] ?? [] }.sorted()
        if let first = loggingLines.first {
            notes.append((first, BrokerConfigNotes.loggingHasNoEffect(keys: loggingKeys, lines: loggingLines)))
        }
        let firstListenerLine = listeners.map(\.line).min()
        for key in order {
            guard let entry = BrokerConfigKeys.byName[key], let lines = accepted[key], let first = lines.first else { continue }
            if BrokerConfigKeys.deprecated.contains(key) {
                notes.append((first, BrokerConfigNotes.deprecated(key)))
            }
            if entry.repetition == .lastWins, entry.scope != .logging, lines.count > 1, let last = lines.last {
                notes.append((last, BrokerConfigNotes.lastOneWins(key, lines: lines)))
            }
            // Only where mqttlab's whole-broker reading differs from Mosquitto's: several listeners, or the
            // key before the first listener (Mosquitto would give it to the default listener).
            if entry.scope == .perListenerInMosquitto, let firstListenerLine, listeners.count > 1 || first < firstListenerLine {
                notes.append((first, BrokerConfigNotes.appliesToWholeBroker(key)))
            }
        }
        return notes
    }
}
