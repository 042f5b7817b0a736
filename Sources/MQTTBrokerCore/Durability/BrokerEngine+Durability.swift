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
                // The session's own row is written only when it changed: most batches change only its
                // pending messages (and the next packet id, which a restore does not need exactly, since
                // allocation skips the ids in flight). Rewriting it as JSON every batch was a fifth of
                // `--store`'s cost in `bench broker`.
                let current = snapshot(of: session)
                let rowChanged = !(session.storedSnapshot.map { current.isSameRow(as: $0) } ?? false)
                if rowChanged { changes.sessions[key] = current }
                if let pending = sessions.mutateUntracked(clientID, { session -> PendingMessagesChange in
                    if rowChanged { session.storedSnapshot = current }
                    return pendingChange(of: &session)
                }) {
                    changes.pending[key] = pending
                }
            } else {
                changes.sessions[key] = .some(nil)
                // The store deletes its row and its pending rows: should the session be stored again,
                // both are written whole.
                _ = sessions.mutateUntracked(clientID) {
                    $0.storedSnapshot = nil
                    $0.stored.needsRewrite = true
                }
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
            // For the ACL's read checks of what is queued for it while it stays away.
            session.username = snapshot.username
            for entry in snapshot.subscriptions {
                session.subscriptions[FilterKey(entry.filter)] = SubscriptionOptions(
                    qos: entry.qos, noLocal: entry.noLocal, retainAsPublished: entry.retainAsPublished,
                    retainHandling: Subscribe.Options.RetainHandling(rawValue: entry.retainHandling) ?? .sendOnSubscribe,
                    identifier: entry.identifier)
            }
            session.inflight = snapshot.inflight.map(outgoing)
            session.queue = Deque(snapshot.queue.map(outgoing))
            // Fresh sequence numbers, in-flight ones first; the first write after the restore replaces the
            // stored entries whole.
            for index in session.inflight.indices {
                session.inflight[index].sequence = nextQueueSequence
                nextQueueSequence += 1
            }
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

    /// What changed among the session's pending messages since the last write. Costs the entries that
    /// changed plus the in-flight window, never the length of the queue.
    private func pendingChange(of session: inout Session) -> PendingMessagesChange {
        var inflightNow: [UInt64: StoredPending.InflightState] = [:]
        for outgoing in session.inflight {
            inflightNow[outgoing.sequence] = StoredPending.InflightState(stage: outgoing.stage, packetID: outgoing.packetID)
        }
        var stored = session.stored
        defer {
            stored.needsRewrite = false
            stored.inflight = inflightNow
            session.stored = stored
        }
        if stored.needsRewrite {
            stored.queue = Deque(session.queue.map(\.sequence))
            let all = Array(session.inflight) + Array(session.queue)
            return PendingMessagesChange(replacesAll: true,
                                         upserted: all.map { PendingMessagesChange.Entry(sequence: $0.sequence, message: entry($0)) })
        }
        var change = PendingMessagesChange()
        // Gone from the in-flight window: acknowledged, or dropped on a resend.
        for sequence in stored.inflight.keys where inflightNow[sequence] == nil { change.removed.append(sequence) }
        // Left the head of the queue (the queue only loses entries at its head; anything else sets
        // needsRewrite): into the window (stored again below, in its new stage) or gone.
        let queueFirst = session.queue.first?.sequence ?? UInt64.max
        while let oldest = stored.queue.first, oldest < queueFirst {
            stored.queue.removeFirst()
            if inflightNow[oldest] == nil { change.removed.append(oldest) }
        }
        for outgoing in session.inflight where stored.inflight[outgoing.sequence] != inflightNow[outgoing.sequence] {
            change.upserted.append(PendingMessagesChange.Entry(sequence: outgoing.sequence, message: entry(outgoing)))
        }
        // The new tail of the queue.
        let storedUpTo = stored.queue.last ?? 0
        var tail: [PendingMessagesChange.Entry] = []
        for outgoing in session.queue.reversed() {
            guard outgoing.sequence > storedUpTo else { break }
            tail.append(PendingMessagesChange.Entry(sequence: outgoing.sequence, message: entry(outgoing)))
        }
        for entry in tail.reversed() { stored.queue.append(entry.sequence) }
        change.upserted += tail.reversed()
        change.removed.sort()
        return change
    }

    /// A batch could not be written (its transaction rolled back): what the store holds is no longer what
    /// the engine thinks it gave it. Every session and retained topic is written whole at the next batch,
    /// and what the failed batch deleted is deleted again.
    public func durableWriteFailed(_ failed: DurableChanges) {
        for clientID in sessions.keys {
            sessions.mutate(clientID) {
                $0.stored.needsRewrite = true
                $0.storedSnapshot = nil
            }
        }
        for (key, _) in failed.sessions { sessions.markChanged(ClientIdentifier(key.text)) }
        // Said outright rather than left to the loop above marking every session: a batch may have
        // carried only a session's pending rows (its own row unchanged), and those must be written again.
        for key in failed.pending.keys { sessions.markChanged(ClientIdentifier(key.text)) }
        retained.markAllChanged()
        for (key, _) in failed.retained { retained.markChanged(FilterKey(key.text)) }
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
            // Pending messages go apart, as `PendingMessagesChange`s (see `DurableChanges`).
            inflight: [], queue: [],
            receivedQoS2: session.receivedQoS2.sorted(), nextPacketID: session.nextPacketID, username: session.username)
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
