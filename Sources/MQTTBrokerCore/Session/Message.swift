import MQTTCodec

/// An application message as the broker keeps it: what was published, with the properties that travel
/// with it to subscribers [MQTT-3.3.2-4], [MQTT-3.3.2-15..20], and when it expires.
///
/// A final class with constant fields, not a struct: one message is copied into every target, outgoing
/// entry, queue and in-flight list it reaches, and a struct of six references cost six retains and
/// releases per copy (the largest item of the 1→1 profile). Immutable, hence `Sendable` as it stands;
/// a changed message is a new one (`withoutWire`).
final class ApplicationMessage: Sendable {
    let topic: String
    let payload: [UInt8]
    let qos: QoS
    let retain: Bool
    /// Properties forwarded unaltered: payload format, content type, response topic, correlation data and
    /// user properties in their order. Message Expiry is recomputed on each delivery; aliases and
    /// subscription identifiers are per connection.
    let forwardedProperties: Properties
    /// When a 5.0 Message Expiry Interval runs out; nil = never.
    let expiresAt: BrokerInstant?
    let publisher: ClientIdentifier?
    /// A `$SYS` statistic: kept out of the trace's routing lines, which would drown in them.
    let isSystem: Bool
    /// The PUBLISH as it arrived, when the transport handed it over (the untraced path): deliveries that
    /// can use these bytes are forwarded, not re-encoded. Dropped where a message is kept for long — the
    /// retained store and the queue of a client that is away — so a stored message holds its payload once.
    let wire: PublishWire?

    init(publish: Publish, topic: String, publisher: ClientIdentifier?, now: BrokerInstant, wire: PublishWire? = nil,
         isSystem: Bool = false) {
        self.wire = wire
        self.isSystem = isSystem
        self.topic = topic
        self.payload = publish.payload
        self.qos = publish.qos
        self.retain = publish.retain
        self.publisher = publisher
        var forwarded: Properties = []
        var expiresAt: BrokerInstant?
        for property in publish.properties {
            if Self.travelsWithMessage(property) {
                forwarded.append(property)
            } else if case .messageExpiryInterval(let seconds) = property {
                expiresAt = now.adding(seconds: Double(seconds))
            }
        }
        self.forwardedProperties = forwarded
        self.expiresAt = expiresAt
    }

    private init(copying message: ApplicationMessage, wire: PublishWire?) {
        topic = message.topic
        payload = message.payload
        qos = message.qos
        retain = message.retain
        forwardedProperties = message.forwardedProperties
        expiresAt = message.expiresAt
        publisher = message.publisher
        isSystem = message.isSystem
        self.wire = wire
    }

    /// The same message without its received bytes, for where it is kept for long.
    func withoutWire() -> ApplicationMessage {
        wire == nil ? self : ApplicationMessage(copying: self, wire: nil)
    }

    convenience init(will: Connect.Will, publisher: ClientIdentifier?, now: BrokerInstant) {
        let publish = Publish(topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain,
                              properties: will.properties.filter { $0.identifier != .willDelayInterval })
        self.init(publish: publish, topic: will.topic, publisher: publisher, now: now)
    }

    /// The properties a subscriber receives exactly as they were published [MQTT-3.3.2-4], [MQTT-3.3.2-15..20].
    static func travelsWithMessage(_ property: Property) -> Bool {
        switch property {
        case .payloadFormatIndicator, .contentType, .responseTopic, .correlationData, .userProperty: true
        default: false
        }
    }

    func isExpired(at now: BrokerInstant) -> Bool { expiresAt.map { now >= $0 } ?? false }

    /// Seconds left, rounded up, for the Message Expiry Interval sent on [MQTT-3.3.2-6].
    func remainingSeconds(at now: BrokerInstant) -> UInt32? {
        guard let expiresAt else { return nil }
        let left = expiresAt.seconds(since: now)
        return UInt32(min(Double(UInt32.max), left.rounded(.up)))
    }
}

/// A message on its way to one subscriber: the QoS it gets there, the retain flag it carries, the
/// subscription identifiers that matched, and (once sent) its packet identifier.
struct OutgoingMessage: Sendable {
    enum Stage: Sendable { case queued, awaitingPuback, awaitingPubrec, awaitingPubcomp }

    var message: ApplicationMessage
    var qos: QoS
    var retain: Bool
    var subscriptionIdentifiers: [UInt32]
    var packetID: UInt16 = 0
    var stage: Stage = .queued
    /// Its place among the session's pending messages, for the durable store (`PendingMessagesChange`);
    /// given when it is queued or, skipping the queue, sent at QoS 1 or 2.
    var sequence: UInt64 = 0
}
