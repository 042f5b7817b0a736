/// The broker's limits and switches. Defaults follow Mosquitto 2.x where it has one.
public struct BrokerConfiguration: Sendable, Equatable {
    /// Messages queued per offline session (QoS 1/2; QoS 0 too when `queueQoS0Messages`). 0 = no limit.
    public var maxQueuedMessages = 1000
    /// Bytes of payload queued per session. 0 = no limit.
    public var maxQueuedBytes = 0
    /// Outgoing QoS 1/2 messages in flight per client (capped by the client's 5.0 Receive Maximum).
    public var maxInflightMessages = 20
    /// Incoming QoS 2 messages the broker accepts unreleased per client; announced as Receive Maximum.
    public var receiveMaximum: UInt16 = 20
    /// Largest packet accepted, in bytes (0 = the protocol's limit).
    public var maxPacketSize = 0
    /// Keep alive the broker imposes when a 5.0 client asks for more (or 0). 0 = accept any.
    public var maxKeepAlive: UInt16 = 65_535
    public var retainAvailable = true
    public var queueQoS0Messages = false
    /// Topic aliases a 5.0 client may use towards the broker.
    public var topicAliasMaximum: UInt16 = 10
    /// Subscriptions matching these filters are refused (SUBACK 0x80), so a lesson can show a refusal.
    public var refusedFilters: [String] = []
    /// Accept clients that connect with an empty client id (the broker assigns one).
    public var allowZeroLengthClientID = true
    /// Maximum seconds a 5.0 session may outlive its connection (nil: as the client asks).
    public var maxSessionExpiry: UInt32? = nil

    /// Largest PUBLISH payload accepted, in bytes (Mosquitto's `message_size_limit`); 0 = no limit. A larger
    /// message is dropped; QoS 1/2 publishers are still answered (5.0: reason 0x83), as Mosquitto does.
    public var messageSizeLimit = 0
    /// Seconds a session that would never expire (3.1.1 clean session 0, 5.0 expiry 0xFFFFFFFF) is kept
    /// while its client is away (Mosquitto's non-standard `persistent_client_expiration`); nil = forever.
    public var persistentClientExpiration: UInt32? = nil

    /// Seconds between `$SYS/broker/...` updates (Mosquitto's `sys_interval`); 0 = none.
    public var sysInterval = 10

    /// Who may connect (`allow_anonymous`, `password_file`). The default lets everyone in.
    public var authentication = BrokerAuthentication()

    /// Who may read and write which topics (`acl_file`); nil: everyone everything, with no check at all.
    public var accessControl: AccessControlList? = nil

    public init() {}
}
