extension PacketParser {
    /// A 5.0 property block: its length, then properties until exactly that many bytes are used
    /// [MQTT-2.2.2-1]. Checks each property is known, allowed here, not repeated, and has a legal value.
    mutating func parseProperties(in place: PropertyIdentifier.Place) throws(MalformedPacket) -> Properties {
        begin(place == .will ? .willProperties : .properties)
        let length = Int(try variableByteInteger(.propertyLength) { LocalizedText(en: "\($0) bytes of properties", es: "\($0) bytes de propiedades") })
        guard length <= reader.remaining else {
            throw fail(.truncated(.properties, needed: length, available: reader.remaining), at: reader.position)
        }
        let outerLimit = reader.limit
        let end = reader.position + length
        reader.limit = end
        var properties: Properties = []
        var seen = Set<UInt8>()
        // Where the Authentication Data property starts: the error points at it, not at whatever byte
        // happens to end the block.
        var authenticationDataStart: Int?
        while !reader.isAtEnd {
            let propertyStart = reader.position
            let property = try parseProperty(in: place, seen: &seen)
            if property.identifier == .authenticationData { authenticationDataStart = propertyStart }
            properties.append(property)
        }
        reader.limit = outerLimit
        self.end()
        if let authenticationDataStart, !properties.contains(where: { $0.identifier == .authenticationMethod }) {
            throw fail(.authenticationDataWithoutMethod, at: authenticationDataStart)
        }
        return properties
    }

    private mutating func parseProperty(in place: PropertyIdentifier.Place, seen: inout Set<UInt8>) throws(MalformedPacket) -> Property {
        let start = reader.position
        let rawID = try reader.readVariableByteInteger(.propertyIdentifier)
        let known = rawID <= 0xFF ? PropertyIdentifier(rawValue: UInt8(rawID)) : nil
        if isRecording {
            recorder!.begin(known.map { .property($0) } ?? .malformed, at: start)
            record(.propertyIdentifier, from: start, value: .integer(UInt64(rawID)),
                   note: known.map { LocalizedText(en: "0x\(Violation.hex($0.rawValue)) = \($0.name.en)", es: "0x\(Violation.hex($0.rawValue)) = \($0.name.es)") })
        }
        guard let id = known else { throw fail(.unknownProperty(rawID), at: start) }
        guard id.isAllowed(in: place) else { throw fail(.propertyNotAllowed(id, place), at: start) }
        guard seen.insert(id.rawValue).inserted || id.mayRepeat(in: place) else { throw fail(.duplicateProperty(id), at: start) }

        let valueStart = reader.position
        let property: Property
        switch id.wireType {
        case .byte:
            let value = try byte(.propertyNumber(id))
            // Every byte property is a 0/1 switch (Maximum QoS too: only 0 or 1 may be announced).
            guard value <= 1 else { throw fail(.invalidPropertyValue(id, UInt64(value)), at: valueStart) }
            property = Self.byteProperty(id, value)
        case .twoByteInteger:
            let value = try uint16(.propertyNumber(id))
            // Receive Maximum 0 and Topic Alias 0 are errors [MQTT-3.3.2-8].
            if value == 0 && (id == .receiveMaximum || id == .topicAlias) {
                throw fail(.invalidPropertyValue(id, 0), at: valueStart)
            }
            property = switch id {
            case .serverKeepAlive: .serverKeepAlive(value)
            case .receiveMaximum: .receiveMaximum(value)
            case .topicAliasMaximum: .topicAliasMaximum(value)
            default: .topicAlias(value)
            }
        case .fourByteInteger:
            let value = try uint32(.propertyNumber(id)) { Self.secondsNote(id, $0) }
            if value == 0 && id == .maximumPacketSize { throw fail(.invalidPropertyValue(id, 0), at: valueStart) }
            property = switch id {
            case .messageExpiryInterval: .messageExpiryInterval(value)
            case .sessionExpiryInterval: .sessionExpiryInterval(value)
            case .willDelayInterval: .willDelayInterval(value)
            default: .maximumPacketSize(value)
            }
        case .variableByteInteger:
            let value = try variableByteInteger(.propertyNumber(id))
            if value == 0 { throw fail(.invalidPropertyValue(id, 0), at: valueStart) }
            property = .subscriptionIdentifier(value)
        case .utf8String:
            let text: String
            if id == .contentType {
                // Wireshark shows Content Type's length and text as one field; so do we.
                let count = Int(try reader.readUInt16(.contentType))
                text = try reader.readStringBody(count, .contentType)
                record(.contentType, from: valueStart, value: .string(text))
            } else {
                text = try string(length: .propertyStringLength(id), .propertyString(id))
            }
            if id == .responseTopic { try validateTopicName(text, at: valueStart + 2, allowEmpty: false) }
            property = switch id {
            case .contentType: .contentType(text)
            case .responseTopic: .responseTopic(text)
            case .assignedClientIdentifier: .assignedClientIdentifier(text)
            case .authenticationMethod: .authenticationMethod(text)
            case .responseInformation: .responseInformation(text)
            case .serverReference: .serverReference(text)
            default: .reasonString(text)
            }
        case .binaryData:
            let data = try binary(length: .propertyStringLength(id), .propertyString(id))
            property = id == .correlationData ? .correlationData(data) : .authenticationData(data)
        case .utf8StringPair:
            let name = try string(length: .userPropertyNameLength, .userPropertyName)
            let value = try string(length: .userPropertyValueLength, .userPropertyValue)
            property = .userProperty(name: name, value: value)
        }
        recorder?.end(at: reader.position)
        return property
    }

    private static func byteProperty(_ id: PropertyIdentifier, _ value: UInt8) -> Property {
        switch id {
        case .payloadFormatIndicator: .payloadFormatIndicator(value)
        case .requestProblemInformation: .requestProblemInformation(value)
        case .requestResponseInformation: .requestResponseInformation(value)
        case .maximumQoS: .maximumQoS(value)
        case .retainAvailable: .retainAvailable(value)
        case .wildcardSubscriptionAvailable: .wildcardSubscriptionAvailable(value)
        case .subscriptionIdentifierAvailable: .subscriptionIdentifierAvailable(value)
        default: .sharedSubscriptionAvailable(value)
        }
    }

    private static func secondsNote(_ id: PropertyIdentifier, _ value: UInt32) -> LocalizedText? {
        switch id {
        case .sessionExpiryInterval where value == 0xFFFF_FFFF:
            LocalizedText(en: "0xFFFFFFFF: the session never expires", es: "0xFFFFFFFF: la sesión no caduca nunca")
        case .sessionExpiryInterval where value == 0:
            LocalizedText(en: "0: the session ends with the connection", es: "0: la sesión termina con la conexión")
        case .messageExpiryInterval, .sessionExpiryInterval, .willDelayInterval:
            LocalizedText(en: "\(value) seconds", es: "\(value) segundos")
        case .maximumPacketSize:
            LocalizedText(en: "\(value) bytes", es: "\(value) bytes")
        default:
            nil
        }
    }
}
