import MQTTCodec

/// One key mqttlab understands: what value it takes, what it sets, and how repeats and scope work.
struct BrokerConfigKey: Sendable {
    enum Repetition: Sendable {
        /// A later line replaces an earlier one (Mosquitto's rule for most keys); the parser notes the repeat.
        case lastWins
        /// Every line adds one (listeners, refused filters, log types and destinations).
        case accumulates
        /// A second line is an error, because Mosquitto refuses it too ("Duplicate … value in configuration").
        case refused
    }

    enum Scope: Sendable {
        /// One setting for the whole broker, in Mosquitto and in mqttlab.
        case broker
        /// Mosquitto applies it to the listener declared above it (or to the default listener when it comes
        /// before any `listener` line); mqttlab applies the last value to the whole broker.
        case perListenerInMosquitto
        /// Accepted and ignored: mqttlab's packet trace replaces Mosquitto's log.
        case logging
        /// Applies to the listener declared above it, in Mosquitto and in mqttlab (the TLS keys).
        case perListener
    }

    let name: String
    let kind: BrokerConfigValueKind
    let repetition: Repetition
    let scope: Scope
    /// What the key does, for learners.
    let effect: LocalizedText
    /// Where the value goes, for developers (`configuration.maxQueuedMessages`, `listeners`, `—`).
    let target: String
    /// Stores a checked value. `kind` guarantees the value's case.
    let apply: @Sendable (inout BrokerConfigDraft, BrokerConfigValue) -> Void
}

/// The table of supported keys. Keys Mosquitto has but mqttlab lacks are in `BrokerConfigUnsupportedKeys`.
enum BrokerConfigKeys {
    static let supported: [BrokerConfigKey] = [
        BrokerConfigKey(
            name: "listener", kind: .listener, repetition: .accumulates, scope: .broker,
            effect: LocalizedText(en: "opens a TCP listener on a port (and address)", es: "abre un listener TCP en un puerto (y dirección)"),
            target: "listeners"
        ) { draft, value in
            if case .listener(let port, let address) = value {
                draft.listeners.append(BrokerConfigFile.Listener(port: port, address: address, line: draft.line))
            }
        },
        .number(
            "port", kind: .port, target: "listeners (default listener)",
            LocalizedText(en: "deprecated: the default listener's port", es: "obsoleto: el puerto del listener por defecto")
        ) { draft, port in
            draft.defaultListenerPort = (port, draft.line)
        },
        BrokerConfigKey(
            name: "bind_address", kind: .word, repetition: .refused, scope: .broker,
            effect: LocalizedText(en: "deprecated: the default listener's address", es: "obsoleto: la dirección del listener por defecto"),
            target: "listeners (default listener)"
        ) { draft, value in
            if case .text(let address) = value { draft.defaultListenerAddress = (address, draft.line) }
        },
        .flag(
            "allow_anonymous", target: "allowAnonymous",
            LocalizedText(en: "whether clients without a username may connect", es: "si pueden conectarse clientes sin usuario")
        ) { $0.file.allowAnonymous = $1 },
        BrokerConfigKey(
            name: "password_file", kind: .restOfLine, repetition: .refused, scope: .broker,
            effect: LocalizedText(
                en: "users and hashed passwords (mqttlab passwd or mosquitto_passwd); clients must log in with one",
                es: "usuarios y contraseñas con hash (mqttlab passwd o mosquitto_passwd); los clientes entran con uno"
            ),
            target: "passwordFile"
        ) { draft, value in
            if case .text(let path) = value {
                draft.file.passwordFile = path
                draft.file.passwordFileLine = draft.line
            }
        },
        BrokerConfigKey(
            name: "acl_file", kind: .restOfLine, repetition: .refused, scope: .broker,
            effect: LocalizedText(
                en: "who may read and write which topics (user, topic, pattern lines, as in Mosquitto)",
                es: "quién puede leer y escribir en qué topics (líneas user, topic, pattern, como en Mosquitto)"
            ),
            target: "aclFile"
        ) { draft, value in
            if case .text(let path) = value {
                draft.file.aclFile = path
                draft.file.aclFileLine = draft.line
            }
        },
        .tlsPath("cafile", LocalizedText(en: "CA certificates that sign accepted client certificates", es: "certificados de CA que firman los certificados de cliente aceptados")) { $0.cafile = $1 },
        .tlsPath("capath", LocalizedText(en: "folder of CA certificates (named by hash) for client certificates", es: "carpeta de certificados de CA (nombrados por hash) para certificados de cliente")) { $0.capath = $1 },
        .tlsPath("certfile", LocalizedText(en: "the broker's certificate: with keyfile, makes the listener TLS", es: "el certificado del broker: con keyfile, hace TLS el listener")) { $0.certfile = $1 },
        .tlsPath("keyfile", LocalizedText(en: "the private key of certfile", es: "la clave privada de certfile")) { $0.keyfile = $1 },
        .tlsFlag("require_certificate", LocalizedText(en: "clients must present a certificate signed by cafile", es: "los clientes deben presentar un certificado firmado por cafile")) { $0.requireCertificate = $1 },
        .tlsFlag("use_identity_as_username", LocalizedText(en: "the client certificate's CN is the user name; no password check", es: "el CN del certificado del cliente es el usuario; sin comprobar contraseña")) { $0.useIdentityAsUsername = $1 },
        BrokerConfigKey(
            name: "tls_version", kind: .choice(["tlsv1.3", "tlsv1.2"]), repetition: .accumulates, scope: .perListener,
            effect: LocalizedText(en: "the lowest TLS version accepted (TLS 1.1 and older are refused)", es: "la versión de TLS más baja aceptada (TLS 1.1 y anteriores se rechazan)"),
            target: "listeners[].tls.tlsVersion"
        ) { draft, value in
            if case .text(let version) = value { draft.setTLS { $0.tlsVersion = version } }
        },
        .number(
            "max_queued_messages", kind: .number(0...Int(Int32.max), meaning: BrokerConfigMeanings.noLimitAtZero),
            target: "configuration.maxQueuedMessages",
            LocalizedText(en: "messages queued per offline client", es: "mensajes en cola por cliente desconectado")
        ) { $0.file.configuration.maxQueuedMessages = $1 },
        .number(
            "max_queued_bytes", kind: .number(0...Int(Int32.max), meaning: BrokerConfigMeanings.noLimitAtZero),
            target: "configuration.maxQueuedBytes",
            LocalizedText(en: "payload bytes queued per offline client", es: "bytes de carga en cola por cliente desconectado")
        ) { $0.file.configuration.maxQueuedBytes = $1 },
        .number(
            "max_inflight_messages", kind: .number(0...65_535, meaning: BrokerConfigMeanings.noLimitAtZero),
            target: "configuration.maxInflightMessages, configuration.receiveMaximum",
            LocalizedText(
                en: "QoS 1/2 messages in flight per client, also announced as Receive Maximum",
                es: "mensajes QoS 1/2 en vuelo por cliente, anunciado también como Receive Maximum"
            )
        ) { draft, count in
            // 0 means "no limit" in Mosquitto; MQTT's largest window is 65535.
            let window = count == 0 ? 65_535 : count
            draft.file.configuration.maxInflightMessages = window
            draft.file.configuration.receiveMaximum = UInt16(window)
        },
        .number(
            "max_packet_size", kind: .number(20...268_435_460, meaning: nil), target: "configuration.maxPacketSize",
            LocalizedText(en: "largest packet accepted, in bytes", es: "paquete más grande aceptado, en bytes")
        ) { $0.file.configuration.maxPacketSize = $1 },
        .number(
            "max_keepalive", kind: .number(10...65_535, meaning: BrokerConfigMeanings.seconds), target: "configuration.maxKeepAlive",
            LocalizedText(en: "longest keep alive allowed (5.0 Server Keep Alive)", es: "keep alive más largo permitido (Server Keep Alive de 5.0)")
        ) { $0.file.configuration.maxKeepAlive = UInt16($1) },
        .number(
            "max_connections", kind: .number(-1...Int(Int32.max), meaning: BrokerConfigMeanings.noLimitAtMinusOneOrZero),
            scope: .perListenerInMosquitto, target: "maxConnections",
            LocalizedText(en: "clients connected at once", es: "clientes conectados a la vez")
        ) { draft, count in
            draft.file.maxConnections = count > 0 ? count : nil
            if count == 0 { draft.note(BrokerConfigNotes.zeroConnectionsMeansNoLimit) }
        },
        .flag(
            "persistence", target: "persistence",
            LocalizedText(en: "save sessions and retained messages to disk", es: "guardar sesiones y mensajes retenidos en disco")
        ) { $0.file.persistence = $1 },
        BrokerConfigKey(
            name: "persistence_location", kind: .restOfLine, repetition: .refused, scope: .broker,
            effect: LocalizedText(en: "folder for the persistence file", es: "carpeta del fichero de persistencia"),
            target: "persistenceLocation"
        ) { draft, value in
            if case .text(let path) = value { draft.file.persistenceLocation = path }
        },
        BrokerConfigKey(
            name: "persistent_client_expiration", kind: .duration, repetition: .lastWins, scope: .broker,
            effect: LocalizedText(
                en: "forget persistent clients disconnected for longer than this",
                es: "olvidar los clientes persistentes desconectados durante más tiempo que esto"
            ),
            target: "persistentClientExpiration"
        ) { draft, value in
            if case .duration(let seconds, let unit) = value {
                draft.file.persistentClientExpiration = seconds
                if unit == "m" { draft.note(BrokerConfigNotes.monthsNotMinutes) }
            }
        },
        .flag(
            "retain_available", target: "configuration.retainAvailable",
            LocalizedText(en: "whether retained messages are supported", es: "si se admiten mensajes retenidos")
        ) { $0.file.configuration.retainAvailable = $1 },
        .number(
            "sys_interval", kind: .number(0...65_535, meaning: BrokerConfigMeanings.secondsOffAtZero), target: "sysInterval",
            LocalizedText(en: "seconds between $SYS updates", es: "segundos entre actualizaciones de $SYS")
        ) { $0.file.sysInterval = $1 },
        .number(
            "message_size_limit", kind: .number(0...268_435_455, meaning: BrokerConfigMeanings.noLimitAtZero), target: "messageSizeLimit",
            LocalizedText(en: "largest PUBLISH payload accepted, in bytes", es: "carga de PUBLISH más grande aceptada, en bytes")
        ) { draft, limit in
            draft.file.messageSizeLimit = limit
            draft.note(BrokerConfigNotes.preferMaxPacketSize)
        },
        .flag(
            "queue_qos0_messages", target: "configuration.queueQoS0Messages",
            LocalizedText(en: "queue QoS 0 messages for offline clients too", es: "poner en cola también los mensajes QoS 0 para clientes desconectados")
        ) { $0.file.configuration.queueQoS0Messages = $1 },
        .number(
            "max_topic_alias", kind: .number(0...65_535, meaning: nil), scope: .perListenerInMosquitto,
            target: "configuration.topicAliasMaximum",
            LocalizedText(en: "topic aliases a 5.0 client may use (Topic Alias Maximum)", es: "alias de tema que puede usar un cliente 5.0 (Topic Alias Maximum)")
        ) { $0.file.configuration.topicAliasMaximum = UInt16($1) },
        .flag(
            "allow_zero_length_clientid", target: "configuration.allowZeroLengthClientID",
            LocalizedText(en: "accept clients with an empty client id", es: "aceptar clientes con identificador vacío")
        ) { $0.file.configuration.allowZeroLengthClientID = $1 },
        BrokerConfigKey(
            name: "protocol", kind: .protocolName, repetition: .lastWins, scope: .broker,
            effect: LocalizedText(en: "the listener's protocol: mqtt (the default)", es: "el protocolo del listener: mqtt (el predeterminado)"),
            target: "—"
        ) { _, _ in },
        .logging("log_type", kind: .choice(["debug", "error", "warning", "notice", "information", "subscribe", "unsubscribe", "websockets", "none", "all"])),
        .logging("log_dest", kind: .logDestination),
        .logging("connection_messages", kind: .flag),
        .logging("log_timestamp", kind: .flag),
        .logging("log_timestamp_format", kind: .restOfLine),
        .logging("log_facility", kind: .number(0...7, meaning: nil)),
        BrokerConfigKey(
            name: "refuse_subscribe", kind: .topicFilter, repetition: .accumulates, scope: .broker,
            effect: LocalizedText(
                en: "mqttlab only: refuse subscriptions to matching filters (SUBACK 0x80)",
                es: "solo mqttlab: rechazar suscripciones a filtros que coincidan (SUBACK 0x80)"
            ),
            target: "configuration.refusedFilters"
        ) { draft, value in
            if case .text(let filter) = value, !draft.file.configuration.refusedFilters.contains(filter) {
                draft.file.configuration.refusedFilters.append(filter)
            }
        },
    ]

    /// Keys that only mqttlab understands: a file that uses them will not load in Mosquitto.
    static let mqttlabOnly: Set<String> = ["refuse_subscribe"]

    /// Keys Mosquitto 2.x marks as deprecated (it prints a warning for each).
    static let deprecated: Set<String> = ["port", "bind_address"]

    static let byName: [String: BrokerConfigKey] = Dictionary(uniqueKeysWithValues: supported.map { ($0.name, $0) })

    /// Every key mqttlab can name in a message: supported first, then Mosquitto's unsupported ones.
    static let knownNames: [String] = supported.map(\.name) + BrokerConfigUnsupportedKeys.allKeys
}

extension BrokerConfigKey {
    static func flag(
        _ name: String, scope: Scope = .broker, target: String, _ effect: LocalizedText,
        _ set: @escaping @Sendable (inout BrokerConfigDraft, Bool) -> Void
    ) -> BrokerConfigKey {
        BrokerConfigKey(name: name, kind: .flag, repetition: .lastWins, scope: scope, effect: effect, target: target) { draft, value in
            if case .flag(let flag) = value { set(&draft, flag) }
        }
    }

    static func number(
        _ name: String, kind: BrokerConfigValueKind, scope: Scope = .broker, target: String, _ effect: LocalizedText,
        _ set: @escaping @Sendable (inout BrokerConfigDraft, Int) -> Void
    ) -> BrokerConfigKey {
        BrokerConfigKey(name: name, kind: kind, repetition: .lastWins, scope: scope, effect: effect, target: target) { draft, value in
            if case .number(let number) = value { set(&draft, number) }
        }
    }

    /// A TLS path of the listener above (`cafile`, `certfile`…): the rest of the line, as Mosquitto reads paths.
    static func tlsPath(
        _ name: String, _ effect: LocalizedText, _ set: @escaping @Sendable (inout BrokerConfigFile.TLSKeys, String) -> Void
    ) -> BrokerConfigKey {
        BrokerConfigKey(name: name, kind: .restOfLine, repetition: .accumulates, scope: .perListener, effect: effect,
                        target: "listeners[].tls.\(name)") { draft, value in
            if case .text(let path) = value { draft.setTLS { set(&$0, path) } }
        }
    }

    static func tlsFlag(
        _ name: String, _ effect: LocalizedText, _ set: @escaping @Sendable (inout BrokerConfigFile.TLSKeys, Bool) -> Void
    ) -> BrokerConfigKey {
        BrokerConfigKey(name: name, kind: .flag, repetition: .accumulates, scope: .perListener, effect: effect,
                        target: "listeners[].tls.\(name)") { draft, value in
            if case .flag(let flag) = value { draft.setTLS { set(&$0, flag) } }
        }
    }

    /// A logging key: checked like Mosquitto checks it, then ignored (the broker prints one note about them).
    static func logging(_ name: String, kind: BrokerConfigValueKind) -> BrokerConfigKey {
        let repeats: Repetition = name == "log_type" || name == "log_dest" ? .accumulates : .lastWins
        return BrokerConfigKey(
            name: name, kind: kind, repetition: repeats, scope: .logging,
            effect: LocalizedText(en: "no effect: mqttlab's packet trace replaces Mosquitto's log", es: "sin efecto: la traza de paquetes de mqttlab sustituye al registro de Mosquitto"),
            target: "—"
        ) { _, _ in }
    }
}

/// Meanings of special values, shown after a number's range.
enum BrokerConfigMeanings {
    static let noLimitAtZero = LocalizedText(en: "0 = no limit", es: "0 = sin límite")
    static let noLimitAtMinusOneOrZero = LocalizedText(en: "-1 or 0 = no limit", es: "-1 o 0 = sin límite")
    static let seconds = LocalizedText(en: "seconds", es: "segundos")
    static let secondsOffAtZero = LocalizedText(en: "seconds; 0 = off", es: "segundos; 0 = desactivado")
}
