/// An ACL said no: the trace explains it in words, `--trace-json` writes it as an `access_denied` event.
public struct AccessDenial: Sendable, Equatable {
    /// What the client tried, and what the broker did about it.
    public enum Action: Sendable, Equatable {
        /// A PUBLISH it may not write: dropped (5.0 QoS 1/2 publishers hear 0x87).
        case publish
        /// Its will on a topic it may not write: the will is never published.
        case will
        /// A message it may not read: not delivered to it.
        case delivery
        /// A retained message it may not read, on subscribe: not sent.
        case retained
    }

    public var action: Action
    public var clientID: String
    /// nil: an anonymous client (the ACL file's section before any `user` line).
    public var username: String?
    public var topic: String
    public var reason: AccessDenialReason
    /// The ACL file, for `file:line` in the explanation.
    public var source: String

    public init(action: Action, clientID: String, username: String?, topic: String, reason: AccessDenialReason, source: String) {
        self.action = action
        self.clientID = clientID
        self.username = username
        self.topic = topic
        self.reason = reason
        self.source = source
    }

    public var access: TopicAccess {
        switch action {
        case .publish, .will: .write
        case .delivery, .retained: .read
        }
    }
}

extension BrokerEngine {
    /// nil when the client may; otherwise the denial, already reported to the observer (unless `quiet`: the
    /// trace leaves `$SYS` traffic out, its denials too). Callers test `configuration.accessControl` first,
    /// so a broker without an ACL file pays nothing here.
    func accessDenial(_ acl: AccessControlList, _ action: AccessDenial.Action, client: ClientIdentifier, username: String?,
                      topic: String, quiet: Bool = false) -> AccessDenial? {
        let access: TopicAccess = switch action {
        case .publish, .will: .write
        case .delivery, .retained: .read
        }
        guard case .denied(let reason) = acl.check(username: username, clientID: client.text, topic: topic, access: access) else {
            return nil
        }
        let denial = AccessDenial(action: action, clientID: client.text, username: username, topic: topic, reason: reason, source: acl.source)
        if !quiet { emit(.accessDenied(denial)) }
        return denial
    }
}
