/// Writes packets to bytes. The encoder writes what the model says; it does not judge whether a broker
/// would accept it (tests and lessons need to build invalid packets on purpose), except where the
/// model cannot be written at all.
extension Packet {
    public func encode(version: ProtocolVersion) throws(EncodeError) -> [UInt8] {
        var body = ByteWriter()
        let flags: UInt8
        switch self {
        case .connect(let connect):
            flags = 0
            try connect.encodeBody(into: &body)
        case .connack(let connack):
            flags = 0
            body.byte(connack.sessionPresent ? 1 : 0)
            body.byte(connack.reasonCode.rawValue)
            if version.isV5 { try body.properties(connack.properties) }
        case .publish(let publish):
            flags = Publish.headerFlags(dup: publish.dup, qos: publish.qos, retain: publish.retain)
            try body.string(publish.topic)
            if publish.qos != .atMostOnce {
                guard let id = publish.packetID else { throw .missingPacketIdentifier }
                body.uint16(id)
            }
            if version.isV5 { try body.properties(publish.properties) }
            body.raw(publish.payload)
        case .puback(let ack), .pubrec(let ack), .pubcomp(let ack):
            flags = 0
            try ack.encodeBody(into: &body, version: version)
        case .pubrel(let ack):
            flags = 0b0010
            try ack.encodeBody(into: &body, version: version)
        case .subscribe(let subscribe):
            flags = 0b0010
            body.uint16(subscribe.packetID)
            if version.isV5 { try body.properties(subscribe.properties) }
            for subscription in subscribe.subscriptions {
                try body.string(subscription.filter)
                body.byte(version.isV5 ? subscription.options.byte : subscription.options.qos.rawValue)
            }
        case .suback(let suback):
            flags = 0
            body.uint16(suback.packetID)
            if version.isV5 { try body.properties(suback.properties) }
            for code in suback.reasonCodes { body.byte(code.rawValue) }
        case .unsubscribe(let unsubscribe):
            flags = 0b0010
            body.uint16(unsubscribe.packetID)
            if version.isV5 { try body.properties(unsubscribe.properties) }
            for filter in unsubscribe.filters { try body.string(filter) }
        case .unsuback(let unsuback):
            flags = 0
            body.uint16(unsuback.packetID)
            if version.isV5 {
                try body.properties(unsuback.properties)
                for code in unsuback.reasonCodes { body.byte(code.rawValue) }
            }
        case .pingreq, .pingresp:
            flags = 0
        case .disconnect(let disconnect):
            flags = 0
            // Shortest form: omit what equals the default (Normal disconnection, no properties).
            if version.isV5 && (disconnect.reasonCode != .success || !disconnect.properties.isEmpty) {
                body.byte(disconnect.reasonCode.rawValue)
                if !disconnect.properties.isEmpty { try body.properties(disconnect.properties) }
            }
        case .auth(let auth):
            guard version.isV5 else { throw .notInVersion(.auth, version) }
            flags = 0
            if auth.reasonCode != .success || !auth.properties.isEmpty {
                body.byte(auth.reasonCode.rawValue)
                try body.properties(auth.properties)
            }
        }
        guard body.bytes.count <= Int(VariableByteInteger.maximum) else { throw .packetTooLarge(body.bytes.count) }
        var packet = ByteWriter(capacity: body.bytes.count + 5)
        packet.byte(type.rawValue << 4 | flags)
        packet.variableByteInteger(UInt32(body.bytes.count))
        packet.raw(body.bytes)
        return packet.bytes
    }
}

extension Connect {
    fileprivate func encodeBody(into body: inout ByteWriter) throws(EncodeError) {
        try body.string(version.protocolName)
        body.byte(version.rawValue)
        var flags: UInt8 = cleanStart ? 0x02 : 0
        if let will {
            flags |= 0x04 | will.qos.rawValue << 3 | (will.retain ? 0x20 : 0)
        }
        if password != nil { flags |= 0x40 }
        if username != nil { flags |= 0x80 }
        body.byte(flags)
        body.uint16(keepAlive)
        if version.isV5 { try body.properties(properties) }
        try body.string(clientID)
        if let will {
            if version.isV5 { try body.properties(will.properties) }
            try body.string(will.topic)
            try body.lengthPrefixed(will.payload)
        }
        if let username { try body.string(username) }
        if let password { try body.lengthPrefixed(password) }
    }
}

extension PublishAck {
    /// 5.0 short forms: the reason code is left out when it is Success and there are no properties.
    fileprivate func encodeBody(into body: inout ByteWriter, version: ProtocolVersion) throws(EncodeError) {
        body.uint16(packetID)
        guard version.isV5 else { return }
        if reasonCode != .success || !properties.isEmpty { body.byte(reasonCode.rawValue) }
        if !properties.isEmpty { try body.properties(properties) }
    }
}

extension ByteWriter {
    mutating func properties(_ properties: Properties) throws(EncodeError) {
        var block = ByteWriter()
        for property in properties { try block.property(property) }
        guard block.bytes.count <= Int(VariableByteInteger.maximum) else { throw .packetTooLarge(block.bytes.count) }
        variableByteInteger(UInt32(block.bytes.count))
        raw(block.bytes)
    }

    private mutating func property(_ property: Property) throws(EncodeError) {
        variableByteInteger(UInt32(property.identifier.rawValue))
        switch property {
        case .payloadFormatIndicator(let value), .requestProblemInformation(let value), .requestResponseInformation(let value),
            .maximumQoS(let value), .retainAvailable(let value), .wildcardSubscriptionAvailable(let value),
            .subscriptionIdentifierAvailable(let value), .sharedSubscriptionAvailable(let value):
            byte(value)
        case .serverKeepAlive(let value), .receiveMaximum(let value), .topicAliasMaximum(let value), .topicAlias(let value):
            uint16(value)
        case .messageExpiryInterval(let value), .sessionExpiryInterval(let value), .willDelayInterval(let value),
            .maximumPacketSize(let value):
            uint32(value)
        case .subscriptionIdentifier(let value):
            guard value <= VariableByteInteger.maximum else { throw .valueOutOfRange("subscription identifier \(value)") }
            variableByteInteger(value)
        case .contentType(let text), .responseTopic(let text), .assignedClientIdentifier(let text),
            .authenticationMethod(let text), .responseInformation(let text), .serverReference(let text), .reasonString(let text):
            try string(text)
        case .correlationData(let data), .authenticationData(let data):
            try lengthPrefixed(data)
        case .userProperty(let name, let value):
            try string(name)
            try string(value)
        }
    }
}
