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
    /// Where its topic, packet identifier and rest lie (read by the codec).
    let layout: PublishLayout
    /// 5.0: the properties on the wire are exactly those a subscriber gets [MQTT-3.3.2-4] — no Message
    /// Expiry to count down, no Topic Alias to strip — and the topic is there in full. Always true in 3.1.1.
    let carriesForwardableProperties: Bool

    /// `bytes` is a PUBLISH that `PacketDecoder` already decoded into `publish` with `version`.
    public init?(bytes: [UInt8], version: ProtocolVersion, publish: Publish) {
        guard let layout = PublishLayout(bytes: bytes) else { return nil }
        self.bytes = bytes
        self.isV5 = version.isV5
        self.layout = layout
        self.carriesForwardableProperties = !version.isV5
            || (!publish.topic.isEmpty && publish.properties.allSatisfy(ApplicationMessage.travelsWithMessage))
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
/// (`write(into:)`), so nothing is decoded or re-encoded per subscriber.
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

    /// The size on the wire, fixed header included (for the client's Maximum Packet Size).
    public var encodedCount: Int {
        PublishLayout.reheadedCount(wire.bytes, layout: wire.layout, hasPacketID: packetID != nil)
    }

    /// Writes the packet into `destination` (at least `encodedCount` bytes): the received pieces with
    /// this delivery's header (`PublishLayout.reheaded`). Returns the count written.
    public func write(into destination: UnsafeMutableRawBufferPointer) -> Int {
        PublishLayout.reheaded(wire.bytes, layout: wire.layout, dup: dup, qos: qos, retain: retain, packetID: packetID,
                               into: destination)
    }

    /// The packet's bytes in one array (tests and the trace; the transport assembles them in its buffer).
    public func encoded() -> [UInt8] {
        PublishLayout.reheaded(wire.bytes, layout: wire.layout, dup: dup, qos: qos, retain: retain, packetID: packetID)
    }

    /// The same delivery as a model (what the slow path would have sent), for the trace.
    public func decoded(version: ProtocolVersion) -> Packet? {
        try? PacketDecoder.decode(encoded(), version: version)
    }
}
