import MQTTCodec

/// A value that passed its key's checks.
enum BrokerConfigValue: Sendable, Equatable {
    case flag(Bool)
    case number(Int)
    case text(String)
    case listener(port: Int, address: String?)
    /// A duration in seconds, with the unit letter it was written with.
    case duration(seconds: Int, unit: Character)
}

/// Why a value was refused. The parser adds the file, line and key.
enum BrokerConfigValueProblem: Error, Equatable {
    case missing
    case extra(String)
    case invalid(String)
    case topicFilter(String, TopicFilterProblem)
    case unixSocket(path: String?)
    /// A value that selects a Mosquitto feature mqttlab lacks (`protocol websockets`).
    case unsupported(form: String, area: BrokerConfigUnsupportedArea)
}

/// What a key takes after its name, how that is checked, and how the check is explained.
///
/// Words are separated by spaces, as Mosquitto does; `restOfLine` values keep inner spaces (Mosquitto reads
/// paths to the end of the line).
enum BrokerConfigValueKind: Sendable {
    /// `true` or `false`, exactly. (Mosquitto also takes `1`/`0`; mqttlab asks for the words.)
    case flag
    /// A whole number in `range`; `meaning` explains special values such as "0 = no limit".
    case number(ClosedRange<Int>, meaning: LocalizedText?)
    /// A TCP port, 1–65535.
    case port
    /// `PORT [ADDRESS]`.
    case listener
    /// One word kept as written (an address).
    case word
    /// Everything after the key, inner spaces included (a path, a format).
    case restOfLine
    /// Mosquitto's `<n>h|d|w|m|y`.
    case duration
    /// An MQTT topic filter (the rest of the line: MQTT topics may contain spaces).
    case topicFilter
    /// One word from a fixed list.
    case choice([String])
    /// `stdout | stderr | syslog | topic | dlt | none | file PATH`.
    case logDestination
    /// `mqtt`; `websockets` is Mosquitto's other protocol, not supported yet.
    case protocolName

    static let logDestinations = ["stdout", "stderr", "syslog", "topic", "dlt", "none"]

    /// Seconds per unit letter of a Mosquitto duration (a month is 30 days, a year 365).
    static let durationUnits: [Character: Int] = ["h": 3_600, "d": 86_400, "w": 604_800, "m": 2_592_000, "y": 31_536_000]

    /// The longest duration accepted: what fits in a signed 32-bit count of seconds (about 68 years).
    static let longestDuration = Int(Int32.max)

    /// What the key expects, for error messages.
    var expected: LocalizedText {
        switch self {
        case .flag:
            return LocalizedText(en: "true or false", es: "true o false")
        case .number(let range, let meaning):
            let base = LocalizedText(
                en: "a whole number from \(range.lowerBound) to \(range.upperBound)",
                es: "un número entero de \(range.lowerBound) a \(range.upperBound)"
            )
            guard let meaning else { return base }
            return LocalizedText(en: "\(base.en) (\(meaning.en))", es: "\(base.es) (\(meaning.es))")
        case .port:
            return LocalizedText(en: "a port number from 1 to 65535", es: "un número de puerto de 1 a 65535")
        case .listener:
            return LocalizedText(
                en: "a port number from 1 to 65535, optionally followed by an address (listener 1883 or listener 1883 127.0.0.1)",
                es: "un número de puerto de 1 a 65535, seguido opcionalmente de una dirección (listener 1883 o listener 1883 127.0.0.1)"
            )
        case .word:
            return LocalizedText(en: "an address such as 127.0.0.1", es: "una dirección como 127.0.0.1")
        case .restOfLine:
            return LocalizedText(en: "a text such as a path", es: "un texto como una ruta")
        case .duration:
            return LocalizedText(
                en: "a whole number followed by h (hours), d (days), w (weeks), m (months of 30 days) or y (years), like 14d",
                es: "un número entero seguido de h (horas), d (días), w (semanas), m (meses de 30 días) o y (años), como 14d"
            )
        case .topicFilter:
            return LocalizedText(en: "a topic filter such as sensors/#", es: "un filtro de tema como sensores/#")
        case .choice(let words):
            let list = words.joined(separator: ", ")
            return LocalizedText(en: "one of \(list)", es: "uno de estos: \(list)")
        case .logDestination:
            let list = Self.logDestinations.joined(separator: ", ")
            return LocalizedText(en: "one of \(list), or file followed by a path", es: "uno de estos: \(list), o file seguido de una ruta")
        case .protocolName:
            return LocalizedText(en: "mqtt", es: "mqtt")
        }
    }

    /// Checks the words after the key. `rest` is the text after the key with its leading spaces removed.
    func parse(_ words: [Substring], rest: Substring) -> Result<BrokerConfigValue, BrokerConfigValueProblem> {
        guard let first = words.first else { return .failure(.missing) }
        let single = String(first)
        let extra = words.count > 1 ? words[1...].joined(separator: " ") : nil
        switch self {
        case .flag:
            if let extra { return .failure(.extra(extra)) }
            switch single {
            case "true": return .success(.flag(true))
            case "false": return .success(.flag(false))
            default: return .failure(.invalid(single))
            }
        case .number(let range, _):
            if let extra { return .failure(.extra(extra)) }
            guard let number = Int(single), range.contains(number) else { return .failure(.invalid(single)) }
            return .success(.number(number))
        case .port:
            if let extra { return .failure(.extra(extra)) }
            guard let port = Int(single), (1...65_535).contains(port) else { return .failure(.invalid(single)) }
            return .success(.number(port))
        case .listener:
            guard let port = Int(single), (0...65_535).contains(port) else { return .failure(.invalid(single)) }
            let address = words.count > 1 ? String(words[1]) : nil
            if port == 0 { return .failure(.unixSocket(path: address)) }
            if words.count > 2 { return .failure(.extra(words[2...].joined(separator: " "))) }
            return .success(.listener(port: port, address: address))
        case .word:
            if let extra { return .failure(.extra(extra)) }
            return .success(.text(single))
        case .restOfLine:
            return .success(.text(String(rest)))
        case .duration:
            if let extra { return .failure(.extra(extra)) }
            return Self.duration(single).map { .success($0) } ?? .failure(.invalid(single))
        case .topicFilter:
            let filter = String(rest)
            if let found = TopicFilter.problem(in: Array(filter.utf8), sharedSubscriptions: true) {
                return .failure(.topicFilter(filter, found.problem))
            }
            return .success(.text(filter))
        case .choice(let allowed):
            if let extra { return .failure(.extra(extra)) }
            return allowed.contains(single) ? .success(.text(single)) : .failure(.invalid(single))
        case .logDestination:
            if single == "file" {
                let path = rest.dropFirst("file".count).drop(while: { $0 == " " })
                return path.isEmpty ? .failure(.invalid(single)) : .success(.text("file " + path))
            }
            guard Self.logDestinations.contains(single) else { return .failure(.invalid(single)) }
            if let extra { return .failure(.extra(extra)) }
            return .success(.text(single))
        case .protocolName:
            if single == "websockets" { return .failure(.unsupported(form: "protocol websockets", area: .websockets)) }
            guard single == "mqtt" else { return .failure(.invalid(single)) }
            if let extra { return .failure(.extra(extra)) }
            return .success(.text(single))
        }
    }

    /// `14d` → 1,209,600 seconds. Digits, then one unit letter; at least 1 and at most `longestDuration` seconds.
    static func duration(_ text: String) -> BrokerConfigValue? {
        guard let unit = text.last, let perUnit = durationUnits[unit] else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(digits), count >= 1
        else { return nil }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: perUnit)
        guard !overflow, seconds <= longestDuration else { return nil }
        return .duration(seconds: seconds, unit: unit)
    }
}
