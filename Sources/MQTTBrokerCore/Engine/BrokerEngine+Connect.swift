import MQTTCodec

extension BrokerEngine {
    func handleConnect(_ connect: Connect, on id: ConnectionID, actions: inout [BrokerAction]) {
        let version = connect.version
        connections[id]?.version = version

        func refuse(_ code: ReasonCode) {
            // 3.1.1 return codes and 5.0 reason codes differ; callers pass the right one for the version.
            emit(.connectionRefused(id, clientID: connect.clientID.isEmpty ? nil : connect.clientID, reason: code, version: version))
            send(.connack(ConnAck(sessionPresent: false, reasonCode: code)), to: id, actions: &actions)
            close(id, reason: .connectionRefused(code), actions: &actions)
        }

        // 5.0 enhanced authentication is not offered [MQTT-4.12.0-1].
        if version.isV5, connect.properties.contains(where: { $0.identifier == .authenticationMethod }) {
            return refuse(.badAuthenticationMethod)
        }
        if let will = connect.will, will.retain, !configuration.retainAvailable {
            return refuse(version.isV5 ? .retainNotSupported : ReasonCode(0x03))
        }

        // Client identifier [MQTT-3.1.3-6..9].
        var clientIDText = connect.clientID
        var assigned = false
        if clientIDText.utf8.isEmpty {
            if !version.isV5 && !connect.cleanStart {
                return refuse(ReasonCode(0x02))  // 3.1.1: an empty id needs a clean session [MQTT-3.1.3-8]
            }
            guard configuration.allowZeroLengthClientID else {
                return refuse(version.isV5 ? .clientIdentifierNotValid : ReasonCode(0x02))
            }
            clientIDText = "mqttlab-\(nextAssignedID)"
            nextAssignedID += 1
            assigned = true
        }
        let clientID = ClientIdentifier(clientIDText)

        // Credentials, as Mosquitto 2.0 answers them: 3.1.1 "not authorized" (0x05); 5.0 "not
        // authorized" (0x87) too, for every case, rather than 0x86 "bad user name or password".
        // With `use_identity_as_username` the certificate replaces the password check (as in Mosquitto 2.0); the
        // transport has already put its Common Name into the CONNECT's user name.
        let failure: AuthenticationFailure? = switch connections[id]?.certificateLogin {
        case .identity: nil
        case .missing: .noClientCertificate
        case nil: configuration.authentication.refusal(username: connect.username, password: connect.password)
        }
        if let failure {
            emit(.authenticationFailed(id, clientID: connect.clientID.isEmpty ? nil : connect.clientID,
                                       username: connect.username, failure: failure))
            return refuse(version.isV5 ? .notAuthorized : ReasonCode(0x05))
        }

        // Session expiry: 3.1.1 clean session 1 ≡ expiry 0, clean session 0 ≡ never [5.0 §3.1.2.11.2 note].
        var expiry: UInt32 = version.isV5
            ? (connect.properties.firstValue { if case .sessionExpiryInterval(let v) = $0 { v } else { nil } } ?? 0)
            : (connect.cleanStart ? 0 : UInt32.max)
        var connackProperties: Properties = []
        if version.isV5, let maximum = configuration.maxSessionExpiry, expiry > maximum {
            expiry = maximum
            connackProperties.append(.sessionExpiryInterval(maximum))
        }

        // Keep alive: a 5.0 client asking for more than the broker allows (or none) gets Server Keep Alive.
        var keepAlive = connect.keepAlive
        let maxKeepAlive = configuration.maxKeepAlive
        if version.isV5, maxKeepAlive < UInt16.max, keepAlive == 0 || keepAlive > maxKeepAlive {
            keepAlive = maxKeepAlive
            connackProperties.append(.serverKeepAlive(maxKeepAlive))
        }

        // Take-over: the older connection with this id is closed [MQTT-3.1.4-2] (5.0: DISCONNECT 0x8E).
        if let oldID = sessions[clientID]?.connection, oldID != id, connections[oldID] != nil {
            emit(.takenOver(old: oldID, new: id, clientID: clientID.text))
            if connections[oldID]?.version?.isV5 == true {
                send(.disconnect(Disconnect(reasonCode: .sessionTakenOver)), to: oldID, actions: &actions)
            }
            append(.close(oldID), to: &actions)
            connectionLost(oldID, reason: .takenOver, actions: &actions, newConnectionResumes: !connect.cleanStart)
        }
        // A will delayed from an earlier connection is cancelled when the session continues, and published
        // at once when a clean start ends that session [MQTT-3.1.3-9].
        let delayedWills = pendingWills.filter { $0.clientID == clientID }
        pendingWills.removeAll { $0.clientID == clientID }
        if connect.cleanStart {
            for will in delayedWills {
                emit(.willPublished(clientID: clientID.text, topic: will.message.topic))
                route(will.message, actions: &actions)
            }
        }

        // Clean start discards the old session [MQTT-3.1.2-6] (3.1.1) / [MQTT-3.1.2-4] (5.0).
        var sessionPresent = false
        if connect.cleanStart, sessions[clientID] != nil {
            discardSession(clientID, expired: false)
        } else if sessions[clientID] != nil {
            sessionPresent = true
        }
        if sessions[clientID] == nil {
            sessions[clientID] = Session(clientID: clientID, version: version, expiryInterval: expiry)
        }
        sessions[clientID]?.connection = id
        sessions[clientID]?.version = version
        sessions[clientID]?.expiryInterval = expiry
        sessions[clientID]?.disconnectedAt = nil
        sessions[clientID]?.username = connect.username

        let connection = connections[id]!
        connection.clientID = clientID
        connection.keepAlive = keepAlive
        connection.username = connect.username
        connection.will = connect.will
        // A will on a topic the client may not write is never published (Mosquitto 2.0 accepts the
        // connection and drops the will; measured).
        if let will = connect.will, let acl = configuration.accessControl,
           accessDenial(acl, .will, client: clientID, username: connect.username, topic: will.topic) != nil {
            connection.will = nil
        }
        connection.sessionExpiryFromConnect = expiry
        connection.sendWindow = configuration.maxInflightMessages
        if version.isV5 {
            for property in connect.properties {
                switch property {
                case .receiveMaximum(let value): connection.sendWindow = min(connection.sendWindow, Int(value))
                case .maximumPacketSize(let value): connection.maximumPacketSize = Int(value)
                case .topicAliasMaximum(let value): connection.outboundAliasMaximum = value
                case .requestProblemInformation(let value): connection.requestProblemInformation = value != 0
                default: break
                }
            }
            if assigned { connackProperties.append(.assignedClientIdentifier(clientIDText)) }
            if configuration.receiveMaximum != UInt16.max { connackProperties.append(.receiveMaximum(configuration.receiveMaximum)) }
            if configuration.topicAliasMaximum > 0 { connackProperties.append(.topicAliasMaximum(configuration.topicAliasMaximum)) }
            if !configuration.retainAvailable { connackProperties.append(.retainAvailable(0)) }
            if configuration.maxPacketSize > 0 { connackProperties.append(.maximumPacketSize(UInt32(configuration.maxPacketSize))) }
        }
        connections[id] = connection

        emit(.sessionStarted(id, clientID: clientID.text, resumed: sessionPresent, persistent: expiry > 0, assignedID: assigned))
        send(.connack(ConnAck(sessionPresent: sessionPresent, reasonCode: .success, properties: connackProperties)), to: id, actions: &actions)
        // A resumed session first re-sends what was in flight, with DUP set, then what waited [MQTT-4.4.0-1].
        if sessionPresent { resumeDelivery(for: clientID, actions: &actions) }
    }
}
