import MQTTCodec

extension BrokerEngine {
    /// Takes the connection itself, already looked up by the caller: this runs for every message.
    func handlePublish(_ publish: Publish, from connection: ClientConnection, clientID: ClientIdentifier, wire: PublishWire?,
                       actions: inout [BrokerAction]) {
        let id = connection.id
        guard let version = connection.version else { return }
        var topic = publish.topic
        if version.isV5 {
            // A client may not send Subscription Identifiers [MQTT-3.3.4-6].
            if publish.properties.contains(where: { $0.identifier == .subscriptionIdentifier }) {
                return protocolError(on: id, rule: .subscriptionIdentifierFromClient, actions: &actions)
            }
            // Topic aliases: resolved per connection before anything else [MQTT-3.3.2-10..12].
            if let alias = publish.properties.firstValue({ if case .topicAlias(let a) = $0 { a } else { nil } }) {
                guard alias <= configuration.topicAliasMaximum else {
                    return protocolError(on: id, reason: .topicAliasInvalid,
                                         rule: .topicAliasOverMaximum(alias, maximum: configuration.topicAliasMaximum), actions: &actions)
                }
                if topic.utf8.isEmpty {
                    guard let known = connection.inboundAliases[alias] else {
                        return protocolError(on: id, rule: .unknownTopicAlias(alias), actions: &actions)
                    }
                    topic = known
                } else {
                    connection.inboundAliases[alias] = topic
                }
            }
        }
        if publish.retain && !configuration.retainAvailable {
            return protocolError(on: id, reason: .retainNotSupported, rule: .retainNotSupported, actions: &actions)
        }
        statistics.messagesReceived += 1
        let limit = configuration.messageSizeLimit
        if limit > 0 && publish.payload.count > limit {
            return refuseOversizedPublish(publish, from: id, clientID: clientID, limit: limit, actions: &actions)
        }
        if let acl = configuration.accessControl,
           accessDenial(acl, .publish, client: clientID, username: connection.username, topic: topic) != nil {
            return refuseUnauthorizedPublish(publish, from: id, clientID: clientID, actions: &actions)
        }

        switch publish.qos {
        case .atMostOnce:
            route(ApplicationMessage(publish: publish, topic: topic, publisher: clientID, now: now, wire: wire), actions: &actions)
        case .atLeastOnce:
            let matched = route(ApplicationMessage(publish: publish, topic: topic, publisher: clientID, now: now, wire: wire), actions: &actions)
            let packetID = publish.packetID ?? 0
            // 0x10 tells a 5.0 publisher nobody was listening; it is still a success.
            let code: ReasonCode = version.isV5 && !matched ? .noMatchingSubscribers : .success
            send(.puback(PublishAck(packetID: packetID, reasonCode: code)), to: id, actions: &actions)
        case .exactlyOnce:
            let packetID = publish.packetID ?? 0
            guard let received = sessions[clientID]?.receivedQoS2 else { return }
            if received.contains(packetID) {
                // A resend before our PUBREC arrived: answer again, never deliver twice [MQTT-4.3.3-10].
                send(.pubrec(PublishAck(packetID: packetID)), to: id, actions: &actions)
                return
            }
            if version.isV5 && received.count >= Int(configuration.receiveMaximum) {
                return protocolError(on: id, reason: .receiveMaximumExceeded,
                                     rule: .receiveMaximumExceeded(configuration.receiveMaximum), actions: &actions)
            }
            sessions[clientID]?.receivedQoS2.insert(packetID)
            let matched = route(ApplicationMessage(publish: publish, topic: topic, publisher: clientID, now: now, wire: wire), actions: &actions)
            let code: ReasonCode = version.isV5 && !matched ? .noMatchingSubscribers : .success
            send(.pubrec(PublishAck(packetID: packetID, reasonCode: code)), to: id, actions: &actions)
        }
    }

    /// `message_size_limit`: the message is dropped and never routed, but the publisher's QoS flow is
    /// completed so it does not resend it forever, as Mosquitto does; a 5.0 publisher learns why from the
    /// reason code 0x83 (Implementation specific error) and a Reason String.
    private func refuseOversizedPublish(_ publish: Publish, from id: ConnectionID, clientID: ClientIdentifier, limit: Int,
                                        actions: inout [BrokerAction]) {
        statistics.messagesDropped += 1
        emit(.dropped(clientID: clientID.text, topic: publish.topic, reason: .overMessageSizeLimit(size: publish.payload.count, limit: limit)))
        let isV5 = connections[id]?.version?.isV5 == true
        let code: ReasonCode = isV5 ? .implementationSpecificError : .success
        let why = "payload of \(publish.payload.count) bytes is over the broker's message_size_limit of \(limit)"
        let properties = isV5 ? reasonString(why, for: id, packet: .puback) : []
        let packetID = publish.packetID ?? 0
        switch publish.qos {
        case .atMostOnce:
            break
        case .atLeastOnce:
            send(.puback(PublishAck(packetID: packetID, reasonCode: code, properties: properties)), to: id, actions: &actions)
        case .exactlyOnce:
            // 3.1.1 has no failure PUBREC: the id is remembered so the PUBREL that follows is answered normally.
            if !isV5 { sessions[clientID]?.receivedQoS2.insert(packetID) }
            send(.pubrec(PublishAck(packetID: packetID, reasonCode: code, properties: properties)), to: id, actions: &actions)
        }
    }

    /// A PUBLISH the ACL file does not let its client write: never routed, never retained. As Mosquitto 2.0.11
    /// answers (measured): QoS 0 is dropped silently; QoS 1 gets a PUBACK and QoS 2 a PUBREC, with 0x87 (Not
    /// authorized) in 5.0 and a plain success in 3.1.1, which has no way to say no, so a 3.1.1 publisher never
    /// learns its message went nowhere. Every QoS 1/2 PUBLISH is still answered [MQTT-3.3.4-1]; a 5.0 PUBREC of
    /// 0x80 or more ends the QoS 2 flow, while in 3.1.1 the id is kept so the PUBREL that follows is answered.
    private func refuseUnauthorizedPublish(_ publish: Publish, from id: ConnectionID, clientID: ClientIdentifier,
                                           actions: inout [BrokerAction]) {
        let isV5 = connections[id]?.version?.isV5 == true
        let code: ReasonCode = isV5 ? .notAuthorized : .success
        let packetID = publish.packetID ?? 0
        switch publish.qos {
        case .atMostOnce:
            break
        case .atLeastOnce:
            send(.puback(PublishAck(packetID: packetID, reasonCode: code)), to: id, actions: &actions)
        case .exactlyOnce:
            if !isV5 { sessions[clientID]?.receivedQoS2.insert(packetID) }
            send(.pubrec(PublishAck(packetID: packetID, reasonCode: code)), to: id, actions: &actions)
        }
    }

    /// PUBREL releases a received QoS 2 message; always answered with PUBCOMP (5.0: 0x92 when unknown).
    func handlePubRel(_ ack: PublishAck, on id: ConnectionID, clientID: ClientIdentifier, actions: inout [BrokerAction]) {
        let known = sessions[clientID]?.receivedQoS2.remove(ack.packetID) != nil
        let isV5 = connections[id]?.version?.isV5 == true
        send(.pubcomp(PublishAck(packetID: ack.packetID, reasonCode: known || !isV5 ? .success : .packetIdentifierNotFound)), to: id, actions: &actions)
    }

    /// PUBACK completes an outgoing QoS 1 message. (Half of all QoS 1 traffic: the session is reached
    /// through the connection's handle, changed in place once.)
    func handlePubAck(_ ack: PublishAck, on connection: ClientConnection, clientID: ClientIdentifier, actions: inout [BrokerAction]) {
        guard let handle = sessionHandle(of: connection, clientID: clientID) else { return }
        let completed = sessions.mutate(at: handle) { session -> Bool in
            guard let index = session.inflight.firstIndex(where: { $0.packetID == ack.packetID && $0.stage == .awaitingPuback }) else {
                return false
            }
            session.inflight.remove(at: index)
            return true
        } ?? false
        if completed { drainQueue(at: handle, connection: connection, actions: &actions) }
    }

    /// The handle of the connection's session, kept on the connection and checked against the client id.
    func sessionHandle(of connection: ClientConnection, clientID: ClientIdentifier) -> SessionHandle? {
        if let kept = connection.sessionHandle, sessions.handle(kept, isStillOf: clientID) { return kept }
        connection.sessionHandle = sessions.handle(of: clientID)
        return connection.sessionHandle
    }

    /// PUBREC: the subscriber has the QoS 2 message; release it with PUBREL (a 5.0 failure code ends it).
    func handlePubRec(_ ack: PublishAck, on id: ConnectionID, clientID: ClientIdentifier, actions: inout [BrokerAction]) {
        guard let index = sessions[clientID]?.inflight.firstIndex(where: { $0.packetID == ack.packetID && $0.stage != .awaitingPuback }) else {
            let isV5 = connections[id]?.version?.isV5 == true
            send(.pubrel(PublishAck(packetID: ack.packetID, reasonCode: isV5 ? .packetIdentifierNotFound : .success)), to: id, actions: &actions)
            return
        }
        if ack.reasonCode.isFailure {
            sessions[clientID]?.inflight.remove(at: index)
            drainQueue(for: clientID, actions: &actions)
            return
        }
        sessions[clientID]?.inflight[index].stage = .awaitingPubcomp
        send(.pubrel(PublishAck(packetID: ack.packetID)), to: id, actions: &actions)
    }

    func handlePubComp(_ ack: PublishAck, clientID: ClientIdentifier, actions: inout [BrokerAction]) {
        guard let index = sessions[clientID]?.inflight.firstIndex(where: { $0.packetID == ack.packetID && $0.stage == .awaitingPubcomp }) else { return }
        sessions[clientID]?.inflight.remove(at: index)
        drainQueue(for: clientID, actions: &actions)
    }
}
