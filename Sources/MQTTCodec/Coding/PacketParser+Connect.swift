extension PacketParser {
    mutating func parseConnect() throws(MalformedPacket) -> Connect {
        let nameStart = reader.position
        let name = try string(length: .protocolNameLength, .protocolName)
        let levelStart = reader.position
        let level = try byte(.protocolLevel) { level in
            switch ProtocolVersion(rawValue: level) {
            case .some(let known): LocalizedText(en: "MQTT \(known)", es: "MQTT \(known)")
            case nil: LocalizedText(en: "unknown level", es: "nivel desconocido")
            }
        }
        guard name == "MQTT" || name == "MQIsdp" else { throw fail(.invalidProtocolName(name), at: nameStart) }
        guard let version = ProtocolVersion(rawValue: level) else { throw fail(.unsupportedProtocolLevel(level), at: levelStart) }
        guard version.protocolName == name else { throw fail(.protocolNameLevelMismatch(name: name, level: level), at: levelStart) }
        // From here on the packet's own level decides which rules apply.
        reader.version = version

        let flagsStart = reader.position
        let flags = try reader.readByte(.connectFlags)
        recordConnectFlags(flags, at: flagsStart)
        let hasUsername = flags & 0x80 != 0
        let hasPassword = flags & 0x40 != 0
        let willRetain = flags & 0x20 != 0
        let willQoSBits = (flags >> 3) & 0x03
        let hasWill = flags & 0x04 != 0
        let cleanStart = flags & 0x02 != 0
        if flags & 0x01 != 0 { throw fail(.reservedConnectFlag, at: flagsStart) }
        if !hasWill && willQoSBits != 0 { throw fail(.willQoSWithoutWill, at: flagsStart) }
        if !hasWill && willRetain { throw fail(.willRetainWithoutWill, at: flagsStart) }
        guard let willQoS = QoS(rawValue: willQoSBits) else { throw fail(.willQoS3, at: flagsStart) }
        if !version.isV5 && hasPassword && !hasUsername { throw fail(.passwordWithoutUsername, at: flagsStart) }

        let keepAlive = try uint16(.keepAlive) { seconds in
            seconds == 0
                ? LocalizedText(en: "0: keep alive is off", es: "0: keep alive desactivado")
                : LocalizedText(en: "\(seconds) s: the broker gives up after \(Int(seconds) * 3 / 2) s of silence",
                                es: "\(seconds) s: el broker desiste tras \(Int(seconds) * 3 / 2) s de silencio")
        }
        let properties = version.isV5 ? try parseProperties(in: .packet(.connect)) : []

        let clientID = try string(length: .clientIDLength, .clientID)
        var will: Connect.Will?
        if hasWill {
            let willProperties = version.isV5 ? try parseProperties(in: .will) : []
            let topicStart = reader.position + 2
            let topic = try string(length: .willTopicLength, .willTopic)
            try validateTopicName(topic, at: topicStart, allowEmpty: false)
            let payload = try binary(length: .willPayloadLength, .willPayload)
            will = Connect.Will(topic: topic, payload: payload, qos: willQoS, retain: willRetain, properties: willProperties)
        }
        let username = hasUsername ? try string(length: .usernameLength, .username) : nil
        let password = hasPassword ? try binary(length: .passwordLength, .password) : nil
        return Connect(version: version, clientID: clientID, cleanStart: cleanStart, keepAlive: keepAlive, will: will,
                       username: username, password: password, properties: properties)
    }

    private mutating func recordConnectFlags(_ flags: UInt8, at offset: Int) {
        guard isRecording else { return }
        func bit(_ kind: FieldKind, _ mask: UInt8, on: LocalizedText, off: LocalizedText) -> Field {
            let set = flags & mask != 0
            return Field(kind: kind, offset: offset, length: 1, mask: mask, value: .bool(set), note: set ? on : off)
        }
        let willQoS = (flags >> 3) & 0x03
        let children = [
            bit(.usernameFlag, 0x80, on: LocalizedText(en: "1: a user name follows", es: "1: sigue un usuario"),
                off: LocalizedText(en: "0: no user name", es: "0: sin usuario")),
            bit(.passwordFlag, 0x40, on: LocalizedText(en: "1: a password follows", es: "1: sigue una contraseña"),
                off: LocalizedText(en: "0: no password", es: "0: sin contraseña")),
            bit(.willRetainFlag, 0x20, on: LocalizedText(en: "1: the will is retained", es: "1: la última voluntad se retiene"),
                off: LocalizedText(en: "0: the will is not retained", es: "0: la última voluntad no se retiene")),
            Field(kind: .willQoSFlag, offset: offset, length: 1, mask: 0x18, value: .integer(UInt64(willQoS)),
                  note: QoS(rawValue: willQoS)?.meaning ?? LocalizedText(en: "3: invalid", es: "3: no válida")),
            bit(.willFlag, 0x04, on: LocalizedText(en: "1: a will message follows", es: "1: sigue un mensaje de última voluntad"),
                off: LocalizedText(en: "0: no will", es: "0: sin última voluntad")),
            bit(.cleanStartFlag, 0x02,
                on: LocalizedText(en: "1: start clean, forget any earlier session", es: "1: empezar de cero, olvidar la sesión anterior"),
                off: LocalizedText(en: "0: persistent session, resume the stored one (like SMS waiting for you)",
                                   es: "0: sesión persistente, recuperar la guardada (como los SMS que te esperan)")),
            bit(.connectReservedFlag, 0x01, on: LocalizedText(en: "1: invalid, must be 0", es: "1: no válido, debe ser 0"),
                off: LocalizedText(en: "0: as required", es: "0: como se exige")),
        ]
        recorder!.add(Field(kind: .connectFlags, offset: offset, length: 1, value: .integer(UInt64(flags)), children: children))
    }

    mutating func parseConnAck(remainingLength: Int) throws(MalformedPacket) -> ConnAck {
        if !version.isV5 && remainingLength != 2 { throw fail(.invalidRemainingLength(.connack, remainingLength), at: 1) }
        let flagsStart = reader.position
        let flags = try reader.readByte(.connAckFlags)
        if isRecording {
            let present = flags & 0x01 != 0
            recorder!.add(Field(kind: .connAckFlags, offset: flagsStart, length: 1, value: .integer(UInt64(flags)), children: [
                Field(kind: .connAckReservedFlags, offset: flagsStart, length: 1, mask: 0xFE, value: .bool(flags & 0xFE != 0)),
                Field(kind: .sessionPresent, offset: flagsStart, length: 1, mask: 0x01, value: .bool(present),
                      note: present ? LocalizedText(en: "1: the earlier session was kept, with its subscriptions and queued messages",
                                                    es: "1: se conservó la sesión anterior, con sus suscripciones y mensajes en cola")
                                    : LocalizedText(en: "0: a new, empty session", es: "0: una sesión nueva y vacía")),
            ]))
        }
        if flags & 0xFE != 0 { throw fail(.reservedConnAckFlags(flags), at: flagsStart) }

        let code: ReasonCode
        if version.isV5 {
            code = try reasonCode(for: .connack)
        } else {
            let start = reader.position
            let value = try byte(.connectReturnCode) { ReasonCode.connectReturnCodeName($0) }
            guard value <= 5 else { throw fail(.invalidReasonCode(value, .connack), at: start) }
            code = ReasonCode(value)
        }
        // A refusal never reports a session [MQTT-3.2.2-4] (3.1.1) / [MQTT-3.2.2-6] (5.0).
        if flags & 0x01 != 0 && code.rawValue != 0 { throw fail(.sessionPresentOnRefusal, at: flagsStart) }
        let properties = version.isV5 ? try parseProperties(in: .packet(.connack)) : []
        return ConnAck(sessionPresent: flags & 0x01 != 0, reasonCode: code, properties: properties)
    }
}
