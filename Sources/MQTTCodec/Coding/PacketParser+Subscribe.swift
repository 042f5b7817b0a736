extension PacketParser {
    mutating func parseSubscribe() throws(MalformedPacket) -> Subscribe {
        let packetID = try packetIdentifier()
        let properties = version.isV5 ? try parseProperties(in: .packet(.subscribe)) : []
        var subscriptions: [Subscribe.Subscription] = []
        if reader.isAtEnd { throw fail(.emptySubscribe) }
        while !reader.isAtEnd {
            begin(.subscription)
            let filterStart = reader.position + 2
            let filter = try string(length: .topicLength, .topic)
            try validateTopicFilter(filter, at: filterStart)
            let options = version.isV5 ? try subscriptionOptions() : try requestedQoS()
            if options.noLocal && TopicFilter.isShared(filter) {
                throw fail(.noLocalOnSharedSubscription, at: reader.position - 1)
            }
            end()
            subscriptions.append(Subscribe.Subscription(filter: filter, options: options))
        }
        return Subscribe(packetID: packetID, subscriptions: subscriptions, properties: properties)
    }

    /// 3.1.1: one byte, bits 1–0 the QoS, the rest reserved [MQTT-3.8.3-4].
    private mutating func requestedQoS() throws(MalformedPacket) -> Subscribe.Options {
        let start = reader.position
        let value = try byte(.requestedQoS) { QoS(rawValue: $0)?.meaning }
        if value & 0xFC != 0 { throw fail(.reservedSubscriptionOptionBits(value), at: start) }
        guard let qos = QoS(rawValue: value) else { throw fail(.invalidSubscriptionQoS(value), at: start) }
        return Subscribe.Options(qos: qos)
    }

    /// 5.0: QoS, No Local, Retain As Published, Retain Handling, two reserved bits [MQTT-3.8.3-5].
    private mutating func subscriptionOptions() throws(MalformedPacket) -> Subscribe.Options {
        let start = reader.position
        let value = try reader.readByte(.subscriptionOptions)
        let qosBits = value & 0x03
        let handling = (value >> 4) & 0x03
        if isRecording {
            let noLocal = value & 0x04 != 0
            let asPublished = value & 0x08 != 0
            let handlingNote: LocalizedText = switch handling {
            case 0: LocalizedText(en: "0: send retained messages now", es: "0: enviar ahora los retenidos")
            case 1: LocalizedText(en: "1: send retained messages only if the subscription is new", es: "1: enviar retenidos solo si la suscripción es nueva")
            case 2: LocalizedText(en: "2: do not send retained messages", es: "2: no enviar retenidos")
            default: LocalizedText(en: "3: invalid", es: "3: no válido")
            }
            recorder!.add(Field(kind: .subscriptionOptions, offset: start, length: 1, value: .integer(UInt64(value)), children: [
                Field(kind: .optionReserved, offset: start, length: 1, mask: 0xC0, value: .integer(UInt64(value >> 6))),
                Field(kind: .optionRetainHandling, offset: start, length: 1, mask: 0x30, value: .integer(UInt64(handling)), note: handlingNote),
                Field(kind: .optionRetainAsPublished, offset: start, length: 1, mask: 0x08, value: .bool(asPublished)),
                Field(kind: .optionNoLocal, offset: start, length: 1, mask: 0x04, value: .bool(noLocal)),
                Field(kind: .optionMaximumQoS, offset: start, length: 1, mask: 0x03, value: .integer(UInt64(qosBits)),
                      note: QoS(rawValue: qosBits)?.meaning ?? LocalizedText(en: "3: invalid", es: "3: no válida")),
            ]))
        }
        if value & 0xC0 != 0 { throw fail(.reservedSubscriptionOptionBits(value), at: start) }
        guard let qos = QoS(rawValue: qosBits) else { throw fail(.invalidSubscriptionQoS(qosBits), at: start) }
        guard let retainHandling = Subscribe.Options.RetainHandling(rawValue: handling) else {
            throw fail(.invalidRetainHandling, at: start)
        }
        return Subscribe.Options(qos: qos, noLocal: value & 0x04 != 0, retainAsPublished: value & 0x08 != 0, retainHandling: retainHandling)
    }

    mutating func parseSubAck() throws(MalformedPacket) -> SubAck {
        let packetID = try packetIdentifier()
        let properties = version.isV5 ? try parseProperties(in: .packet(.suback)) : []
        var codes: [ReasonCode] = []
        if reader.isAtEnd { throw fail(.truncated(version.isV5 ? .reasonCode(.suback) : .grantedQoS, needed: 1, available: 0)) }
        while !reader.isAtEnd {
            if version.isV5 {
                codes.append(try reasonCode(for: .suback))
            } else {
                let start = reader.position
                let value = try byte(.grantedQoS) { ReasonCode.subackReturnCodeName($0) }
                guard value <= 2 || value == 0x80 else { throw fail(.invalidReasonCode(value, .suback), at: start) }
                codes.append(ReasonCode(value))
            }
        }
        return SubAck(packetID: packetID, reasonCodes: codes, properties: properties)
    }

    mutating func parseUnsubscribe() throws(MalformedPacket) -> Unsubscribe {
        let packetID = try packetIdentifier()
        let properties = version.isV5 ? try parseProperties(in: .packet(.unsubscribe)) : []
        var filters: [String] = []
        if reader.isAtEnd { throw fail(.emptyUnsubscribe) }
        while !reader.isAtEnd {
            let filterStart = reader.position + 2
            let filter = try string(length: .topicLength, .topic)
            try validateTopicFilter(filter, at: filterStart)
            filters.append(filter)
        }
        return Unsubscribe(packetID: packetID, filters: filters, properties: properties)
    }

    mutating func parseUnsubAck() throws(MalformedPacket) -> UnsubAck {
        let packetID = try packetIdentifier()
        guard version.isV5 else { return UnsubAck(packetID: packetID) }
        let properties = try parseProperties(in: .packet(.unsuback))
        var codes: [ReasonCode] = []
        if reader.isAtEnd { throw fail(.truncated(.reasonCode(.unsuback), needed: 1, available: 0)) }
        while !reader.isAtEnd { codes.append(try reasonCode(for: .unsuback)) }
        return UnsubAck(packetID: packetID, reasonCodes: codes, properties: properties)
    }

    /// Topic filter syntax [MQTT-4.7.1-1..3], shared subscriptions in 5.0 [MQTT-4.8.2-1..2].
    private mutating func validateTopicFilter(_ filter: String, at offset: Int) throws(MalformedPacket) {
        if let problem = TopicFilter.problem(in: Array(filter.utf8), sharedSubscriptions: version.isV5) {
            throw fail(.invalidTopicFilter(problem.problem), at: problem.offset < 0 ? offset - 2 : offset + problem.offset)
        }
    }
}
