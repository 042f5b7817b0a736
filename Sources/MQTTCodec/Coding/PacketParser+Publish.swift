extension PacketParser {
    mutating func parsePublish(flags: UInt8) throws(MalformedPacket) -> Publish {
        // The header flags were validated already: QoS is 0, 1 or 2.
        let qos = QoS(rawValue: (flags >> 1) & 0x03) ?? .atMostOnce
        let topicStart = reader.position + 2
        let topic = try string(length: .topicLength, .topic)
        // Wildcards are never allowed, so that is checked at once; emptiness depends on a later alias.
        if !topic.utf8.isEmpty { try validateTopicName(topic, at: topicStart, allowEmpty: false) }
        let packetID = qos == .atMostOnce ? nil : try packetIdentifier()
        let properties = version.isV5 ? try parseProperties(in: .packet(.publish)) : []
        // 5.0 allows an empty topic only when a Topic Alias stands for it [MQTT-3.3.2-8..12].
        let hasAlias = properties.contains { $0.identifier == .topicAlias }
        if topic.utf8.isEmpty && !hasAlias { throw fail(.emptyTopicName, at: topicStart - 2) }

        let payloadStart = reader.position
        let payload = try reader.readBytes(reader.remaining, .payload)
        if isRecording { record(.payload, from: payloadStart, value: .bytes(payload), note: Self.bytesNote(payload)) }
        return Publish(topic: topic, payload: payload, qos: qos, retain: flags & 0x01 != 0, dup: flags & 0x08 != 0,
                       packetID: packetID, properties: properties)
    }

    /// PUBACK, PUBREC, PUBREL, PUBCOMP. In 5.0 the reason code and the properties may be left out
    /// (Remaining Length 2 or 3), meaning Success and no properties.
    mutating func parsePublishAck(type: PacketType) throws(MalformedPacket) -> PublishAck {
        let packetID = try packetIdentifier()
        guard version.isV5 else { return PublishAck(packetID: packetID) }
        let code = reader.isAtEnd ? ReasonCode.success : try reasonCode(for: type)
        let properties = reader.isAtEnd ? [] : try parseProperties(in: .packet(type))
        return PublishAck(packetID: packetID, reasonCode: code, properties: properties)
    }

    /// A topic name may not hold wildcards [MQTT-3.3.2-2] and, but for a 5.0 alias, not be empty [MQTT-4.7.3-1].
    mutating func validateTopicName(_ topic: String, at offset: Int, allowEmpty: Bool) throws(MalformedPacket) {
        if topic.utf8.isEmpty {
            if !allowEmpty { throw fail(.emptyTopicName, at: offset - 2) }
            return
        }
        // On the contiguous UTF-8 when the string has it (always, for a decoded topic): the generic view
        // walk showed in the broker's profile, once per message.
        let isWildcard = { (byte: UInt8) in byte == UInt8(ascii: "+") || byte == UInt8(ascii: "#") }
        let position = topic.utf8.withContiguousStorageIfAvailable { $0.firstIndex(where: isWildcard) }
            ?? topic.utf8.firstIndex(where: isWildcard).map { topic.utf8.distance(from: topic.utf8.startIndex, to: $0) }
        if let position { throw fail(.wildcardInTopicName, at: offset + position) }
    }
}
