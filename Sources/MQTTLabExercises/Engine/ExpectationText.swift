import MQTTBroker
import MQTTBrokerCore
import MQTTCodec

/// Expectations and observations in words, for the student: what is still missing, what was seen.
enum ExpectationText {
    static func describe(_ expectation: Expectation, _ language: Language) -> String {
        var text = describe(expectation.condition, language)
        if expectation.count > 1 { text += language == .es ? " (\(expectation.count) veces)" : " (\(expectation.count) times)" }
        if let after = expectation.after { text += language == .es ? ", después de «\(after)»" : ", after \"\(after)\"" }
        return text
    }

    static func describe(_ condition: Expectation.Condition, _ language: Language) -> String {
        let es = language == .es
        switch condition {
        case .connect(let pattern):
            var parts: [String] = []
            if let id = pattern.clientID { parts.append("client id \(id)") }
            if let clean = pattern.cleanStart { parts.append("clean session/start \(clean ? 1 : 0)") }
            if let version = pattern.version { parts.append("MQTT \(version)") }
            if let user = pattern.username { parts.append((es ? "usuario " : "user ") + user) }
            if let minimum = pattern.minKeepAlive { parts.append("keep alive ≥ \(minimum)") }
            if let maximum = pattern.maxKeepAlive { parts.append("keep alive ≤ \(maximum)") }
            if let expiry = pattern.sessionExpiryMin { parts.append("session expiry ≥ \(expiry)") }
            if let will = pattern.will { parts.append((es ? "will " : "will ") + publish(will, language)) }
            if pattern.hasWill == false { parts.append(es ? "sin will" : "without a will") }
            return "CONNECT" + (parts.isEmpty ? "" : (es ? " con " : " with ") + parts.joined(separator: ", "))
        case .publish(let pattern):
            return (es ? "un PUBLISH de un cliente" : "a PUBLISH from a client") + detail(publish(pattern, language), es)
        case .delivered(let pattern):
            return (es ? "un PUBLISH del broker a un cliente" : "a PUBLISH from the broker to a client") + detail(publish(pattern, language), es)
        case .subscribe(let pattern):
            var parts: [String] = []
            if let filter = pattern.filter { parts.append((es ? "filtro " : "filter ") + filter) }
            if !pattern.matches.isEmpty { parts.append((es ? "que case con " : "matching ") + pattern.matches.joined(separator: ", ")) }
            if !pattern.notMatches.isEmpty { parts.append((es ? "que no case con " : "not matching ") + pattern.notMatches.joined(separator: ", ")) }
            if let qos = pattern.qos { parts.append("QoS \(qos)") }
            if let qos = pattern.minQoS { parts.append("QoS ≥ \(qos)") }
            if let client = pattern.clientID { parts.append((es ? "del cliente " : "from client ") + client) }
            return "SUBSCRIBE" + detail(parts.joined(separator: ", "), es)
        case .unsubscribe(let filter):
            return "UNSUBSCRIBE" + detail(filter.map { (es ? "filtro " : "filter ") + $0 } ?? "", es)
        case .queuedDelivery(let client, let filter):
            var text = es ? "un mensaje encolado mientras el cliente estaba desconectado, entregado al volver con su sesión persistente"
                          : "a message queued while the client was offline, delivered when it came back to its persistent session"
            if let client { text += (es ? " (cliente " : " (client ") + client + ")" }
            if let filter { text += (es ? " en " : " on ") + filter }
            return text
        case .willPublished(let topic):
            return (es ? "el broker publica el will" : "the broker publishes the will") + (topic.map { (es ? " en " : " on ") + $0 } ?? "")
        case .retained(let topic, let cleared):
            let what = cleared ? (es ? "el broker borra el mensaje retenido" : "the broker clears the retained message")
                               : (es ? "el broker guarda un mensaje retenido" : "the broker stores a retained message")
            return what + (topic.map { (es ? " de " : " of ") + $0 } ?? "")
        case .disconnect(let client, let graceful):
            var text = graceful.map { $0 ? (es ? "una desconexión limpia (DISCONNECT)" : "a clean disconnect (DISCONNECT)")
                                          : (es ? "una desconexión abrupta (sin DISCONNECT)" : "an abrupt disconnect (no DISCONNECT)") }
                ?? (es ? "una desconexión" : "a disconnect")
            if let client { text += (es ? " del cliente " : " of client ") + client }
            return text
        case .packet(let type, let incoming, let client):
            return "\(type)" + (incoming ? (es ? " de un cliente" : " from a client") : (es ? " del broker" : " from the broker"))
                + (client.map { " (\($0))" } ?? "")
        case .checker(let name):
            return NamedCheckers.all[name]?.summary.text(language) ?? name
        }
    }

    private static func detail(_ text: String, _ es: Bool) -> String {
        text.isEmpty ? "" : (es ? " con " : " with ") + text
    }

    static func publish(_ pattern: PublishPattern, _ language: Language) -> String {
        let es = language == .es
        var parts: [String] = []
        if let topic = pattern.topic { parts.append((es ? "tema " : "topic ") + topic) }
        if let filter = pattern.topicMatches { parts.append((es ? "tema que case con " : "topic matching ") + filter) }
        if let payload = pattern.payload { parts.append("payload \"\(payload)\"") }
        if let qos = pattern.qos { parts.append("QoS \(qos)") }
        if let qos = pattern.minQoS { parts.append("QoS ≥ \(qos)") }
        if let retain = pattern.retain { parts.append("retain \(retain ? 1 : 0)") }
        if let client = pattern.clientID { parts.append("client id \(client)") }
        return parts.joined(separator: ", ")
    }

    /// The observation as one line: packets like the trace's summary, events in words.
    static func line(_ observation: Observation, _ language: Language) -> String? {
        switch observation.item {
        case .packet(let record):
            let who = record.clientID ?? record.connection.description
            let arrow = record.direction == .incoming ? "→" : "←"
            guard let packet = record.packet else { return "\(who) \(arrow) ?" }
            var text = "\(who) \(arrow) \(packet.type)"
            switch packet {
            case .connect(let connect):
                text += " client id \(connect.clientID.isEmpty ? "\"\"" : connect.clientID) · clean \(connect.cleanStart ? 1 : 0) · keep alive \(connect.keepAlive)"
                if let will = connect.will { text += " · will \(will.topic) \"\(String(decoding: will.payload, as: UTF8.self))\"" }
                if let user = connect.username { text += " · user \(user)" }
            case .publish(let publish):
                text += " \(publish.topic) · \"\(String(decoding: publish.payload.prefix(60), as: UTF8.self))\" · QoS \(publish.qos.rawValue)"
                if publish.retain { text += " · retain" }
            case .subscribe(let subscribe):
                text += " " + subscribe.subscriptions.map { "\($0.filter) (QoS \($0.options.qos.rawValue))" }.joined(separator: ", ")
            case .unsubscribe(let unsubscribe):
                text += " " + unsubscribe.filters.joined(separator: ", ")
            default:
                break
            }
            return text
        case .event(let event):
            let es = language == .es
            switch event {
            case .willPublished(let client, let topic): return es ? "· will de \(client) publicado en \(topic)" : "· will of \(client) published on \(topic)"
            case .queued(let client, let topic, let length): return es ? "· encolado para \(client): \(topic) (\(length) en cola)" : "· queued for \(client): \(topic) (\(length) in queue)"
            case .sessionStarted(_, let client, let resumed, let persistent, _):
                return es ? "· sesión de \(client): \(resumed ? "recuperada" : "nueva")\(persistent ? ", persistente" : "")"
                          : "· session of \(client): \(resumed ? "resumed" : "new")\(persistent ? ", persistent" : "")"
            case .retained(let topic, let cleared): return es ? "· retenido \(cleared ? "borrado" : "guardado"): \(topic)" : "· retained \(cleared ? "cleared" : "stored"): \(topic)"
            case .connectionEnded(_, let client, let graceful, _):
                return es ? "· \(client ?? "?") se desconecta \(graceful ? "con DISCONNECT" : "sin DISCONNECT")"
                          : "· \(client ?? "?") disconnects \(graceful ? "with DISCONNECT" : "without DISCONNECT")"
            case .connectionRefused(_, let client, let reason, _): return es ? "· conexión rechazada (\(client ?? "?")): \(reason)" : "· connection refused (\(client ?? "?")): \(reason)"
            default: return nil
            }
        }
    }

    /// The last `limit` observations as lines.
    static func summary(_ log: [Observation], _ language: Language, limit: Int = 40) -> String {
        let lines = log.compactMap { line($0, language) }
        if lines.isEmpty { return language == .es ? "(ningún paquete)" : "(no packets)" }
        let shown = lines.suffix(limit)
        let skipped = lines.count - shown.count
        return ((skipped > 0 ? ["… \(skipped) " + (language == .es ? "líneas antes" : "earlier lines")] : []) + shown).joined(separator: "\n")
    }
}
