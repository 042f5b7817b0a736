extension PacketParser {
    /// Parses the whole packet: fixed header, then the body its type calls for, then checks that the
    /// body ended exactly where the remaining length said.
    mutating func parsePacket() throws(MalformedPacket) -> Packet {
        let header = try parseFixedHeader()
        let packet = try parseBody(type: header.type, flags: header.flags, remainingLength: header.remainingLength)
        try checkEnd(of: header)
        return packet
    }

    /// `parsePacket` for bytes whose first byte says PUBLISH: the same checks, in the same order, without
    /// wrapping the result in a `Packet` (the broker's hot path).
    mutating func parsePublishPacket() throws(MalformedPacket) -> Publish {
        let header = try parseFixedHeader()
        precondition(header.type == .publish, "parsePublishPacket needs a PUBLISH")
        let publish = try parsePublish(flags: header.flags)
        try checkEnd(of: header)
        return publish
    }

    struct FixedHeader {
        var type: PacketType
        var flags: UInt8
        var remainingLength: Int
        /// Fixed header plus remaining length: where the packet must end.
        var total: Int
    }

    private mutating func parseFixedHeader() throws(MalformedPacket) -> FixedHeader {
        let first = try reader.readByte(.packetTypeAndFlags)
        let flags = first & 0x0F
        guard let type = PacketType(rawValue: first >> 4) else {
            recordHeaderFlags(first, type: nil)
            throw fail(.reservedPacketType(first >> 4), at: 0)
        }
        recordHeaderFlags(first, type: type)
        // Before the flags: in 3.1.1 type 15 is reserved whatever its flags, so "AUTH must have flags
        // 0000" would explain a packet that does not exist in that version.
        if type == .auth && !version.isV5 { throw fail(.packetTypeNotInVersion(.auth, version), at: 0) }
        try validateHeaderFlags(flags, type: type)

        let remainingLength = try readRemainingLength()
        let headerSize = reader.position
        let total = headerSize + remainingLength
        reader.limit = min(total, reader.bytes.count)
        return FixedHeader(type: type, flags: flags, remainingLength: remainingLength, total: total)
    }

    private func checkEnd(of header: FixedHeader) throws(MalformedPacket) {
        if reader.position < reader.limit { throw fail(.trailingBytes(count: reader.limit - reader.position)) }
        let headerSize = header.total - header.remainingLength
        if reader.bytes.count < header.total {
            throw fail(.truncated(.remainingLength, needed: header.remainingLength, available: reader.bytes.count - headerSize),
                       at: reader.bytes.count)
        }
        if reader.bytes.count > header.total { throw fail(.trailingBytes(count: reader.bytes.count - header.total), at: header.total) }
    }

    private mutating func parseBody(type: PacketType, flags: UInt8, remainingLength: Int) throws(MalformedPacket) -> Packet {
        switch type {
        case .connect: return .connect(try parseConnect())
        case .connack: return .connack(try parseConnAck(remainingLength: remainingLength))
        case .publish: return .publish(try parsePublish(flags: flags))
        case .puback: return .puback(try parsePublishAck(type: type))
        case .pubrec: return .pubrec(try parsePublishAck(type: type))
        case .pubrel: return .pubrel(try parsePublishAck(type: type))
        case .pubcomp: return .pubcomp(try parsePublishAck(type: type))
        case .subscribe: return .subscribe(try parseSubscribe())
        case .suback: return .suback(try parseSubAck())
        case .unsubscribe: return .unsubscribe(try parseUnsubscribe())
        case .unsuback: return .unsuback(try parseUnsubAck())
        case .pingreq: return .pingreq
        case .pingresp: return .pingresp
        case .disconnect: return .disconnect(try parseDisconnect())
        case .auth: return .auth(try parseAuth())
        }
    }

    /// The Remaining Length: at most 4 bytes [MQTT-2.2.3] (3.1.1) / [MQTT-1.5.5-1] (5.0). 3.1.1 did not
    /// forbid non-minimal forms, so only 5.0 rejects them.
    private mutating func readRemainingLength() throws(MalformedPacket) -> Int {
        let start = reader.position
        var value = 0
        var multiplier = 1
        for index in 0..<4 {
            let byte = try reader.readByte(.remainingLength)
            value += Int(byte & 0x7F) * multiplier
            if byte & 0x80 == 0 {
                if index > 0 && byte == 0 && version.isV5 { throw fail(.nonMinimalVariableByteInteger, at: start) }
                if isRecording {
                    let bytes = index + 1
                    let unit = bytes == 1 ? "byte" : "bytes"
                    record(.remainingLength, from: start, value: .integer(UInt64(value)),
                           note: LocalizedText(en: "\(value) bytes follow (\(bytes) \(unit) used to say so)",
                                               es: "siguen \(value) bytes (dicho en \(bytes) \(unit))"))
                }
                return value
            }
            multiplier *= 128
        }
        throw fail(.remainingLengthTooLong, at: start)
    }

    private func validateHeaderFlags(_ flags: UInt8, type: PacketType) throws(MalformedPacket) {
        if type == .publish {
            let qos = (flags >> 1) & 0x03
            if qos == 3 { throw fail(.qos3, at: 0) }
            if qos == 0 && flags & 0x08 != 0 { throw fail(.dupWithQoS0, at: 0) }
        } else if let required = type.requiredFlags, flags != required {
            throw fail(.invalidFlags(type, expected: required, found: flags), at: 0)
        }
    }

    /// The first byte with a child per bit group, as Wireshark splits it.
    private mutating func recordHeaderFlags(_ first: UInt8, type: PacketType?) {
        guard isRecording else { return }
        let typeValue = first >> 4
        let typeNote = type.map { LocalizedText(en: "\(typeValue) = \($0): \($0.purpose.en)", es: "\(typeValue) = \($0): \($0.purpose.es)") }
            ?? LocalizedText(en: "\(typeValue) is reserved", es: "\(typeValue) está reservado")
        var children = [Field(kind: .packetType, offset: 0, length: 1, mask: 0xF0, value: .integer(UInt64(typeValue)), note: typeNote)]
        let flags = first & 0x0F
        if type == .publish {
            let dup = flags & 0x08 != 0
            let qos = (flags >> 1) & 0x03
            let retain = flags & 0x01 != 0
            children.append(Field(kind: .dupFlag, offset: 0, length: 1, mask: 0x08, value: .bool(dup),
                                  note: dup ? LocalizedText(en: "1: a resend, the receiver may have it already", es: "1: es un reenvío, quizá ya llegó")
                                            : LocalizedText(en: "0: first attempt", es: "0: primer intento")))
            children.append(Field(kind: .qos, offset: 0, length: 1, mask: 0x06, value: .integer(UInt64(qos)),
                                  note: QoS(rawValue: qos)?.meaning ?? LocalizedText(en: "3: invalid", es: "3: no válida")))
            children.append(Field(kind: .retain, offset: 0, length: 1, mask: 0x01, value: .bool(retain),
                                  note: retain ? LocalizedText(en: "1: keep as the topic's last known value", es: "1: guardar como último valor del tema")
                                               : LocalizedText(en: "0: not kept for later subscribers", es: "0: no se guarda para futuros suscriptores")))
        } else if version == .v3_1, let type, type.requiredFlags == 0b0010 {
            // MQTT 3.1 still gave these packets PUBLISH's DUP/QoS/RETAIN layout, with QoS fixed at 1.
            children.append(Field(kind: .dupFlag, offset: 0, length: 1, mask: 0x08, value: .bool(flags & 0x08 != 0)))
            children.append(Field(kind: .qos, offset: 0, length: 1, mask: 0x06, value: .integer(UInt64((flags >> 1) & 0x03))))
            children.append(Field(kind: .retainReserved, offset: 0, length: 1, mask: 0x01, value: .integer(UInt64(flags & 0x01))))
        } else {
            let required = type?.requiredFlags ?? 0
            children.append(Field(kind: .reservedFlags, offset: 0, length: 1, mask: 0x0F, value: .integer(UInt64(flags)),
                                  note: LocalizedText(en: "must be \(Violation.bits(required)) for this type", es: "debe ser \(Violation.bits(required)) en este tipo")))
        }
        let summary = type.map { LocalizedText(en: $0.description, es: $0.description) }
        recorder!.add(Field(kind: .packetTypeAndFlags, offset: 0, length: 1, value: .integer(UInt64(first)), note: summary, children: children))
    }
}
