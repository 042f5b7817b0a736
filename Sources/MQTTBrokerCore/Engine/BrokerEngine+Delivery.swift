import MQTTCodec

extension BrokerEngine {
    /// Sends a message to every session whose subscriptions match its topic: once per session, at the
    /// highest QoS of its matching subscriptions, with all their subscription identifiers [MQTT-3.3.4-2..5];
    /// one member per shared group [MQTT-4.8.2-3]. Stores or clears the retained message first.
    /// Returns whether anyone matched.
    @discardableResult
    func route(_ message: ApplicationMessage, actions: inout [BrokerAction]) -> Bool {
        if message.retain {
            let cleared = retained.update(message)
            if !message.isSystem && (!message.payload.isEmpty || cleared) {
                emit(.retained(topic: message.topic, cleared: message.payload.isEmpty))
            }
        }
        // Per session: the best QoS, retain-as-published, and every matching subscription identifier.
        // Most topics match few sessions, so the targets are a small array searched in place; an index by
        // client id is built only when there are many (a big fan-out), so merging stays linear.
        let tracing = observer != nil && !message.isSystem
        // The targets array is the engine's, reused from message to message (its storage is taken here
        // and given back at the end, so a nested route would simply start a new one).
        var targets = spareRouteTargets
        spareRouteTargets = []
        defer {
            // Kept for the next message unless a huge fan-out grew it: that memory is given back.
            if targets.capacity <= Self.keptRouteTargetCapacity {
                targets.removeAll(keepingCapacity: true)
                spareRouteTargets = targets
            }
        }
        var indexByClient: [ClientIdentifier: Int] = [:]
        subscriptions.forEachMatch(topic: message.topic) { subscriber, filter in
            let options = subscriber.options
            // No Local: not back to the publisher [MQTT-3.8.3-3].
            if options.noLocal && message.publisher == subscriber.client { return }
            let existing: Int? = targets.count < Self.linearTargetSearchLimit
                ? targets.firstIndex { $0.client == subscriber.client }
                : indexByClient[subscriber.client]
            if let existing {
                targets[existing].merge(options)
            } else {
                if targets.count + 1 == Self.linearTargetSearchLimit {
                    for (position, target) in targets.enumerated() { indexByClient[target.client] = position }
                }
                if targets.count + 1 >= Self.linearTargetSearchLimit { indexByClient[subscriber.client] = targets.count }
                targets.append(RouteTarget(subscriber, filter: tracing ? filter : nil))
            }
        }
        var deliveries: [BrokerEvent.Delivery] = []
        var queuedFor: [String] = []
        var matched = false
        if targets.count > 1 { targets.sort { $0.client.bytes.lexicographicallyPrecedes($1.client.bytes) } }
        for target in targets {
            // The index keeps each subscriber's handle; a session that ended and came back has a new one.
            let kept = sessions.handle(target.handle, isStillOf: target.client) ? target.handle : nil
            guard let handle = kept ?? sessions.handle(of: target.client), let version = sessions.version(at: handle) else { continue }
            // A subscriber the ACL keeps from reading still counts as a match: Mosquitto answers a 5.0
            // publisher 0x00, not 0x10 No matching subscribers, when every subscriber is denied (measured).
            matched = true
            // The ACL read check, per subscriber and message, at delivery time (as Mosquitto does it).
            if let acl = configuration.accessControl,
               accessDenial(acl, .delivery, client: target.client, username: sessions.username(at: handle), topic: message.topic,
                            quiet: message.isSystem) != nil {
                continue
            }
            let retainFlag = version.isV5 && target.retainAsPublished ? message.retain : false
            let qos = min(message.qos, target.qos)
            let sent = deliver(message, toSessionAt: handle, qos: qos, retain: retainFlag, identifiers: target.identifiers,
                               actions: &actions)
            guard tracing else { continue }
            if sent {
                deliveries.append(BrokerEvent.Delivery(clientID: target.client.text, filter: target.filter?.text ?? "", qos: qos))
            } else {
                queuedFor.append(target.client.text)
            }
        }
        // Shared subscriptions: one member per group, preferring connected ones, round robin.
        for group in subscriptions.matchingGroups(topic: message.topic) where !group.members.isEmpty {
            let count = group.members.count
            var chosen = group.next % count
            for step in 0..<count where sessions[group.members[(group.next + step) % count]]?.connection != nil {
                chosen = (group.next + step) % count
                break
            }
            let client = group.members[chosen]
            subscriptions.advance(group: group.key, past: chosen)
            guard let options = sessions[client]?.subscriptions[group.key] else { continue }
            matched = true
            if let acl = configuration.accessControl,
               accessDenial(acl, .delivery, client: client, username: sessions.username(of: client), topic: message.topic) != nil {
                continue
            }
            let qos = min(message.qos, options.qos)
            let identifiers = options.identifier.map { [$0] } ?? []
            let sent = deliver(message, to: client, qos: qos, retain: false, identifiers: identifiers, actions: &actions)
            guard tracing else { continue }
            if sent {
                deliveries.append(BrokerEvent.Delivery(clientID: client.text, filter: group.key.text, qos: qos))
            } else {
                queuedFor.append(client.text)
            }
        }
        if tracing { emit(.routed(topic: message.topic, from: message.publisher?.text, delivered: deliveries, queued: queuedFor)) }
        return matched
    }

    /// The most targets whose array `route` keeps between messages.
    static var keptRouteTargetCapacity: Int { 1_024 }

    /// Targets of one message up to this count are merged by a linear search; beyond it, through an index.
    static var linearTargetSearchLimit: Int { 16 }

    /// Sends now if the client is connected and (for QoS 1/2) its in-flight window has room; otherwise
    /// queues (QoS 0 only when configured). Returns true when it was sent now.
    @discardableResult
    func deliver(_ message: ApplicationMessage, to client: ClientIdentifier, qos: QoS, retain: Bool, identifiers: [UInt32],
                 actions: inout [BrokerAction]) -> Bool {
        guard let handle = sessions.handle(of: client) else { return false }
        return deliver(message, toSessionAt: handle, qos: qos, retain: retain, identifiers: identifiers, actions: &actions)
    }

    @discardableResult
    func deliver(_ message: ApplicationMessage, toSessionAt handle: SessionHandle, qos: QoS, retain: Bool, identifiers: [UInt32],
                 actions: inout [BrokerAction]) -> Bool {
        let connectionID = sessions.connectionID(at: handle)
        let connection = connectionID.flatMap { connections[$0] }
        if connection == nil && qos == .atMostOnce && !configuration.queueQoS0Messages { return false }
        // The session is changed in place: copying it out would copy its queue on every message.
        return sessions.mutate(at: handle) { session -> Bool in
            var outgoing = OutgoingMessage(message: message, qos: qos, retain: retain, subscriptionIdentifiers: identifiers)
            if let connectionID, let connection {
                if qos == .atMostOnce || (session.inflight.count < connection.sendWindow && session.queue.isEmpty) {
                    return transmit(&outgoing, to: connectionID, connection: connection, session: &session, isResend: false,
                                    actions: &actions)
                }
            }
            enqueue(outgoing, in: &session)
            return false
        } ?? false
    }

    /// Queues a message, dropping it when the queue is full [max_queued_messages / max_queued_bytes].
    func enqueue(_ outgoing: OutgoingMessage, in session: inout Session) {
        let limit = configuration.maxQueuedMessages
        if limit > 0 && session.queue.count >= limit {
            statistics.messagesDropped += 1
            emit(.dropped(clientID: session.clientID.text, topic: outgoing.message.topic, reason: .queueFull(limit: limit)))
            return
        }
        let byteLimit = configuration.maxQueuedBytes
        if byteLimit > 0 && session.queuedBytes + outgoing.message.payload.count > byteLimit {
            statistics.messagesDropped += 1
            emit(.dropped(clientID: session.clientID.text, topic: outgoing.message.topic, reason: .queueBytesFull(limit: byteLimit)))
            return
        }
        var outgoing = outgoing
        // A client that is away may stay away for long: its queue holds each payload once, not also the
        // received packet's bytes (a connected client's queue drains soon and keeps them for forwarding).
        if session.connection == nil { outgoing.message = outgoing.message.withoutWire() }
        outgoing.sequence = nextQueueSequence
        nextQueueSequence += 1
        session.queue.append(outgoing)
        session.queuedBytes += outgoing.message.payload.count
        emit(.queued(clientID: session.clientID.text, topic: outgoing.message.topic, queueLength: session.queue.count))
    }

    /// Builds the PUBLISH for one subscriber and sends it. QoS 1/2 messages get a packet id and join the
    /// in-flight list. Returns false when the message expired or is too large for the client.
    func transmit(_ outgoing: inout OutgoingMessage, to id: ConnectionID, connection: ClientConnection, session: inout Session,
                  isResend: Bool, actions: inout [BrokerAction]) -> Bool {
        let message = outgoing.message
        if message.isExpired(at: now) {
            statistics.messagesDropped += 1
            emit(.dropped(clientID: session.clientID.text, topic: message.topic, reason: .expired))
            return false
        }
        if outgoing.qos != .atMostOnce && !isResend {
            outgoing.packetID = session.allocatePacketID()
            outgoing.stage = outgoing.qos == .atLeastOnce ? .awaitingPuback : .awaitingPubrec
            if outgoing.sequence == 0 {
                outgoing.sequence = nextQueueSequence
                nextQueueSequence += 1
            }
        }
        // The received bytes, when they are exactly what this subscriber gets; otherwise a new PUBLISH.
        let addsProperties = !outgoing.subscriptionIdentifiers.isEmpty || connection.outboundAliasMaximum > 0
            || message.expiresAt != nil
        let action: BrokerAction
        let size: Int?
        if let wire = message.wire, wire.forwards(to: session.version, addsProperties: addsProperties) {
            let forwarded = ForwardedPublish(wire: wire, qos: outgoing.qos, retain: outgoing.retain, dup: isResend,
                                             packetID: outgoing.packetID)
            action = .forward(id, forwarded)
            size = forwarded.encodedCount
        } else {
            var publish = makePublish(outgoing, dup: isResend, version: session.version)
            if connection.outboundAliasMaximum > 0 { applyTopicAlias(to: &publish, on: id) }
            action = .send(id, .publish(publish))
            size = connection.maximumPacketSize == nil ? nil : try? Packet.publish(publish).encode(version: session.version).count
        }
        // Never send a client more than its Maximum Packet Size [MQTT-3.1.2-24]; the message is dropped for it.
        if let maximum = connection.maximumPacketSize, let size, size > maximum {
            statistics.messagesDropped += 1
            emit(.dropped(clientID: session.clientID.text, topic: message.topic, reason: .tooLargeForClient(size: size, maximum: maximum)))
            return false
        }
        if outgoing.qos != .atMostOnce && !isResend { session.inflight.append(outgoing) }
        statistics.messagesSent += 1
        statistics.packetsSent += 1
        append(action, to: &actions)
        return true
    }

    func makePublish(_ outgoing: OutgoingMessage, dup: Bool, version: ProtocolVersion) -> Publish {
        let message = outgoing.message
        var properties: Properties = []
        if version.isV5 {
            properties = message.forwardedProperties
            if let remaining = message.remainingSeconds(at: now) { properties.append(.messageExpiryInterval(remaining)) }
            for identifier in outgoing.subscriptionIdentifiers { properties.append(.subscriptionIdentifier(identifier)) }
        }
        return Publish(topic: message.topic, payload: message.payload, qos: outgoing.qos, retain: outgoing.retain,
                       dup: dup && outgoing.qos != .atMostOnce, packetID: outgoing.qos == .atMostOnce ? nil : outgoing.packetID,
                       properties: properties)
    }

    /// Sends queued messages while the client's in-flight window has room, in order.
    func drainQueue(for client: ClientIdentifier, actions: inout [BrokerAction]) {
        guard let handle = sessions.handle(of: client), let id = sessions.connectionID(at: handle), let connection = connections[id] else {
            return
        }
        drainQueue(at: handle, connection: connection, actions: &actions)
    }

    func drainQueue(at handle: SessionHandle, connection: ClientConnection, actions: inout [BrokerAction]) {
        let id = connection.id
        sessions.mutate(at: handle) { session in
            guard session.connection == id else { return }
            while let first = session.queue.first {
                if first.qos != .atMostOnce && session.inflight.count >= connection.sendWindow { break }
                var next = session.queue.removeFirst()
                session.queuedBytes -= next.message.payload.count
                _ = transmit(&next, to: id, connection: connection, session: &session, isResend: false, actions: &actions)
            }
        }
    }

    /// After a session is resumed: re-send in-flight messages with DUP (PUBREL for those already
    /// received) in their original order [MQTT-4.4.0-1], then the queue.
    func resumeDelivery(for client: ClientIdentifier, actions: inout [BrokerAction]) {
        guard let id = sessions[client]?.connection, let connection = connections[id] else { return }
        sessions.mutate(client) { session in
            var kept: [OutgoingMessage] = []
            for var outgoing in session.inflight {
                if outgoing.stage == .awaitingPubcomp {
                    send(.pubrel(PublishAck(packetID: outgoing.packetID)), to: id, actions: &actions)
                    kept.append(outgoing)
                } else if transmit(&outgoing, to: id, connection: connection, session: &session, isResend: true, actions: &actions) {
                    kept.append(outgoing)
                }
            }
            session.inflight = kept
        }
        drainQueue(for: client, actions: &actions)
    }

    /// 5.0: saves bytes on repeated topics when the client accepts aliases. The first message to a topic
    /// carries the topic and a new alias; later ones an empty topic and the alias [MQTT-3.3.2-9..12].
    /// Once the client's maximum is used up, further topics go in full.
    func applyTopicAlias(to publish: inout Publish, on id: ConnectionID) {
        guard let connection = connections[id] else { return }
        let key = FilterKey(publish.topic)
        if let alias = connection.outboundAliases[key] {
            publish.properties.append(.topicAlias(alias))
            publish.topic = ""
        } else if connection.outboundAliases.count < Int(connection.outboundAliasMaximum) {
            let alias = UInt16(connection.outboundAliases.count + 1)
            connections[id]?.outboundAliases[key] = alias
            publish.properties.append(.topicAlias(alias))
        }
    }
}

/// One session a message goes to, with what its matching subscriptions add up to.
struct RouteTarget {
    let client: ClientIdentifier
    let handle: SessionHandle
    /// The first matching filter, kept only when a trace will name it (copying it cost two retains and
    /// two releases per delivery on the untraced path).
    let filter: FilterKey?
    var qos: QoS
    var retainAsPublished: Bool
    var identifiers: [UInt32]

    init(_ subscriber: SubscriptionStore.Subscriber, filter: FilterKey?) {
        self.client = subscriber.client
        self.handle = subscriber.handle
        self.filter = filter
        self.qos = subscriber.options.qos
        self.retainAsPublished = subscriber.options.retainAsPublished
        self.identifiers = subscriber.options.identifier.map { [$0] } ?? []
    }

    /// Overlapping subscriptions: the highest QoS, and every subscription identifier [MQTT-3.3.4-2..5].
    mutating func merge(_ options: SubscriptionOptions) {
        qos = max(qos, options.qos)
        retainAsPublished = retainAsPublished || options.retainAsPublished
        // In ascending order: the filters come out of a hash table, whose order differs from one run (and
        // one table) to the next, and a trace or test must read the same packet every time.
        if let identifier = options.identifier {
            identifiers.insert(identifier, at: identifiers.firstIndex { $0 > identifier } ?? identifiers.endIndex)
        }
    }
}
