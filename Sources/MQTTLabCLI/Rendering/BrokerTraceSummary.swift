import MQTTBroker
import MQTTCodec

/// The plain-words summary of one packet for the broker's trace: what a learner needs to follow the
/// conversation ("v3.1.1 · client id "ana" · persistent session (clean 0) · keep alive 60 s"), in
/// Spanish or English. Layout (time, client, arrow) is `BrokerTraceRenderer`'s job.
struct BrokerTraceSummary {
    var language: Language
    /// Show passwords instead of `••••`.
    var showSecrets: Bool

    static let mask = "••••"
    /// Payloads and topics longer than this are clipped in a summary line.
    static let payloadWidth = 40

    private func t(_ en: String, _ es: String) -> String { language == .es ? es : en }

    func summary(_ packet: Packet, version: ProtocolVersion, direction: TraceDirection) -> String {
        switch packet {
        case .connect(let connect): return self.connect(connect)
        case .connack(let connack): return self.connack(connack, version: version)
        case .publish(let publish): return self.publish(publish)
        case .puback(let ack):
            let meaning = direction == .brokerToClient
                ? t("the broker now owns the message", "el mensaje ya es responsabilidad del broker")
                : t("the client got the message", "el cliente recibió el mensaje")
            return self.ack(ack, type: .puback, version: version, meaning: meaning)
        case .pubrec(let ack): return self.ack(ack, type: .pubrec, version: version, meaning: PacketType.pubrec.purpose.text(language))
        case .pubrel(let ack): return self.ack(ack, type: .pubrel, version: version, meaning: PacketType.pubrel.purpose.text(language))
        case .pubcomp(let ack): return self.ack(ack, type: .pubcomp, version: version, meaning: PacketType.pubcomp.purpose.text(language))
        case .subscribe(let subscribe): return self.subscribe(subscribe, version: version)
        case .suback(let suback): return self.suback(suback, version: version)
        case .unsubscribe(let unsubscribe):
            return (["id \(unsubscribe.packetID)"] + [unsubscribe.filters.map(Self.clip).joined(separator: ", ")]).joined(separator: " · ")
        case .unsuback(let unsuback):
            var parts = ["id \(unsuback.packetID)"]
            if version.isV5 && !unsuback.reasonCodes.isEmpty {
                parts.append(unsuback.reasonCodes.map { codeName($0, in: .unsuback, version: version) }.joined(separator: ", "))
            }
            return parts.joined(separator: " · ")
        case .pingreq, .pingresp:
            return packet.type.purpose.text(language)
        case .disconnect(let disconnect):
            guard version.isV5 else { return PacketType.disconnect.purpose.text(language) }
            var parts = [codeName(disconnect.reasonCode, in: .disconnect, version: version)]
            if let reason = disconnect.properties.firstValue(Self.reasonString) { parts.append("\"\(Self.clip(reason))\"") }
            return parts.joined(separator: " · ")
        case .auth(let auth):
            return codeName(auth.reasonCode, in: .auth, version: version)
        }
    }

    // MARK: Packets

    private func connect(_ connect: Connect) -> String {
        var parts = ["v\(connect.version)"]
        if connect.clientID.isEmpty {
            parts.append(t("no client id (the broker assigns one)", "sin id de cliente (el broker asigna uno)"))
        } else {
            parts.append(t("client id", "id de cliente") + " \"\(Self.clip(connect.clientID))\"")
        }
        if connect.version.isV5 {
            parts.append(connect.cleanStart
                ? t("new session (clean start 1)", "sesión nueva (clean start 1)")
                : t("resume its session if any (clean start 0)", "retoma su sesión si existe (clean start 0)"))
            if let expiry = connect.properties.firstValue(Self.sessionExpiry), expiry > 0 {
                parts.append(expiry == UInt32.max
                    ? t("session never expires", "la sesión no caduca")
                    : t("session kept \(expiry) s", "sesión guardada \(expiry) s"))
            }
        } else {
            parts.append(connect.cleanStart
                ? t("clean session (clean 1)", "sesión limpia (clean 1)")
                : t("persistent session (clean 0)", "sesión persistente (clean 0)"))
        }
        parts.append(connect.keepAlive == 0
            ? t("keep alive off (0)", "keep alive desactivado (0)")
            : "keep alive \(connect.keepAlive) s")
        if let will = connect.will {
            var flags = ["QoS \(will.qos.rawValue)"]
            if will.retain { flags.append("retain") }
            parts.append(t("will on", "última voluntad en") + " \(Self.clip(will.topic)) (\(flags.joined(separator: ", ")))")
        }
        if let username = connect.username { parts.append(t("user", "usuario") + " \"\(Self.clip(username))\"") }
        if let password = connect.password {
            parts.append(t("password", "contraseña") + " " + (showSecrets ? payloadText(password) : Self.mask))
        }
        return parts.joined(separator: " · ")
    }

    private func connack(_ connack: ConnAck, version: ProtocolVersion) -> String {
        var parts: [String] = []
        if connack.reasonCode.rawValue == 0 {
            parts.append(t("accepted", "aceptada"))
            parts.append(connack.sessionPresent
                ? t("earlier session resumed (session present 1)", "sesión anterior recuperada (session present 1)")
                : t("no earlier session", "sin sesión anterior"))
        } else {
            parts.append(t("refused: ", "rechazada: ") + codeName(connack.reasonCode, in: .connack, version: version))
        }
        if version.isV5 {
            if let assigned = connack.properties.firstValue(Self.assignedClientID) {
                parts.append(t("client id assigned", "id de cliente asignado") + " \"\(assigned)\"")
            }
            if let keepAlive = connack.properties.firstValue(Self.serverKeepAlive) {
                parts.append(t("keep alive set to \(keepAlive) s", "keep alive fijado en \(keepAlive) s"))
            }
            if let reason = connack.properties.firstValue(Self.reasonString) { parts.append("\"\(Self.clip(reason))\"") }
        }
        return parts.joined(separator: " · ")
    }

    private func publish(_ publish: Publish) -> String {
        var parts: [String] = []
        let alias = publish.properties.firstValue(Self.topicAlias)
        if publish.topic.isEmpty, let alias {
            parts.append(t("(topic alias \(alias))", "(alias de tema \(alias))"))
        } else {
            parts.append(Self.clip(publish.topic))
            if let alias { parts.append(t("alias \(alias)", "alias \(alias)")) }
        }
        parts.append(publish.payload.isEmpty ? t("empty payload", "carga vacía") : payloadText(publish.payload))
        parts.append("QoS \(publish.qos.rawValue)")
        if let id = publish.packetID { parts.append("id \(id)") }
        if publish.retain { parts.append("retain") }
        if publish.dup { parts.append(t("dup (a resend)", "dup (un reenvío)")) }
        return parts.joined(separator: " · ")
    }

    private func ack(_ ack: PublishAck, type: PacketType, version: ProtocolVersion, meaning: String) -> String {
        var parts = ["id \(ack.packetID)"]
        if ack.reasonCode.rawValue != 0 {
            parts.append(codeName(ack.reasonCode, in: type, version: version))
        } else {
            parts.append(meaning)
        }
        return parts.joined(separator: " · ")
    }

    private func subscribe(_ subscribe: Subscribe, version: ProtocolVersion) -> String {
        let filters = subscribe.subscriptions.map { subscription -> String in
            var options = ["QoS \(subscription.options.qos.rawValue)"]
            if version.isV5 {
                if subscription.options.noLocal { options.append("no local") }
                if subscription.options.retainAsPublished { options.append("retain as published") }
                switch subscription.options.retainHandling {
                case .sendOnSubscribe: break
                case .sendOnlyIfNew: options.append(t("retained only if new", "retenidos solo si es nueva"))
                case .doNotSend: options.append(t("no retained", "sin retenidos"))
                }
            }
            return "\(Self.clip(subscription.filter)) (\(options.joined(separator: ", ")))"
        }
        return "id \(subscribe.packetID) · " + filters.joined(separator: ", ")
    }

    private func suback(_ suback: SubAck, version: ProtocolVersion) -> String {
        let answers = suback.reasonCodes.map { code -> String in
            code.isFailure
                ? t("refused: ", "rechazada: ") + codeName(code, in: .suback, version: version)
                : t("granted QoS \(code.rawValue)", "QoS \(code.rawValue) concedida")
        }
        return "id \(suback.packetID) · " + answers.joined(separator: ", ")
    }

    // MARK: Helpers

    /// "Not authorized (0x87)".
    func codeName(_ code: ReasonCode, in type: PacketType, version: ProtocolVersion) -> String {
        code.name(in: type, version: version).text(language) + " (0x" + Hex.byte(code.rawValue) + ")"
    }

    /// `"22.5"` for text, `3 bytes: 01 02 ff` for binary, clipped.
    func payloadText(_ payload: [UInt8]) -> String {
        if let text = DissectionTextRenderer.printableText(payload) {
            if text.count <= Self.payloadWidth { return "\"\(text)\"" }
            return "\"\(text.prefix(Self.payloadWidth - 1))…\" (\(payload.count) bytes)"
        }
        return "\(payload.count) bytes: " + Hex.abbreviated(payload, limit: 8)
    }

    static func clip(_ text: String) -> String {
        text.count <= payloadWidth ? text : String(text.prefix(payloadWidth - 1)) + "…"
    }

    // Property extractors for `Properties.firstValue`.
    private static func sessionExpiry(_ property: Property) -> UInt32? {
        if case .sessionExpiryInterval(let value) = property { return value }
        return nil
    }

    private static func assignedClientID(_ property: Property) -> String? {
        if case .assignedClientIdentifier(let value) = property { return value }
        return nil
    }

    private static func serverKeepAlive(_ property: Property) -> UInt16? {
        if case .serverKeepAlive(let value) = property { return value }
        return nil
    }

    private static func reasonString(_ property: Property) -> String? {
        if case .reasonString(let value) = property { return value }
        return nil
    }

    private static func topicAlias(_ property: Property) -> UInt16? {
        if case .topicAlias(let value) = property { return value }
        return nil
    }
}
