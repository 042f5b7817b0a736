import MQTTCodec

extension BrokerEngine {
    /// Routes a valid packet to its handler, enforcing that CONNECT comes first and only once
    /// [MQTT-3.1.0-1], [MQTT-3.1.0-2].
    func handlePacket(_ packet: Packet, from id: ConnectionID, size: Int, actions: inout [BrokerAction]) {
        guard let connection = connections[id] else { return }
        if case .connect(let connect) = packet {
            if connection.version != nil {
                protocolError(on: id, rule: .secondConnect, actions: &actions)
            } else {
                handleConnect(connect, on: id, actions: &actions)
            }
            return
        }
        guard connection.isConnected, let clientID = connection.clientID else {
            // Anything before CONNECT: close without an answer [MQTT-3.1.0-1].
            close(id, reason: .protocolViolation, actions: &actions)
            return
        }
        switch packet {
        case .publish(let publish): handlePublish(publish, from: connection, clientID: clientID, wire: nil, actions: &actions)
        case .puback(let ack): handlePubAck(ack, on: connection, clientID: clientID, actions: &actions)
        case .pubrec(let ack): handlePubRec(ack, on: id, clientID: clientID, actions: &actions)
        case .pubrel(let ack): handlePubRel(ack, on: id, clientID: clientID, actions: &actions)
        case .pubcomp(let ack): handlePubComp(ack, clientID: clientID, actions: &actions)
        case .subscribe(let subscribe): handleSubscribe(subscribe, on: id, clientID: clientID, actions: &actions)
        case .unsubscribe(let unsubscribe): handleUnsubscribe(unsubscribe, on: id, clientID: clientID, actions: &actions)
        case .pingreq: send(.pingresp, to: id, actions: &actions)  // [MQTT-3.12.4-1]
        case .disconnect(let disconnect): handleDisconnect(disconnect, on: id, actions: &actions)
        case .auth:
            // No enhanced authentication method is offered, so AUTH can never be valid [MQTT-4.12.0-6].
            protocolError(on: id, rule: .authWithoutMethod, actions: &actions)
        case .connack, .suback, .unsuback, .pingresp:
            // Packets only a server sends: a client sending them breaks the protocol.
            protocolError(on: id, rule: .serverOnlyPacket(packet.type), actions: &actions)
        case .connect:
            break
        }
    }

    func send(_ packet: Packet, to id: ConnectionID, actions: inout [BrokerAction]) {
        statistics.packetsSent += 1
        append(.send(id, packet), to: &actions)
    }

    /// A well-formed packet that breaks a rule where it came. A 5.0 client gets a DISCONNECT with the
    /// reason code (0x82 unless a more precise one exists) and a Reason String naming the rule, before the
    /// close; 3.1.1 only has the close. The trace explains the rule either way.
    func protocolError(on id: ConnectionID, reason: ReasonCode = .protocolError, rule: ProtocolRule, actions: inout [BrokerAction]) {
        if connections[id]?.version?.isV5 == true, connections[id]?.isConnected == true {
            let properties = reasonString(rule.reasonString, for: id, packet: .disconnect)
            send(.disconnect(Disconnect(reasonCode: reason, properties: properties)), to: id, actions: &actions)
        }
        close(id, reason: .protocolError(rule), actions: &actions)
    }

    /// A packet that could not be decoded. Before CONNACK the answer is a CONNACK (an unknown protocol
    /// level gets the 3.1.1-format `20 02 00 01` [MQTT-3.1.2-2]); after it, 5.0 gets a DISCONNECT with the
    /// violation's reason code [MQTT-4.13.1-1]; 3.1.1 only has the close.
    func handleViolation(_ error: MalformedPacket, on id: ConnectionID, actions: inout [BrokerAction]) {
        guard let connection = connections[id] else { return }
        emit(.violation(id, clientID: connection.clientID?.text, error))
        if !connection.isConnected {
            if case .unsupportedProtocolLevel = error.violation {
                send(.connack(ConnAck(reasonCode: ReasonCode(0x01))), to: id, actions: &actions)
                connections[id]?.version = .v3_1_1
            } else if error.version.isV5 {
                connections[id]?.version = .v5_0
                send(.connack(ConnAck(reasonCode: error.reasonCode)), to: id, actions: &actions)
            }
            close(id, reason: .protocolViolation, actions: &actions)
            return
        }
        if connection.version?.isV5 == true {
            // The reason string tells the client (and a learner reading its log) which rule it broke.
            var text = error.violation.message.en
            if let spec = error.specID { text += " [\(spec)]" }
            let properties = reasonString(text, for: id, packet: .disconnect)
            send(.disconnect(Disconnect(reasonCode: error.reasonCode, properties: properties)), to: id, actions: &actions)
        }
        close(id, reason: .protocolViolation, actions: &actions)
    }

    /// A 5.0 Reason String property, when the client may receive one here (Request Problem Information 0
    /// allows it only on CONNACK, PUBLISH and DISCONNECT [MQTT-3.1.2-29]) and it keeps the packet within
    /// the client's Maximum Packet Size (else it is left out [MQTT-3.1.2-25]).
    func reasonString(_ text: String, for id: ConnectionID, packet: PacketType) -> Properties {
        guard let connection = connections[id], connection.version?.isV5 == true else { return [] }
        if !connection.requestProblemInformation && ![.connack, .publish, .disconnect].contains(packet) { return [] }
        if let maximum = connection.maximumPacketSize, text.utf8.count + 16 > maximum { return [] }
        return [.reasonString(text)]
    }
}
