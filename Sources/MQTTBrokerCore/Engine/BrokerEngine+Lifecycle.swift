import DequeModule
import MQTTCodec

extension BrokerEngine {
    /// A DISCONNECT from the client: the will is discarded unless 5.0 reason 0x04 asks for it
    /// [MQTT-3.14.4-3]; a 5.0 client may change its session expiry, but not from 0 [MQTT-3.14.2-?].
    func handleDisconnect(_ disconnect: Disconnect, on id: ConnectionID, actions: inout [BrokerAction]) {
        guard let connection = connections[id] else { return }
        if let newExpiry = disconnect.properties.first(where: { if case .sessionExpiryInterval = $0 { true } else { false } }),
           case .sessionExpiryInterval(let seconds) = newExpiry {
            if connection.sessionExpiryFromConnect == 0 && seconds > 0 {
                return protocolError(on: id, rule: .sessionExpiryFromZero, actions: &actions)
            }
            if let clientID = connection.clientID { sessions[clientID]?.expiryInterval = seconds }
        }
        if disconnect.reasonCode != .disconnectWithWillMessage { connections[id]?.will = nil }
        append(.close(id), to: &actions)
        connectionLost(id, reason: .disconnectPacket(disconnect.reasonCode), actions: &actions)
    }

    /// Closes a connection on the broker's initiative (after any packets already queued for it).
    func close(_ id: ConnectionID, reason: BrokerEvent.EndReason, actions: inout [BrokerAction]) {
        guard connections[id] != nil else { return }
        append(.close(id), to: &actions)
        connectionLost(id, reason: reason, actions: &actions)
    }

    /// The single place a connection ends: decides the will (published unless a normal DISCONNECT removed
    /// it [MQTT-3.1.2-8]; delayed by a 5.0 Will Delay Interval) and whether the session lives on.
    func connectionLost(_ id: ConnectionID, reason: BrokerEvent.EndReason, actions: inout [BrokerAction],
                        newConnectionResumes: Bool = false) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        let graceful: Bool = if case .disconnectPacket(let code) = reason { code != .disconnectWithWillMessage } else { false }
        emit(.connectionEnded(id, clientID: connection.clientID?.text, graceful: graceful, reason: reason))
        guard let clientID = connection.clientID, sessions[clientID]?.connection == id else { return }
        sessions[clientID]?.connection = nil
        sessions[clientID]?.disconnectedAt = now
        let expiry = sessions[clientID]?.expiryInterval ?? 0

        if let will = connection.will {
            let message = ApplicationMessage(will: will, publisher: clientID, now: now)
            let delay: UInt32 = will.properties.firstValue { if case .willDelayInterval(let v) = $0 { v } else { nil } } ?? 0
            // The will waits for the shorter of its delay and the session's life [MQTT-3.1.3-9].
            let wait = min(delay, expiry)
            if wait > 0 && !(reason == .takenOver && !newConnectionResumes) {
                pendingWills.append(PendingWill(clientID: clientID, message: message, publishAt: now.adding(seconds: Double(wait))))
                emit(.willScheduled(clientID: clientID.text, topic: will.topic, delaySeconds: wait))
            } else {
                emit(.willPublished(clientID: clientID.text, topic: will.topic))
                route(message, actions: &actions)
            }
        }
        if expiry == 0 {
            discardSession(clientID, expired: false)
        } else {
            sessions.mutate(clientID) { $0.dropWireBytes() }
            emit(.sessionKept(clientID: clientID.text, expirySeconds: expiry == UInt32.max ? nil : expiry))
        }
    }

    /// Removes a session and its subscriptions.
    func discardSession(_ clientID: ClientIdentifier, expired: Bool) {
        guard let session = sessions.removeValue(forKey: clientID) else { return }
        for filter in session.subscriptions.keys { subscriptions.remove(filter, client: clientID) }
        emit(.sessionEnded(clientID: clientID.text, expired: expired))
    }

    /// Time-driven rules: keep alive (1.5×) [MQTT-3.1.2-24], the CONNECT deadline, will delays, session
    /// expiry [MQTT-4.1.0-2], and expired messages in queues.
    func tick(actions: inout [BrokerAction]) {
        for (id, connection) in connections.sortedByID {
            let idle = now.seconds(since: connection.lastActivity)
            if connection.isConnected {
                if connection.keepAlive > 0 && idle > Double(connection.keepAlive) * 1.5 {
                    if connection.version?.isV5 == true {
                        send(.disconnect(Disconnect(reasonCode: .keepAliveTimeout)), to: id, actions: &actions)
                    }
                    close(id, reason: .keepAliveExpired(seconds: idle), actions: &actions)
                }
            } else if idle > Self.connectDeadline {
                // A socket that never says CONNECT holds resources: let it go.
                close(id, reason: .protocolViolation, actions: &actions)
            }
        }
        let due = pendingWills.filter { $0.publishAt <= now }
        pendingWills.removeAll { $0.publishAt <= now }
        for will in due {
            emit(.willPublished(clientID: will.clientID.text, topic: will.message.topic))
            route(will.message, actions: &actions)
        }
        for (clientID, session) in sessions where session.connection == nil {
            if let expiresAt = session.expiresAt(persistentClientExpiration: configuration.persistentClientExpiration), expiresAt <= now {
                discardSession(clientID, expired: true)
                continue
            }
            if session.queue.contains(where: { $0.message.isExpired(at: now) }) {
                var kept: [OutgoingMessage] = []
                for outgoing in session.queue {
                    if outgoing.message.isExpired(at: now) {
                        statistics.messagesDropped += 1
                        emit(.dropped(clientID: clientID.text, topic: outgoing.message.topic, reason: .expired))
                    } else {
                        kept.append(outgoing)
                    }
                }
                sessions[clientID]?.queue = Deque(kept)
                sessions[clientID]?.queuedBytes = kept.reduce(0) { $0 + $1.message.payload.count }
                // Entries left from the middle of the queue: the store rewrites it whole.
                sessions[clientID]?.stored.needsRewrite = true
            }
        }
        retained.removeExpired(now: now)
    }

    /// Seconds a new connection has to send its CONNECT.
    static let connectDeadline = 10.0
}
