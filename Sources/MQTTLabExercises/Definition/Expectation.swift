import MQTTCodec

/// One condition over the traffic a checker observed (the vocabulary of Docs/EXERCISES.md). Each is met
/// by `count` (default 1) matching observations; `label` and `after` order them.
public struct Expectation: Sendable {
    public var condition: Condition
    /// At least this many matching observations.
    public var count: Int
    /// A name other expectations refer to with `after`.
    public var label: String?
    /// The first match must come after the first match of the expectation with this label.
    public var after: String?
    /// 1-based line in the data file, for messages.
    public var line: Int

    public init(condition: Condition, count: Int = 1, label: String? = nil, after: String? = nil, line: Int = 0) {
        self.condition = condition
        self.count = count
        self.label = label
        self.after = after
        self.line = line
    }

    public enum Condition: Sendable {
        /// A CONNECT from a client.
        case connect(ConnectPattern)
        /// A PUBLISH received from a client.
        case publish(PublishPattern)
        /// A PUBLISH the broker sent to a client.
        case delivered(PublishPattern)
        /// A SUBSCRIBE with at least one subscription like this.
        case subscribe(SubscribePattern)
        /// An UNSUBSCRIBE of this filter.
        case unsubscribe(filter: String?)
        /// A client resumed a persistent session and then received messages queued while it was offline.
        case queuedDelivery(clientID: String?, topicFilter: String?)
        /// The broker published a client's will.
        case willPublished(topic: String?)
        /// The broker stored (or cleared) the retained message of a topic.
        case retained(topic: String?, cleared: Bool)
        /// A connection ended: graceful (DISCONNECT) or not.
        case disconnect(clientID: String?, graceful: Bool?)
        /// A packet of this type, from a client (`incoming`) or from the broker.
        case packet(type: PacketType, incoming: Bool, clientID: String?)
        /// A named Swift checker (see `NamedCheckers`) for what the data cannot express.
        case checker(String)
    }
}

/// What a CONNECT must say; nil fields are not checked.
public struct ConnectPattern: Sendable {
    public var clientID: String?
    public var cleanStart: Bool?
    public var version: ProtocolVersion?
    public var username: String?
    public var minKeepAlive: Int?
    public var maxKeepAlive: Int?
    public var sessionExpiryMin: Int?
    public var will: PublishPattern?
    /// The CONNECT must carry a will at all (true) or none (false).
    public var hasWill: Bool?

    public init() {}
}

/// What a PUBLISH (or will) must carry; nil fields are not checked.
public struct PublishPattern: Sendable {
    public var topic: String?
    /// The topic must match this filter (`+` and `#`).
    public var topicMatches: String?
    public var payload: String?
    public var qos: Int?
    public var minQoS: Int?
    public var retain: Bool?
    /// The client that sent it (publish) or received it (delivered).
    public var clientID: String?

    public init() {}
}

/// What one subscription of a SUBSCRIBE must be; nil fields are not checked.
public struct SubscribePattern: Sendable {
    public var filter: String?
    /// The filter must match every one of these topics…
    public var matches: [String] = []
    /// …and none of these.
    public var notMatches: [String] = []
    public var qos: Int?
    public var minQoS: Int?
    public var clientID: String?

    public init() {}
}

/// One step of a `program` scenario.
public enum ScenarioStep: Sendable {
    /// Wait (at most `timeout` seconds) until the expectation is met by the traffic so far.
    case waitFor(Expectation, timeout: Double)
    /// The checker's own client publishes this.
    case publish(topic: String, payload: String, qos: Int, retain: Bool)
    /// Every expectation must be met by traffic from this step on, within `within` seconds.
    case expect([Expectation], within: Double)
    /// None of these may happen from this step on, for `during` seconds.
    case expectNone([Expectation], during: Double)
    /// Let time pass.
    case sleep(Double)
}

/// One probe of a `config` exercise: an action a user tries, and whether it must work.
public struct Probe: Sendable {
    public enum Action: Sendable {
        case connect
        case subscribe(filter: String)
        case publish(topic: String)
    }
    public enum Outcome: String, Sendable {
        /// connect: CONNACK 0; subscribe: granted; publish: delivered to a subscriber of the topic.
        case allowed
        /// connect: refused; subscribe: SUBACK failure; publish: not delivered.
        case refused
    }
    public var action: Action
    public var username: String?
    public var password: String?
    public var expect: Outcome
    public var line: Int

    public init(action: Action, username: String?, password: String?, expect: Outcome, line: Int) {
        self.action = action
        self.username = username
        self.password = password
        self.expect = expect
        self.line = line
    }
}
