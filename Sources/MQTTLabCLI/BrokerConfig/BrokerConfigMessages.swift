import MQTTCodec

extension BrokerConfigError.Kind {
    /// The message without its `path:line: ` prefix.
    var explanation: LocalizedText {
        switch self {
        case .fileNotFound:
            return LocalizedText(en: "no such file", es: "no existe ese fichero")
        case .isDirectory:
            return LocalizedText(en: "is a folder, not a configuration file", es: "es una carpeta, no un fichero de configuración")
        case .permissionDenied:
            return LocalizedText(en: "cannot be read: permission denied", es: "no se puede leer: permiso denegado")
        case .unreadable(let reason):
            return LocalizedText(en: "cannot be read: \(reason)", es: "no se puede leer: \(reason)")
        case .notText:
            return LocalizedText(
                en: "is not UTF-8 text; a configuration file is plain text",
                es: "no es texto UTF-8; un fichero de configuración es texto plano"
            )
        case .tabCharacter:
            return LocalizedText(
                en: "this line has a tab; Mosquitto separates words with spaces only (a tab becomes part of the word), so use spaces",
                es: "esta línea tiene un tabulador; Mosquitto separa las palabras solo con espacios (el tabulador pasa a formar parte de la palabra), así que usa espacios"
            )
        case .indentedComment:
            return LocalizedText(
                en: "a comment must start in the first column: after spaces, Mosquitto reads # as a key",
                es: "un comentario debe empezar en la primera columna: tras espacios, Mosquitto lee # como una clave"
            )
        case .unknownKey(let key, let suggestion):
            guard let suggestion else {
                return LocalizedText(
                    en: "unknown key \"\(key)\" (neither Mosquitto nor mqttlab has it)",
                    es: "clave desconocida \"\(key)\" (no existe ni en Mosquitto ni en mqttlab)"
                )
            }
            if suggestion.lowercased() == key.lowercased() {
                return LocalizedText(
                    en: "unknown key \"\(key)\"; keys are case-sensitive: did you mean \(suggestion)?",
                    es: "clave desconocida \"\(key)\"; las claves distinguen mayúsculas y minúsculas: ¿quisiste decir \(suggestion)?"
                )
            }
            return LocalizedText(
                en: "unknown key \"\(key)\"; did you mean \(suggestion)?",
                es: "clave desconocida \"\(key)\"; ¿quisiste decir \(suggestion)?"
            )
        case .notSupportedYet(let key, let area):
            return LocalizedText(
                en: "\(key) is not supported by mqttlab yet (\(area.description.en))",
                es: "mqttlab aún no admite \(key) (\(area.description.es))"
            )
        case .missingValue(let key, let expected):
            return LocalizedText(en: "\(key) needs a value: \(expected.en)", es: "\(key) necesita un valor: \(expected.es)")
        case .extraValue(let key, let extra, let expected):
            let comment = extra.hasPrefix("#")
            return LocalizedText(
                en: "\(key) takes only \(expected.en); remove \"\(extra)\"" + (comment ? " (a comment must be on its own line)" : ""),
                es: "\(key) solo admite \(expected.es); quita \"\(extra)\"" + (comment ? " (un comentario debe ir en su propia línea)" : "")
            )
        case .invalidValue(let key, let value, let expected):
            return LocalizedText(
                en: "\(key): \"\(value)\" is not valid; expected \(expected.en)",
                es: "\(key): \"\(value)\" no es válido; se espera \(expected.es)"
            )
        case .invalidTopicFilter(let key, let filter, let problem):
            return LocalizedText(
                en: "\(key): \"\(filter)\" is not a valid topic filter: \(problem.message.en)",
                es: "\(key): \"\(filter)\" no es un filtro de tema válido: \(problem.message.es)"
            )
        case .repeatedKey(let key, let firstLine):
            return LocalizedText(
                en: "\(key) is already set on line \(firstLine); Mosquitto refuses a repeated \(key), so keep only one",
                es: "\(key) ya aparece en la línea \(firstLine); Mosquitto rechaza un \(key) repetido, así que deja solo uno"
            )
        case .repeatedListener(let port, let address, let firstLine):
            let place = address.map { "\(port) (\($0))" } ?? "\(port)"
            return LocalizedText(
                en: "port \(place) is already taken by the listener on line \(firstLine); Mosquitto would fail to open it twice (Address already in use)",
                es: "el puerto \(place) ya lo ocupa el listener de la línea \(firstLine); Mosquitto no podría abrirlo dos veces (Address already in use)"
            )
        case .unixSocketListener:
            return LocalizedText(
                en: "listener 0 is a Unix socket listener in Mosquitto, not supported by mqttlab yet; use a TCP port from 1 to 65535",
                es: "listener 0 es un listener de socket Unix en Mosquitto, que mqttlab aún no admite; usa un puerto TCP de 1 a 65535"
            )
        case .incompleteTLS(let port, let missing):
            return LocalizedText(
                en: "the TLS settings of listener \(port) lack \(missing) (TLS needs certfile and keyfile; require_certificate needs cafile or capath)",
                es: "a los ajustes TLS del listener \(port) les falta \(missing) (TLS necesita certfile y keyfile; require_certificate necesita cafile o capath)"
            )
        }
    }
}

/// The notes a broker prints once at start, without their `path:line: ` prefix.
enum BrokerConfigNotes {
    /// One note for every logging key in the file.
    static func loggingHasNoEffect(keys: [String], lines: [Int]) -> LocalizedText {
        let names = keys.joined(separator: ", ")
        let numbers = lines.map(String.init).joined(separator: ", ")
        let effect = LocalizedText(
            en: "mqttlab's packet trace replaces Mosquitto's log",
            es: "la traza de paquetes de mqttlab sustituye al registro de Mosquitto"
        )
        let place = lines.count == 1
            ? LocalizedText(en: "line \(numbers)", es: "línea \(numbers)")
            : LocalizedText(en: "lines \(numbers)", es: "líneas \(numbers)")
        if keys.count == 1 {
            return LocalizedText(
                en: "\(names) (\(place.en)) has no effect: \(effect.en)",
                es: "\(names) (\(place.es)) no tiene efecto: \(effect.es)"
            )
        }
        return LocalizedText(
            en: "\(names) (\(place.en)) have no effect: \(effect.en)",
            es: "\(names) (\(place.es)) no tienen efecto: \(effect.es)"
        )
    }

    static func deprecated(_ key: String) -> LocalizedText {
        key == "port"
            ? LocalizedText(
                en: "port is deprecated in Mosquitto 2; write listener PORT instead",
                es: "port está obsoleto en Mosquitto 2; escribe listener PUERTO en su lugar"
            )
            : LocalizedText(
                en: "\(key) is deprecated in Mosquitto 2; write listener PORT ADDRESS instead",
                es: "\(key) está obsoleto en Mosquitto 2; escribe listener PUERTO DIRECCIÓN en su lugar"
            )
    }

    static func lastOneWins(_ key: String, lines: [Int]) -> LocalizedText {
        let numbers = lines.map(String.init).joined(separator: ", ")
        let last = lines.last ?? 0
        return LocalizedText(
            en: "\(key) is set on lines \(numbers); the last one (line \(last)) wins",
            es: "\(key) aparece en las líneas \(numbers); vale la última (línea \(last))"
        )
    }

    static func appliesToWholeBroker(_ key: String) -> LocalizedText {
        LocalizedText(
            en: "\(key) is a per-listener setting in Mosquitto (it applies to the listener above it); mqttlab applies it to the whole broker",
            es: "\(key) es un ajuste por listener en Mosquitto (se aplica al listener de encima); mqttlab lo aplica a todo el bróker"
        )
    }

    static let zeroConnectionsMeansNoLimit = LocalizedText(
        en: "max_connections 0 means no limit, as in Mosquitto (write -1 to say so plainly)",
        es: "max_connections 0 significa sin límite, como en Mosquitto (escribe -1 para dejarlo claro)"
    )

    static let monthsNotMinutes = LocalizedText(
        en: "in persistent_client_expiration, m means months (30 days), not minutes",
        es: "en persistent_client_expiration, m significa meses (30 días), no minutos"
    )

    static let tlsBeforeAnyListener = LocalizedText(
        en: "TLS keys before any listener apply to the default listener (port), and this file has none: they have no effect, as in Mosquitto; put them under a listener line",
        es: "las claves TLS antes de cualquier listener se aplican al listener por defecto (port), y este fichero no lo tiene: no tienen efecto, como en Mosquitto; ponlas bajo una línea listener"
    )

    static let preferMaxPacketSize = LocalizedText(
        en: "message_size_limit is deprecated in Mosquitto 2; max_packet_size limits the whole packet instead",
        es: "message_size_limit está obsoleto en Mosquitto 2; max_packet_size limita en su lugar el paquete entero"
    )
}
