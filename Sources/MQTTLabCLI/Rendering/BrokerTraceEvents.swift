import MQTTBroker
import MQTTBrokerCore
import MQTTCodec

/// One line the trace prints for an engine or transport event.
struct BrokerTraceEventLine: Equatable {
    enum Kind: Equatable {
        /// A line of its own, with time and client: a connection ended or was refused (`✕ …`).
        case headline
        /// A detail of what just happened, indented under the packet that caused it (`· …`).
        case detail
    }

    var kind: Kind
    /// The client the line is about (for the client column of a headline).
    var clientID: String?
    var text: String
    /// For a headline about a connection with no client id yet: shown as "#3" instead.
    var connection: ConnectionID? = nil
}

/// The engine's events in plain words, in Spanish or English.
struct BrokerTraceEvents {
    var language: Language

    /// A fan-out to many subscribers lists this many deliveries, then says how many more.
    static let deliveriesShown = 5

    private func t(_ en: String, _ es: String) -> String { language == .es ? es : en }

    /// Why the credentials were refused, in words; the client itself only hears "not authorized".
    func authenticationText(_ failure: AuthenticationFailure, username: String?) -> String {
        let user = username ?? ""
        switch failure {
        case .anonymousNotAllowed:
            return t("no user name, and this broker does not allow anonymous clients (allow_anonymous false)",
                     "sin nombre de usuario, y este broker no admite clientes anónimos (allow_anonymous false)")
        case .noPasswordFile:
            return t("user \(user) cannot be checked: anonymous clients are not allowed and there is no password file",
                     "no se puede comprobar el usuario \(user): no se admiten anónimos y no hay fichero de contraseñas")
        case .unknownUser:
            return t("user \(user) is not in the password file",
                     "el usuario \(user) no está en el fichero de contraseñas")
        case .wrongPassword:
            return t("wrong password for user \(user) (its hash in the password file does not match)",
                     "contraseña incorrecta para el usuario \(user) (no coincide con su hash del fichero de contraseñas)")
        case .noPassword:
            return t("user \(user) sent no password", "el usuario \(user) no envió contraseña")
        case .noClientCertificate:
            return t("this TLS listener takes the user name from the client certificate (use_identity_as_username) and the client presented none",
                     "este listener TLS toma el usuario del certificado del cliente (use_identity_as_username) y el cliente no presentó ninguno")
        }
    }

    /// "ana (client ana-phone) may not write casa/puerta/abrir: no rule of acl.txt grants it → the PUBLISH is
    /// dropped", and the Spanish twin.
    func accessDenialText(_ denial: AccessDenial) -> String {
        let who = denial.username.map { t("\($0) (client \(denial.clientID))", "\($0) (cliente \(denial.clientID))") }
            ?? t("the anonymous client \(denial.clientID)", "el cliente anónimo \(denial.clientID)")
        let file = denial.source
        let verb = denial.access == .read ? t("read", "leer") : t("write", "escribir en")
        var text = t("\(who) may not \(verb) \(denial.topic): ", "\(who) no puede \(verb) \(denial.topic): ")
        switch denial.reason {
        case .deniedByRule(let rule):
            text += t("denied by \(file):\(rule.line) (\(rule.text))", "lo prohíbe \(file):\(rule.line) (\(rule.text))")
        case .noRuleGrants:
            text += t("no rule of \(file) grants it", "ninguna regla de \(file) lo permite")
        case .wildcardInUsername:
            text += t("its user name holds + or #, so no pattern applies to it", "su nombre de usuario tiene + o #, así que no se le aplica ningún pattern")
        case .wildcardInClientID:
            text += t("its client id holds + or #, so no pattern applies to it", "su id de cliente tiene + o #, así que no se le aplica ningún pattern")
        }
        switch denial.action {
        case .publish: text += t(" → the PUBLISH is dropped", " → se descarta el PUBLISH")
        case .will: text += t(" → its last will will never be published", " → su última voluntad nunca se publicará")
        case .delivery: text += t(" → not delivered to it", " → no se le entrega")
        case .retained: text += t(" → the retained message is not sent", " → no se le envía el mensaje retenido")
        }
        return text
    }

    func lines(_ event: BrokerEvent) -> [BrokerTraceEventLine] {
        switch event {
        case .sessionStarted(_, let clientID, let resumed, let persistent, let assignedID):
            var lines: [BrokerTraceEventLine] = []
            if assignedID {
                lines.append(detail(t("the broker names the client \(clientID) (it sent an empty client id)",
                                      "el broker llama \(clientID) al cliente (envió un id vacío)")))
            }
            if resumed {
                lines.append(detail(t("\(clientID)'s earlier session is resumed: its subscriptions and waiting messages are back",
                                      "se recupera la sesión anterior de \(clientID): vuelven sus suscripciones y mensajes pendientes")))
            } else if persistent {
                lines.append(detail(t("new persistent session for \(clientID): kept when it disconnects",
                                      "nueva sesión persistente para \(clientID): se guarda cuando se desconecte")))
            } else {
                lines.append(detail(t("new clean session for \(clientID): deleted when it disconnects",
                                      "nueva sesión limpia para \(clientID): se borra al desconectarse")))
            }
            return lines

        case .connectionRefused(_, _, let reason, let version):
            return [detail(t("connection refused: ", "conexión rechazada: ") + codeName(reason, in: .connack, version: version))]

        case .authenticationFailed(_, _, let username, let failure):
            return [detail(authenticationText(failure, username: username))]

        case .takenOver(let old, _, let clientID):
            return [detail(t("\(clientID) connected again on a new connection: the old one (\(old)) is closed",
                             "\(clientID) se conectó de nuevo en otra conexión: se cierra la anterior (\(old))"))]

        case .connectionEnded(_, let clientID, _, let reason):
            return [BrokerTraceEventLine(kind: .headline, clientID: clientID, text: "✕ " + ended(reason))]

        case .sessionKept(let clientID, let expiry):
            var text = t("\(clientID)'s session is kept: it asked for a persistent session",
                         "la sesión de \(clientID) se guarda: pidió una sesión persistente")
            if let expiry, expiry != UInt32.max { text += t(" (for \(expiry) s)", " (durante \(expiry) s)") }
            return [detail(text)]

        case .sessionEnded(let clientID, let expired):
            return [detail(expired
                ? t("\(clientID)'s session expired and is deleted", "la sesión de \(clientID) caducó y se borra")
                : t("\(clientID)'s session is deleted (clean session)", "se borra la sesión de \(clientID) (sesión limpia)"))]

        case .routed(let topic, _, let delivered, let queued):
            if delivered.isEmpty && queued.isEmpty {
                return [detail(t("no subscriber matches \(topic): nobody gets it",
                                 "ningún suscriptor coincide con \(topic): no le llega a nadie"))]
            }
            var lines = delivered.prefix(Self.deliveriesShown).map { delivery in
                detail(t("matches \(delivery.clientID)'s \(delivery.filter) → delivered at QoS \(delivery.qos.rawValue)",
                         "coincide con \(delivery.filter) de \(delivery.clientID) → se entrega con QoS \(delivery.qos.rawValue)"))
            }
            if delivered.count > Self.deliveriesShown {
                let more = delivered.count - Self.deliveriesShown
                lines.append(detail(t("… and \(more) more subscribers", "… y \(more) suscriptores más")))
            }
            return lines

        case .queued(let clientID, _, let length):
            return [detail(length == 1
                ? t("queued for \(clientID): 1 message waiting, like an SMS", "en cola para \(clientID): 1 mensaje esperando, como un SMS")
                : t("queued for \(clientID): \(length) messages waiting, like SMS", "en cola para \(clientID): \(length) mensajes esperando, como los SMS"))]

        case .dropped(let clientID, let topic, let reason):
            return [detail(t("message on \(topic) for \(clientID) dropped: ", "se descarta el mensaje de \(topic) para \(clientID): ")
                + dropped(reason))]

        case .retained(let topic, let cleared):
            return [detail(cleared
                ? t("the retained value of \(topic) is cleared (empty retained message)",
                    "se borra el valor retenido de \(topic) (mensaje retenido vacío)")
                : t("stored as the retained value of \(topic)", "se guarda como valor retenido de \(topic)"))]

        case .willPublished(let clientID, let topic):
            return [detail(t("\(clientID)'s last will is published on \(topic)", "se publica la última voluntad de \(clientID) en \(topic)"))]

        case .willScheduled(let clientID, let topic, let delay):
            return [detail(t("\(clientID)'s last will on \(topic) is published in \(delay) s unless it reconnects",
                             "la última voluntad de \(clientID) en \(topic) se publica en \(delay) s si no se reconecta"))]

        case .subscriptionAnswered(let clientID, let filter, let requested, let result):
            if result.isFailure {
                return [detail(t("\(clientID)'s subscription to \(filter) is refused: ", "se rechaza la suscripción de \(clientID) a \(filter): ")
                    + codeName(result, in: .suback, version: .v5_0))]
            }
            return [detail(t("\(clientID) asked for QoS \(requested.rawValue) on \(filter): granted QoS \(result.rawValue)",
                             "\(clientID) pidió QoS \(requested.rawValue) en \(filter): se concede QoS \(result.rawValue)"))]

        case .accessDenied(let denial):
            return [detail(accessDenialText(denial))]

        case .violation(_, _, let error):
            var text = t("protocol violation: ", "violación del protocolo: ") + error.violation.message.text(language)
            if let spec = error.specID { text += " [\(spec)]" }
            text += t(" → the connection is closed", " → se cierra la conexión")
            return [detail(text)]
        }
    }

    func lines(_ transport: BrokerTransportEvent) -> [BrokerTraceEventLine] {
        switch transport {
        case .accepted(let id, let remote):
            return [detail(t("new TCP connection \(id) from \(remote)", "nueva conexión TCP \(id) desde \(remote)"))]
        case .storeFailed(let reason):
            return [BrokerTraceEventLine(kind: .headline, clientID: nil, text: "✕ " + t(
                "the store could not be written (\(reason)): the broker goes on, but a restart would lose recent messages",
                "no se pudo escribir el almacén (\(reason)): el broker sigue, pero al reiniciar se perderían mensajes recientes"))]
        case .refusedOverLimit(let remote, let limit):
            return [BrokerTraceEventLine(kind: .headline, clientID: nil, text: "✕ " + t(
                "connection from \(remote) refused: \(limit) open connections is the limit (--max-connections)",
                "se rechaza la conexión de \(remote): el límite es \(limit) conexiones abiertas (--max-connections)"))]
        case .droppedForSlowConsumer(_, let clientID, let topic):
            let who = clientID ?? "?"
            return [detail(t("\(who) does not read fast enough: a QoS 0 message on \(topic) is dropped",
                             "\(who) no lee lo bastante rápido: se descarta un mensaje QoS 0 de \(topic)"))]
        case .notAConnect(let id, let firstByte):
            let type = PacketType(rawValue: firstByte >> 4).map { " (\($0)?)" } ?? ""
            let printable = (0x21..<0x7F).contains(firstByte) ? " '\(String(UnicodeScalar(firstByte)))'" : ""
            if firstByte == 0x16 {
                return [BrokerTraceEventLine(kind: .headline, clientID: nil, text: "✕ " + t(
                    "closed: it starts with 0x16, a TLS handshake: a TLS client on this plain port (use the TLS port, 8883)",
                    "cerrada: empieza por 0x16, un saludo TLS: un cliente TLS en este puerto sin cifrar (usa el puerto TLS, 8883)"),
                    connection: id)]
            }
            return [BrokerTraceEventLine(kind: .headline, clientID: nil, text: "✕ " + t(
                "closed: the first packet must be a CONNECT (byte 0x10), this one starts with 0x\(Hex.byte(firstByte))\(printable)\(type): not an MQTT client?",
                "cerrada: el primer paquete debe ser un CONNECT (byte 0x10), este empieza por 0x\(Hex.byte(firstByte))\(printable)\(type): ¿no es un cliente MQTT?"), connection: id)]
        case .closeTimedOut(_, let clientID):
            return [BrokerTraceEventLine(kind: .headline, clientID: clientID, text: "✕ " + t(
                "cut: it did not take its last packets in time", "cortada: no recogió sus últimos paquetes a tiempo"))]
        case .tlsClientHello(let id, let hello):
            return TLSTraceText(language: language).clientHello(hello, connection: id)
        case .tlsHandshakeCompleted(let id, let summary):
            return TLSTraceText(language: language).completed(summary, connection: id)
        case .tlsHandshakeFailed(let id, let failure):
            return TLSTraceText(language: language).failed(failure, connection: id)
        }
    }

    // MARK: Pieces

    private func detail(_ text: String) -> BrokerTraceEventLine {
        BrokerTraceEventLine(kind: .detail, clientID: nil, text: "· " + text)
    }

    private func ended(_ reason: BrokerEvent.EndReason) -> String {
        switch reason {
        case .disconnectPacket(let code):
            if code == .disconnectWithWillMessage {
                return t("disconnected with DISCONNECT 0x04: its last will is published",
                         "desconectado con DISCONNECT 0x04: se publica su última voluntad")
            }
            if code == .success {
                return t("disconnected on purpose (DISCONNECT): its last will, if any, is discarded",
                         "desconectado a propósito (DISCONNECT): su última voluntad, si tiene, se descarta")
            }
            return t("disconnected (DISCONNECT: ", "desconectado (DISCONNECT: ") + codeName(code, in: .disconnect, version: .v5_0) + ")"
        case .socketClosed:
            return t("connection lost (closed without DISCONNECT: its last will, if any, is published)",
                     "conexión perdida (cerrada sin DISCONNECT: se publica su última voluntad, si tiene)")
        case .keepAliveExpired(let seconds):
            return t("connection lost (no packet for \(Self.seconds(seconds, language)) s = 1.5 × keep alive)",
                     "conexión perdida (ningún paquete en \(Self.seconds(seconds, language)) s = 1,5 × keep alive)")
        case .takenOver:
            return t("closed: another connection took its session", "cerrada: otra conexión tomó su sesión")
        case .connectionRefused:
            return t("closed: the connection was refused (see the CONNACK)", "cerrada: la conexión fue rechazada (mira el CONNACK)")
        case .protocolViolation:
            return t("closed for breaking the protocol", "cerrada por no cumplir el protocolo")
        case .protocolError(let rule):
            let spec = rule.specID.map { " [\($0)]" } ?? ""
            return t("closed for breaking the protocol: ", "cerrada por no cumplir el protocolo: ") + rule.text.text(language) + spec
        case .serverShutdown:
            return t("closed: the broker is shutting down", "cerrada: el broker se apaga")
        }
    }

    private func dropped(_ reason: BrokerEvent.DropReason) -> String {
        switch reason {
        case .queueFull(let limit):
            t("its queue is full (\(limit) messages, --max-queued-messages)", "su cola está llena (\(limit) mensajes, --max-queued-messages)")
        case .queueBytesFull(let limit):
            t("its queue is full (\(limit) bytes)", "su cola está llena (\(limit) bytes)")
        case .expired:
            t("it expired", "caducó")
        case .tooLargeForClient(let size, let maximum):
            t("\(size) bytes is more than the \(maximum) the client accepts",
              "\(size) bytes superan los \(maximum) que acepta el cliente")
        case .overMessageSizeLimit(let size, let limit):
            t("its payload of \(size) bytes is over the broker's message_size_limit of \(limit): not accepted",
              "su carga de \(size) bytes supera el message_size_limit de \(limit) del broker: no se acepta")
        }
    }

    private func codeName(_ code: ReasonCode, in type: PacketType, version: ProtocolVersion) -> String {
        code.name(in: type, version: version).text(language) + " (0x" + Hex.byte(code.rawValue) + ")"
    }

    /// 90 → "90", 1.5 → "1.5" (es: "1,5").
    static func seconds(_ value: Double, _ language: Language) -> String {
        let tenths = Int((value * 10).rounded())
        if tenths % 10 == 0 { return String(tenths / 10) }
        return "\(tenths / 10)" + (language == .es ? "," : ".") + "\(tenths % 10)"
    }
}
