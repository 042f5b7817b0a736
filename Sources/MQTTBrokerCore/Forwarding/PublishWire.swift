import MQTTCodec

/// A received PUBLISH's own bytes, kept next to the decoded message so the broker can forward them
/// instead of building and encoding a new PUBLISH for every subscriber (performance-notes.md §2: on the
/// routing path that re-encoding cost 2–3× in fan-out). The engine still decides everything from the
/// decoded model; these bytes are only what it writes.
///
/// A final class, not a struct: the message is copied into every target, queue and in-flight entry, and
/// a class reference costs one retain per copy where a struct of arrays costs one per array.
/// Immutable (`let` only), so `Sendable` holds without any unchecked promise.
public final class PublishWire: Sendable, Equatable {
    /// The whole packet as received, fixed header included.
    public let bytes: [UInt8]
    /// 3.1 and 3.1.1 share one PUBLISH layout; 5.0 adds properties.
    public let isV5: Bool
    /// Where the topic's two-byte length starts (just after the fixed header).
    let topicStart: Int
    /// Just after the topic: where the packet identifier is when QoS > 0.
    let topicEnd: Int
    /// After the packet identifier: the 5.0 properties and the payload, or the 3.1.1 payload.
    let restStart: Int
    /// 5.0: the properties on the wire are exactly those a subscriber gets [MQTT-3.3.2-4] — no Message
    /// Expiry to count down, no Topic Alias to strip — and the topic is there in full. Always true in 3.1.1.
    let carriesForwardableProperties: Bool

    /// Reads the layout of `bytes`, a PUBLISH that `PacketDecoder` already decoded into `publish` with
    /// `version` (so the bounds below hold; nil if they somehow do not).
    public init?(bytes: [UInt8], version: ProtocolVersion, publish: Publish) {
        guard bytes.count >= 2, bytes[0] >> 4 == PacketType.publish.rawValue else { return nil }
        var index = 1
        var headerEnd: Int?
        while index < min(bytes.count, 5) {
            if bytes[index] & 0x80 == 0 {
                headerEnd = index + 1
                break
            }
            index += 1
        }
        guard let headerEnd, headerEnd + 2 <= bytes.count else { return nil }
        let topicLength = Int(bytes[headerEnd]) << 8 | Int(bytes[headerEnd + 1])
        let topicEnd = headerEnd + 2 + topicLength
        let restStart = topicEnd + (publish.qos == .atMostOnce ? 0 : 2)
        guard restStart <= bytes.count else { return nil }
        self.bytes = bytes
        self.isV5 = version.isV5
        self.topicStart = headerEnd
        self.topicEnd = topicEnd
        self.restStart = restStart
        self.carriesForwardableProperties = !version.isV5
            || (topicLength > 0 && publish.properties.allSatisfy(ApplicationMessage.travelsWithMessage))
    }

    public static func == (lhs: PublishWire, rhs: PublishWire) -> Bool {
        lhs === rhs || (lhs.isV5 == rhs.isV5 && lhs.bytes == rhs.bytes)
    }

    /// Whether these bytes, with a new fixed header and packet identifier, are exactly the PUBLISH a
    /// subscriber speaking `version` must get: same layout, and (5.0) nothing to add or take away.
    func forwards(to version: ProtocolVersion, addsProperties: Bool) -> Bool {
        version.isV5 == isV5 && carriesForwardableProperties && !(isV5 && addsProperties)
    }
}

/// One subscriber's PUBLISH made from a received one: the received topic, properties and payload, with
/// this delivery's flags and packet identifier. The transport writes it straight into its socket buffer
/// (from `firstByte`, `topicSection` and `rest`), so nothing is decoded or re-encoded per subscriber.
public struct ForwardedPublish: Sendable, Equatable {
    public let wire: PublishWire
    public let qos: QoS
    public let retain: Bool
    public let dup: Bool
    /// Present exactly when QoS > 0.
    public let packetID: UInt16?

    init(wire: PublishWire, qos: QoS, retain: Bool, dup: Bool, packetID: UInt16?) {
        self.wire = wire
        self.qos = qos
        self.retain = retain
        self.dup = dup && qos != .atMostOnce
        self.packetID = qos == .atMostOnce ? nil : packetID
    }

    /// The fixed header's first byte: type 3 and this delivery's DUP, QoS and RETAIN flags.
    public var firstByte: UInt8 {
        PacketType.publish.rawValue << 4 | (dup ? 0x08 : 0) | qos.rawValue << 1 | (retain ? 0x01 : 0)
    }

    /// The topic with its two-byte length, as received.
    public var topicSection: ArraySlice<UInt8> { wire.bytes[wire.topicStart..<wire.topicEnd] }

    /// 5.0 properties and payload, or the 3.1.1 payload, as received.
    public var rest: ArraySlice<UInt8> { wire.bytes[wire.restStart...] }

    public var remainingLength: Int { topicSection.count + (packetID == nil ? 0 : 2) + rest.count }

    /// The size on the wire, fixed header included (for the client's Maximum Packet Size).
    public var encodedCount: Int { 1 + VariableByteInteger.size(of: UInt32(remainingLength)) + remainingLength }

    /// The packet's bytes in one array (tests and the trace; the transport assembles them in its buffer).
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encodedCount)
        bytes.append(firstByte)
        VariableByteInteger.encode(UInt32(remainingLength), into: &bytes)
        bytes.append(contentsOf: topicSection)
        if let packetID { bytes.append(contentsOf: [UInt8(packetID >> 8), UInt8(packetID & 0xFF)]) }
        bytes.append(contentsOf: rest)
        return bytes
    }

    /// The same delivery as a model (what the slow path would have sent), for the trace.
    public func decoded(version: ProtocolVersion) -> Packet? {
        try? PacketDecoder.decode(encoded(), version: version)
    }
}
