import DequeModule
import MQTTCodec

extension BrokerEngine {
    /// Starts recording which sessions and retained topics change, for `takeDurableChanges()`.
    public func enableDurability() {
        sessions.tracksChanges = true
        retained.tracksChanges = true
    }

    /// The persistent sessions and retained messages changed since the last call, as snapshots to write
    /// (nil: delete). Sessions that end with their connection (expiry 0) are never stored.
    public func takeDurableChanges() -> DurableChanges {
        var changes = DurableChanges()
        for clientID in sessions.takeChanged() {
            let key = DurableKey(clientID.text)
            if let session = sessions[clientID], session.expiryInterval > 0 {
                changes.sessions[key] = snapshot(of: session)
                if let queueChange = sessions.mutateUntracked(clientID, { queueChange(of: &$0) }) {
                    changes.queues[key] = queueChange
                }
            } else {
                changes.sessions[key] = .some(nil)
            }
        }
        for topic in retained.takeChanged() {
            if let message = retained.message(for: topic), !message.isExpired(at: now) {
                changes.retained[DurableKey(topic.text)] = RetainedSnapshot(
                    topic: message.topic, payload: message.payload, qos: message.qos, properties: message.forwardedProperties,
                    expiresInSeconds: message.remainingSeconds(at: now))
            } else {
                changes.retained[DurableKey(topic.text)] = .some(nil)
            }
        }
        return changes
    }

    /// Puts back what the store kept, before any client connects. Sessions come back disconnected; their
    /// expiry counts from now (downtime is not charged to them). In-flight messages are re-sent with DUP
    /// when their client returns, as after any reconnection.
    public func restore(sessions restoredSessions: [SessionSnapshot], retained restoredRetained: [RetainedSnapshot], at now: BrokerInstant) {
        self.now = max(self.now, now)
        let wasTracking = sessions.tracksChanges
        sessions.tracksChanges = false
        retained.tracksChanges = false
        defer {
            sessions.tracksChanges = wasTracking
            retained.tracksChanges = wasTracking
        }
        for snapshot in restoredSessions {
            let clientID = ClientIdentifier(snapshot.clientID)
            var session = Session(clientID: clientID, version: snapshot.version, expiryInterval: snapshot.expiryInterval)
            session.disconnectedAt = self.now
            session.nextPacketID = max(1, snapshot.nextPacketID)
            session.receivedQoS2 = Set(snapshot.receivedQoS2)
            for entry in snapshot.subscriptions {
                session.subscriptions[FilterKey(entry.filter)] = SubscriptionOptions(
                    qos: entry.qos, noLocal: entry.noLocal, retainAsPublished: entry.retainAsPublished,
                    retainHandling: Subscribe.Options.RetainHandling(rawValue: entry.retainHandling) ?? .sendOnSubscribe,
                    identifier: entry.identifier)
            }
            session.inflight = snapshot.inflight.map(outgoing)
            session.queue = Deque(snapshot.queue.map(outgoing))
            // Fresh sequence numbers; the first write after the restore replaces the stored queue whole.
            for index in session.queue.indices {
                session.queue[index].sequence = nextQueueSequence
                nextQueueSequence += 1
            }
            session.queuedBytes = session.queue.reduce(0) { $0 + $1.message.payload.count }
            sessions[clientID] = session
            // Indexed once the session has its place in the table (the index keeps its handle).
            guard let handle = sessions.handle(of: clientID) else { continue }
            for entry in snapshot.subscriptions {
                let key = FilterKey(entry.filter)
                guard let options = session.subscriptions[key] else { continue }
                subscriptions.add(key, client: clientID, handle: handle, options: options,
                                  shared: snapshot.version.isV5 ? TopicFilter.splitShared(entry.filter) : nil)
            }
        }
        for snapshot in restoredRetained {
            let publish = Publish(topic: snapshot.topic, payload: snapshot.payload, qos: snapshot.qos, retain: true,
                                  properties: snapshot.properties + (snapshot.expiresInSeconds.map { [.messageExpiryInterval($0)] } ?? []))
            retained.restore(ApplicationMessage(publish: publish, topic: snapshot.topic, publisher: nil, now: self.now))
        }
    }

    /// What changed in the session's queue since the last write: the entries added at the tail (sequence
    /// numbers above `storedQueueUpTo`) and how far the head was sent. Costs the entries added, not the
    /// length of the queue.
    private func queueChange(of session: inout Session) -> QueueChange? {
        defer {
            session.storedQueueNeedsRewrite = false
            session.storedQueueUpTo = max(session.storedQueueUpTo, session.queue.last?.sequence ?? 0)
        }
        if session.storedQueueNeedsRewrite {
            return QueueChange(replacesAll: true, added: session.queue.map { QueueChange.Entry(sequence: $0.sequence, message: entry($0)) })
        }
        var added: [QueueChange.Entry] = []
        for outgoing in session.queue.reversed() {
            guard outgoing.sequence > session.storedQueueUpTo else { break }
            added.append(QueueChange.Entry(sequence: outgoing.sequence, message: entry(outgoing)))
        }
        added.reverse()
        // Everything stored below the first entry still queued was sent (or the queue is empty).
        let removeBelow = session.queue.first?.sequence ?? session.storedQueueUpTo + 1
        return QueueChange(removeBelow: removeBelow, added: added)
    }

    private func snapshot(of session: Session) -> SessionSnapshot {
        SessionSnapshot(
            clientID: session.clientID.text, version: session.version, expiryInterval: session.expiryInterval,
            subscriptions: session.subscriptions
                .sorted { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }
                .map { key, options in
                    SessionSnapshot.SubscriptionEntry(
                        filter: key.text, qos: options.qos, noLocal: options.noLocal, retainAsPublished: options.retainAsPublished,
                        retainHandling: options.retainHandling.rawValue, identifier: options.identifier)
                },
            // The queue goes apart, as `QueueChange`s (see `DurableChanges`).
            inflight: session.inflight.map(entry), queue: [],
            receivedQoS2: session.receivedQoS2.sorted(), nextPacketID: session.nextPacketID)
    }

    private func entry(_ outgoing: OutgoingMessage) -> SessionSnapshot.MessageEntry {
        let stage = switch outgoing.stage {
        case .queued: "queued"
        case .awaitingPuback: "awaitingPuback"
        case .awaitingPubrec: "awaitingPubrec"
        case .awaitingPubcomp: "awaitingPubcomp"
        }
        return SessionSnapshot.MessageEntry(
            topic: outgoing.message.topic, payload: outgoing.message.payload, qos: outgoing.qos, retain: outgoing.retain,
            properties: outgoing.message.forwardedProperties, expiresInSeconds: outgoing.message.remainingSeconds(at: now),
            subscriptionIdentifiers: outgoing.subscriptionIdentifiers, packetID: outgoing.packetID, stage: stage)
    }

    private func outgoing(_ entry: SessionSnapshot.MessageEntry) -> OutgoingMessage {
        let publish = Publish(topic: entry.topic, payload: entry.payload, qos: entry.qos, retain: entry.retain,
                              properties: entry.properties + (entry.expiresInSeconds.map { [.messageExpiryInterval($0)] } ?? []))
        var outgoing = OutgoingMessage(message: ApplicationMessage(publish: publish, topic: entry.topic, publisher: nil, now: now),
                                       qos: entry.qos, retain: entry.retain, subscriptionIdentifiers: entry.subscriptionIdentifiers)
        outgoing.packetID = entry.packetID
        outgoing.stage = switch entry.stage {
        case "awaitingPuback": .awaitingPuback
        case "awaitingPubrec": .awaitingPubrec
        case "awaitingPubcomp": .awaitingPubcomp
        default: .queued
        }
        return outgoing
    }
}
