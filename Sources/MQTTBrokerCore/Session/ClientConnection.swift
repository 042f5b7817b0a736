import MQTTCodec

/// One network connection: before its CONNECT, and while its session is in use.
///
/// A class, not a struct: the routing path reads a few fields of the subscriber's connection for every
/// message, and reading a struct out of the connections dictionary copied all of it (retaining its alias
/// tables and strings). Nothing keeps a snapshot of it, so sharing the one instance changes no behaviour.
final class ClientConnection {
    var id: ConnectionID
    var remote: String
    var lastActivity: BrokerInstant
    var connectedAt: BrokerInstant
    /// Set once the CONNECT was read.
    var version: ProtocolVersion?
    /// Set once the CONNECT was accepted.
    var clientID: ClientIdentifier?
    /// The CONNECT's user name (nil: anonymous), for the ACL checks of its PUBLISHes.
    var username: String?
    /// Seconds; 0 = no keep alive. The effective value (Server Keep Alive if the broker imposed one).
    var keepAlive: UInt16 = 0
    var will: Connect.Will?
    /// 5.0: the largest packet the client accepts.
    var maximumPacketSize: Int?
    /// Outgoing QoS 1/2 window: min(broker's max in flight, client's Receive Maximum).
    var sendWindow = 20
    /// 5.0 topic aliases the client set towards the broker, per connection [MQTT-3.3.2-7].
    var inboundAliases: [UInt16: String] = [:]
    /// 5.0 topic aliases the broker uses towards the client (its CONNECT Topic Alias Maximum; 0 = none).
    var outboundAliasMaximum: UInt16 = 0
    var outboundAliases: [FilterKey: UInt16] = [:]
    /// 5.0 Request Problem Information (default 1): with 0, reason strings go only on CONNACK, PUBLISH
    /// and DISCONNECT [MQTT-3.1.2-29].
    var requestProblemInformation = true
    /// 5.0: Session Expiry Interval from CONNECT (0 by default); 3.1.1 maps clean session onto it.
    var sessionExpiryFromConnect: UInt32 = 0
    /// Set on a TLS listener with `use_identity_as_username`: the certificate, not a password, logs it in.
    var certificateLogin: CertificateLogin?
    /// Where its session sits in the table, once looked up (`BrokerEngine.sessionHandle(of:clientID:)`).
    var sessionHandle: SessionHandle?

    init(id: ConnectionID, remote: String, lastActivity: BrokerInstant) {
        self.id = id
        self.remote = remote
        self.lastActivity = lastActivity
        self.connectedAt = lastActivity
    }

    var isConnected: Bool { clientID != nil }
}

/// How a TLS client certificate logs a connection in (`use_identity_as_username`).
enum CertificateLogin {
    /// The certificate's Common Name is the user name.
    case identity(String)
    /// The listener logs clients in by certificate, and this one presented none.
    case missing
}

/// A will waiting for its delay (5.0 Will Delay Interval) to pass.
struct PendingWill {
    var clientID: ClientIdentifier
    var message: ApplicationMessage
    var publishAt: BrokerInstant
}
