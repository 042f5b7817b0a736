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
        struct Target { var qos: QoS; var retainAsPublished: Bool; var identifiers: [UInt32]; var filter: String }
        var targets: [ClientIdentifier: Target] = [:]
        var order: [ClientIdentifier] = []
        for (client, filter) in subscriptions.matches(topic: message.topic) {
            guard let options = sessions[client]?.subscriptions[filter] else { continue }
            // No Local: not back to the publisher [MQTT-3.8.3-3].
            if options.noLocal && message.publisher == client { continue }
            if var target = targets[client] {
                target.qos = max(target.qos, options.qos)
                target.retainAsPublished = target.retainAsPublished || options.retainAsPublished
                if let identifier = options.identifier { target.identifiers.append(identifier) }
                targets[client] = target
            } else {
                targets[client] = Target(qos: options.qos, retainAsPublished: options.retainAsPublished,
                                         identifiers: options.identifier.map { [$0] } ?? [], filter: filter.text)
                order.append(client)
            }
        }
        var deliveries: [BrokerEvent.Delivery] = []
        var queuedFor: [String] = []
        order.sort { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        for client in order {
            // Only the version is read: a copy of the session held across `deliver` would make the
            // queue's storage shared, and the append there would copy the whole queue.
            guard let target = targets[client], let version = sessions[client]?.version else { continue }
            let retainFlag = version.isV5 && target.retainAsPublished ? message.retain : false
            let qos = min(message.qos, target.qos)
            if deliver(message, to: client, qos: qos, retain: retainFlag, identifiers: target.identifiers, actions: &actions) {
                deliveries.append(BrokerEvent.Delivery(clientID: client.text, filter: target.filter, qos: qos))
            } else {
                queuedFor.append(client.text)
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
            let qos = min(message.qos, options.qos)
            let identifiers = options.identifier.map { [$0] } ?? []
            if deliver(message, to: client, qos: qos, retain: false, identifiers: identifiers, actions: &actions) {
                deliveries.append(BrokerEvent.Delivery(clientID: client.text, filter: group.key.text, qos: qos))
            } else {
                queuedFor.append(client.text)
            }
        }
        if observer != nil && !message.isSystem { emit(.routed(topic: message.topic, from: message.publisher?.text, delivered: deliveries, queued: queuedFor)) }
        return !deliveries.isEmpty || !queuedFor.isEmpty
    }

    /// Sends now if the client is connected and (for QoS 1/2) its in-flight window has room; otherwise
    /// queues (QoS 0 only when configured). Returns true when it was sent now.
    @discardableResult
    func deliver(_ message: ApplicationMessage, to client: ClientIdentifier, qos: QoS, retain: Bool, identifiers: [UInt32],
                 actions: inout [BrokerAction]) -> Bool {
        let connectionID = sessions[client]?.connection
        let connection = connectionID.flatMap { connections[$0] }
        if connection == nil && qos == .atMostOnce && !configuration.queueQoS0Messages { return false }
        // The session is changed in place: copying it out would copy its queue on every message.
        return sessions.mutate(client) { session -> Bool in
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
        }
        var publish = makePublish(outgoing, dup: isResend, version: session.version)
        if connection.outboundAliasMaximum > 0 { applyTopicAlias(to: &publish, on: id) }
        // Never send a client more than its Maximum Packet Size [MQTT-3.1.2-24]; the message is dropped for it.
        if let maximum = connection.maximumPacketSize, let size = try? Packet.publish(publish).encode(version: session.version).count,
           size > maximum {
            statistics.messagesDropped += 1
            emit(.dropped(clientID: session.clientID.text, topic: message.topic, reason: .tooLargeForClient(size: size, maximum: maximum)))
            return false
        }
        if outgoing.qos != .atMostOnce && !isResend { session.inflight.append(outgoing) }
        statistics.messagesSent += 1
        send(.publish(publish), to: id, actions: &actions)
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
        guard let id = sessions[client]?.connection, let connection = connections[id] else { return }
        sessions.mutate(client) { session in
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
