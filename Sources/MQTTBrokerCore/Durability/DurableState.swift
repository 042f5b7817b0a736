import MQTTCodec

/// What survives a restart (`--store`): persistent sessions and retained messages, as plain values the
/// store can encode. The engine produces them; it never touches a database.
public struct SessionSnapshot: Codable, Sendable, Equatable {
    public struct SubscriptionEntry: Codable, Sendable, Equatable {
        public var filter: String
        public var qos: QoS
        public var noLocal: Bool
        public var retainAsPublished: Bool
        public var retainHandling: UInt8
        public var identifier: UInt32?
    }

    public struct MessageEntry: Codable, Sendable, Equatable {
        public var topic: String
        public var payload: [UInt8]
        /// The QoS it is delivered with to this subscriber, and the retain flag it carries.
        public var qos: QoS
        public var retain: Bool
        public var properties: Properties
        /// Seconds of Message Expiry left when the snapshot was taken; nil = never expires.
        public var expiresInSeconds: UInt32?
        public var subscriptionIdentifiers: [UInt32]
        /// 0 for a message still queued.
        public var packetID: UInt16
        /// "queued", "awaitingPuback", "awaitingPubrec" or "awaitingPubcomp".
        public var stage: String

        public init(topic: String, payload: [UInt8], qos: QoS, retain: Bool, properties: Properties, expiresInSeconds: UInt32?,
                    subscriptionIdentifiers: [UInt32], packetID: UInt16, stage: String) {
            self.topic = topic
            self.payload = payload
            self.qos = qos
            self.retain = retain
            self.properties = properties
            self.expiresInSeconds = expiresInSeconds
            self.subscriptionIdentifiers = subscriptionIdentifiers
            self.packetID = packetID
            self.stage = stage
        }
    }

    public var clientID: String
    public var version: ProtocolVersion
    /// Seconds the session outlives its connection; UInt32.max = forever.
    public var expiryInterval: UInt32
    public var subscriptions: [SubscriptionEntry]
    /// Sent and not fully acknowledged, in send order.
    public var inflight: [MessageEntry]
    /// Waiting to be sent, in order.
    public var queue: [MessageEntry]
    /// QoS 2 packet ids received (PUBREC sent) and not yet released.
    public var receivedQoS2: [UInt16]
    public var nextPacketID: UInt16
    /// The user name of its latest connection: the ACL checks messages queued for it against this name
    /// while it is away. Absent (nil) in stores written before it was kept.
    public var username: String? = nil
}

extension SessionSnapshot {
    /// Whether both would be stored as the same session row, but for the next packet id (which moves with
    /// every message sent and is only a starting point after a restore).
    func isSameRow(as other: SessionSnapshot) -> Bool {
        var comparable = self
        comparable.nextPacketID = other.nextPacketID
        return comparable == other
    }

    /// A stored pending entry goes back to the in-flight list or the queue, by its stage.
    public mutating func addPending(_ entry: MessageEntry) {
        if entry.stage == "queued" { queue.append(entry) } else { inflight.append(entry) }
    }
}

public struct RetainedSnapshot: Codable, Sendable, Equatable {
    public var topic: String
    public var payload: [UInt8]
    public var qos: QoS
    public var properties: Properties
    public var expiresInSeconds: UInt32?
}

/// A client id or topic as a dictionary key compared by its UTF-8 bytes: with `String` keys, two ids
/// that Swift finds canonically equivalent ("é" and "e" + U+0301) would collapse into one change.
public struct DurableKey: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let text: String
    public let bytes: [UInt8]

    public init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    public init(stringLiteral value: String) { self.init(value) }

    public static func == (lhs: DurableKey, rhs: DurableKey) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
    public var description: String { text }
}

/// What changed since the last `takeDurableChanges()`: a snapshot per session whose own row changed (a
/// moved next packet id alone does not count) and per changed retained topic, nil where it must be
/// deleted, and what changed among each session's pending messages. Keys are the client id and the
/// topic, compared as bytes.
///
/// A session's pending messages — in flight and queued — travel apart from its snapshot (whose `inflight`
/// and `queue` the engine leaves empty): a client that is away can have thousands queued, and rewriting
/// them all for every message added or acknowledged made durability cost milliseconds per message
/// (`bench broker`, 1→1 QoS 1 with `--store` and persistent sessions). A `PendingMessagesChange` costs
/// what changed: the entries added or moved to another stage, and those gone.
public struct DurableChanges: Sendable, Equatable {
    public var sessions: [DurableKey: SessionSnapshot?] = [:]
    public var retained: [DurableKey: RetainedSnapshot?] = [:]
    public var pending: [DurableKey: PendingMessagesChange] = [:]

    public init() {}

    public var isEmpty: Bool { sessions.isEmpty && retained.isEmpty && pending.isEmpty }

    /// Later changes win: two batches as one (for a store that groups batches further; the broker itself
    /// holds new inputs back while a batch is being written, so it never needs to).
    public mutating func merge(_ later: DurableChanges) {
        sessions.merge(later.sessions) { _, new in new }
        retained.merge(later.retained) { _, new in new }
        for (key, change) in later.pending {
            if let earlier = pending[key] { pending[key] = earlier.followed(by: change) } else { pending[key] = change }
        }
        // A session deleted later takes its messages with it.
        for (key, snapshot) in later.sessions where snapshot == nil && later.pending[key] == nil { pending[key] = nil }
    }
}

/// One session's pending messages (in flight, then queued) since the last batch: remove entries, or all of
/// them, then add or replace entries. Sequence numbers come from the engine, increase for as long as the
/// broker runs, and give the order: in-flight entries first (their stage is not "queued"), then the queue.
public struct PendingMessagesChange: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var sequence: UInt64
        public var message: SessionSnapshot.MessageEntry

        public init(sequence: UInt64, message: SessionSnapshot.MessageEntry) {
            self.sequence = sequence
            self.message = message
        }
    }

    /// Delete every stored entry of the session first (a new or restored session, or a queue that lost
    /// entries out of order, such as expired messages).
    public var replacesAll: Bool
    /// Entries acknowledged, sent at QoS 0 or dropped.
    public var removed: [UInt64]
    /// Entries new, or in a new stage (queued → awaiting PUBACK → …).
    public var upserted: [Entry]

    public init(replacesAll: Bool = false, removed: [UInt64] = [], upserted: [Entry] = []) {
        self.replacesAll = replacesAll
        self.removed = removed
        self.upserted = upserted
    }

    /// This change, then `later`, as one.
    public func followed(by later: PendingMessagesChange) -> PendingMessagesChange {
        if later.replacesAll { return later }
        let superseded = Set(later.removed).union(later.upserted.map(\.sequence))
        return PendingMessagesChange(replacesAll: replacesAll, removed: removed + later.removed,
                                     upserted: upserted.filter { !superseded.contains($0.sequence) } + later.upserted)
    }
}

// Codable for the codec's model types the snapshots carry. The codec stays free of Codable concerns
// beyond its simple enums; these conformances live where they are needed.
extension Property: Codable {
    private enum CodingKeys: String, CodingKey { case id, number, text, bytes, name, value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let rawID = try container.decode(UInt8.self, forKey: .id)
        guard let id = PropertyIdentifier(rawValue: rawID) else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "unknown property \(rawID)")
        }
        func number() throws -> UInt32 { try container.decode(UInt32.self, forKey: .number) }
        func text() throws -> String { try container.decode(String.self, forKey: .text) }
        func bytes() throws -> [UInt8] { try container.decode([UInt8].self, forKey: .bytes) }
        switch id {
        case .payloadFormatIndicator: self = .payloadFormatIndicator(UInt8(try number()))
        case .messageExpiryInterval: self = .messageExpiryInterval(try number())
        case .contentType: self = .contentType(try text())
        case .responseTopic: self = .responseTopic(try text())
        case .correlationData: self = .correlationData(try bytes())
        case .subscriptionIdentifier: self = .subscriptionIdentifier(try number())
        case .sessionExpiryInterval: self = .sessionExpiryInterval(try number())
        case .assignedClientIdentifier: self = .assignedClientIdentifier(try text())
        case .serverKeepAlive: self = .serverKeepAlive(UInt16(try number()))
        case .authenticationMethod: self = .authenticationMethod(try text())
        case .authenticationData: self = .authenticationData(try bytes())
        case .requestProblemInformation: self = .requestProblemInformation(UInt8(try number()))
        case .willDelayInterval: self = .willDelayInterval(try number())
        case .requestResponseInformation: self = .requestResponseInformation(UInt8(try number()))
        case .responseInformation: self = .responseInformation(try text())
        case .serverReference: self = .serverReference(try text())
        case .reasonString: self = .reasonString(try text())
        case .receiveMaximum: self = .receiveMaximum(UInt16(try number()))
        case .topicAliasMaximum: self = .topicAliasMaximum(UInt16(try number()))
        case .topicAlias: self = .topicAlias(UInt16(try number()))
        case .maximumQoS: self = .maximumQoS(UInt8(try number()))
        case .retainAvailable: self = .retainAvailable(UInt8(try number()))
        case .userProperty:
            self = .userProperty(name: try container.decode(String.self, forKey: .name), value: try container.decode(String.self, forKey: .value))
        case .maximumPacketSize: self = .maximumPacketSize(try number())
        case .wildcardSubscriptionAvailable: self = .wildcardSubscriptionAvailable(UInt8(try number()))
        case .subscriptionIdentifierAvailable: self = .subscriptionIdentifierAvailable(UInt8(try number()))
        case .sharedSubscriptionAvailable: self = .sharedSubscriptionAvailable(UInt8(try number()))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(identifier.rawValue, forKey: .id)
        switch self {
        case .payloadFormatIndicator(let v), .requestProblemInformation(let v), .requestResponseInformation(let v), .maximumQoS(let v),
            .retainAvailable(let v), .wildcardSubscriptionAvailable(let v), .subscriptionIdentifierAvailable(let v),
            .sharedSubscriptionAvailable(let v):
            try container.encode(UInt32(v), forKey: .number)
        case .serverKeepAlive(let v), .receiveMaximum(let v), .topicAliasMaximum(let v), .topicAlias(let v):
            try container.encode(UInt32(v), forKey: .number)
        case .messageExpiryInterval(let v), .subscriptionIdentifier(let v), .sessionExpiryInterval(let v), .willDelayInterval(let v),
            .maximumPacketSize(let v):
            try container.encode(v, forKey: .number)
        case .contentType(let t), .responseTopic(let t), .assignedClientIdentifier(let t), .authenticationMethod(let t),
            .responseInformation(let t), .serverReference(let t), .reasonString(let t):
            try container.encode(t, forKey: .text)
        case .correlationData(let b), .authenticationData(let b):
            try container.encode(b, forKey: .bytes)
        case .userProperty(let name, let value):
            try container.encode(name, forKey: .name)
            try container.encode(value, forKey: .value)
        }
    }
}

/// Where the broker writes its durable changes (`--store`). The write must be asynchronous (never on the
/// caller's thread) and call `completion` only after the changes are committed: the broker releases the
/// acknowledgements of a batch only then.
public protocol DurableStore: AnyObject, Sendable {
    func write(_ changes: DurableChanges, completion: @escaping @Sendable (Result<Void, any Error>) -> Void)
}
