import MQTTCodec

extension BrokerEngine {
    /// SUBSCRIBE: each filter is granted (at most QoS 2), or refused; an equal filter replaces the old
    /// subscription [MQTT-3.8.4-3]; the SUBACK answers every filter in order [MQTT-3.8.4-6]; retained
    /// messages follow as Retain Handling says, with the retain flag set [MQTT-3.3.1-8].
    /// The ACL file never refuses a SUBSCRIBE: Mosquitto 2.0.11 grants every filter (measured, 3.1.1 and 5.0)
    /// and checks read access per message at delivery, retained messages included.
    func handleSubscribe(_ subscribe: Subscribe, on id: ConnectionID, clientID: ClientIdentifier, actions: inout [BrokerAction]) {
        guard let version = connections[id]?.version, sessions[clientID] != nil else { return }
        let identifier = subscribe.properties.firstValue { if case .subscriptionIdentifier(let value) = $0 { value } else { nil } }
        var codes: [ReasonCode] = []
        var retainedToSend: [(ApplicationMessage, QoS, [UInt32])] = []
        for subscription in subscribe.subscriptions {
            let filter = subscription.filter
            let refused = configuration.refusedFilters.contains { TopicFilter.matches(filter: $0, topic: filter) || $0 == filter }
            if refused {
                // 0x80 is the failure code in both versions.
                codes.append(.unspecifiedError)
                emit(.subscriptionAnswered(clientID: clientID.text, filter: filter, requested: subscription.options.qos, result: .unspecifiedError))
                continue
            }
            let key = FilterKey(filter)
            let shared = version.isV5 ? TopicFilter.splitShared(filter) : nil
            let isNew = sessions[clientID]?.subscriptions[key] == nil
            let options = SubscriptionOptions(qos: subscription.options.qos, noLocal: subscription.options.noLocal,
                                              retainAsPublished: subscription.options.retainAsPublished,
                                              retainHandling: subscription.options.retainHandling, identifier: identifier)
            sessions[clientID]?.subscriptions[key] = options
            if let handle = sessions.handle(of: clientID), isNew || shared == nil {
                // A repeated filter replaces the options the index keeps too; a shared group keeps members only.
                subscriptions.add(key, client: clientID, handle: handle, options: options, shared: shared)
            }
            let granted = ReasonCode(options.qos.rawValue)
            codes.append(granted)
            emit(.subscriptionAnswered(clientID: clientID.text, filter: filter, requested: subscription.options.qos, result: granted))
            // Shared subscriptions never get retained messages on subscribe [MQTT-3.8.4-?, 5.0 §4.8.2].
            guard shared == nil else { continue }
            let sendRetained = switch options.retainHandling {
            case .sendOnSubscribe: true
            case .sendOnlyIfNew: isNew
            case .doNotSend: false
            }
            if sendRetained {
                for message in retained.matching(filter, now: now) {
                    // Retained messages pass the same read check as live ones (measured on Mosquitto 2.0.11).
                    if let acl = configuration.accessControl,
                       accessDenial(acl, .retained, client: clientID, username: sessions.username(of: clientID), topic: message.topic) != nil {
                        continue
                    }
                    retainedToSend.append((message, min(message.qos, options.qos), identifier.map { [$0] } ?? []))
                }
            }
        }
        var properties: Properties = []
        if codes.contains(.unspecifiedError) {
            properties = reasonString("refused by the broker's --refuse-subscribe setting", for: id, packet: .suback)
        }
        send(.suback(SubAck(packetID: subscribe.packetID, reasonCodes: codes, properties: properties)), to: id, actions: &actions)
        for (message, qos, identifiers) in retainedToSend {
            deliver(message, to: clientID, qos: qos, retain: true, identifiers: identifiers, actions: &actions)
        }
    }

    /// UNSUBSCRIBE compares filters character by character, never as wildcards [MQTT-3.10.4-1], and is
    /// always answered [MQTT-3.10.4-4] (5.0: 0x11 for a filter that had no subscription).
    func handleUnsubscribe(_ unsubscribe: Unsubscribe, on id: ConnectionID, clientID: ClientIdentifier, actions: inout [BrokerAction]) {
        var codes: [ReasonCode] = []
        for filter in unsubscribe.filters {
            let key = FilterKey(filter)
            if sessions[clientID]?.subscriptions.removeValue(forKey: key) != nil {
                subscriptions.remove(key, client: clientID)
                codes.append(.success)
            } else {
                codes.append(.noSubscriptionExisted)
            }
        }
        let isV5 = connections[id]?.version?.isV5 == true
        send(.unsuback(UnsubAck(packetID: unsubscribe.packetID, reasonCodes: isV5 ? codes : [])), to: id, actions: &actions)
    }
}
