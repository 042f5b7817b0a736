/// Where the parts of an encoded PUBLISH lie, so a broker can send a received PUBLISH on with its own
/// flags and packet identifier without decoding and encoding it again (the untraced broker's forwarding).
///
/// Read from bytes `PacketDecoder` has already accepted as a PUBLISH: only the fixed header's length and
/// the topic's length prefix are read, the rules were checked by the decoder.
public struct PublishLayout: Sendable, Equatable {
    /// Where the topic's two-byte length starts (just after the fixed header).
    public let topicStart: Int
    /// Just after the topic: where the packet identifier is when QoS > 0.
    public let topicEnd: Int
    /// After the packet identifier: the 5.0 properties and the payload, or the 3.1.1 payload.
    public let restStart: Int

    /// Nil when `bytes` is not laid out as a PUBLISH (too short for what its header announces).
    public init?(bytes: [UInt8]) {
        guard bytes.count >= 2, bytes[0] >> 4 == PacketType.publish.rawValue else { return nil }
        guard let headerEnd = (1..<min(bytes.count, 5)).first(where: { bytes[$0] & 0x80 == 0 }).map({ $0 + 1 }),
              headerEnd + 2 <= bytes.count else { return nil }
        let topicEnd = headerEnd + 2 + (Int(bytes[headerEnd]) << 8 | Int(bytes[headerEnd + 1]))
        let hasPacketID = (bytes[0] >> 1) & 0x03 != 0
        let restStart = topicEnd + (hasPacketID ? 2 : 0)
        guard restStart <= bytes.count else { return nil }
        self.topicStart = headerEnd
        self.topicEnd = topicEnd
        self.restStart = restStart
    }

    /// The size of the same PUBLISH re-headed (`reheaded`) with or without a packet identifier.
    public static func reheadedCount(_ bytes: [UInt8], layout: PublishLayout, hasPacketID: Bool) -> Int {
        let remaining = remainingLength(bytes, layout: layout, hasPacketID: hasPacketID)
        return 1 + VariableByteInteger.size(of: UInt32(remaining)) + remaining
    }

    /// The re-headed packet's Remaining Length: topic, packet identifier if any, and the rest as received.
    private static func remainingLength(_ bytes: [UInt8], layout: PublishLayout, hasPacketID: Bool) -> Int {
        layout.topicEnd - layout.topicStart + (hasPacketID ? 2 : 0) + bytes.count - layout.restStart
    }

    /// Writes the same PUBLISH with other flags and packet identifier into `destination`, which must hold
    /// at least `reheadedCount` bytes, and returns how many it wrote. Raw memory rather than a writer
    /// callback: the broker copies into its socket buffer with one capacity check and two `memcpy`s,
    /// where a call per byte and per slice cost it a tenth of its time per forwarded message.
    public static func reheaded(
        _ bytes: [UInt8], layout: PublishLayout, dup: Bool, qos: QoS, retain: Bool, packetID: UInt16?,
        into destination: UnsafeMutableRawBufferPointer
    ) -> Int {
        let count = reheadedCount(bytes, layout: layout, hasPacketID: packetID != nil)
        precondition(destination.count >= count, "reheaded needs \(count) bytes")
        let remaining = remainingLength(bytes, layout: layout, hasPacketID: packetID != nil)
        var position = 0
        destination[position] = PacketType.publish.rawValue << 4 | Publish.headerFlags(dup: dup, qos: qos, retain: retain)
        position += 1
        VariableByteInteger.forEachByte(of: UInt32(remaining)) { byte in
            destination[position] = byte
            position += 1
        }
        bytes.withUnsafeBytes { source in
            let topic = UnsafeRawBufferPointer(rebasing: source[layout.topicStart..<layout.topicEnd])
            UnsafeMutableRawBufferPointer(rebasing: destination[position..<position + topic.count]).copyMemory(from: topic)
            position += topic.count
            if let packetID {
                destination[position] = UInt8(packetID >> 8)
                destination[position + 1] = UInt8(packetID & 0xFF)
                position += 2
            }
            let rest = UnsafeRawBufferPointer(rebasing: source[layout.restStart...])
            UnsafeMutableRawBufferPointer(rebasing: destination[position..<position + rest.count]).copyMemory(from: rest)
            position += rest.count
        }
        return position
    }

    /// `reheaded` as a new array (tests, the trace).
    public static func reheaded(_ bytes: [UInt8], layout: PublishLayout, dup: Bool, qos: QoS, retain: Bool, packetID: UInt16?) -> [UInt8] {
        let count = reheadedCount(bytes, layout: layout, hasPacketID: packetID != nil)
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = reheaded(bytes, layout: layout, dup: dup, qos: qos, retain: retain, packetID: packetID,
                                   into: UnsafeMutableRawBufferPointer(buffer))
        }
    }
}

extension Publish {
    /// The fixed header's low four bits: DUP, QoS and RETAIN [MQTT-3.3.1].
    public static func headerFlags(dup: Bool, qos: QoS, retain: Bool) -> UInt8 {
        (dup ? 0x08 : 0) | qos.rawValue << 1 | (retain ? 0x01 : 0)
    }
}

extension Packet {
    /// A PUBACK, PUBREC, PUBREL or PUBCOMP with Success and no properties is four bytes in both versions
    /// (5.0 leaves the reason code out [MQTT-3.4.2-1]): its first byte and packet identifier, for writers
    /// that want to skip building an array. Nil for any other packet.
    public var shortAcknowledgement: (firstByte: UInt8, packetID: UInt16)? {
        let ack: PublishAck
        let flags: UInt8
        switch self {
        case .puback(let value), .pubrec(let value), .pubcomp(let value): (ack, flags) = (value, 0)
        case .pubrel(let value): (ack, flags) = (value, 0b0010)
        default: return nil
        }
        guard ack.reasonCode == .success, ack.properties.isEmpty else { return nil }
        return (type.rawValue << 4 | flags, ack.packetID)
    }
}
