import MQTTCodec

/// Packets that belong together, so a learner can follow a flow across the list.
struct Conversation: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// CONNECT ↔ CONNACK.
        case connect
        /// PUBLISH QoS 1 ↔ PUBACK.
        case qos1
        /// PUBLISH QoS 2 → PUBREC → PUBREL → PUBCOMP.
        case qos2
        /// SUBSCRIBE ↔ SUBACK.
        case subscribe
        /// UNSUBSCRIBE ↔ UNSUBACK.
        case unsubscribe
        /// PINGREQ ↔ PINGRESP.
        case ping
        /// A PUBLISH into the broker and the copies it sent to subscribers.
        case delivery
        /// A CONNECT with a client id already connected: the old connection's CONNECT, the new one, and
        /// the DISCONNECT (5.0) the broker sends the old connection.
        case takeOver
        /// A CONNECT that leaves a will, and the PUBLISHes of that will after the client vanished.
        case will
    }

    var kind: Kind
    /// Indices into the packet list, in list order.
    var members: [Int]
    /// The packet id that ties the packets together, where there is one.
    var packetID: UInt16?
}

/// Finds the conversations of a packet list from the decoded packets alone (types, packet ids, topics,
/// client ids, connections and directions — all from the codec's dissection).
///
/// Acknowledgements pair with the oldest open request with the same packet id on the same connection,
/// travelling the other way (a QoS 2 PUBREL travels the same way as its PUBLISH), so a packet id reused
/// later starts a new conversation.
struct ConversationLinker {
    static func link(_ packets: [InspectedPacket]) -> [Conversation] {
        var linker = ConversationLinker()
        for index in packets.indices { linker.take(packets[index], at: index) }
        return linker.conversations.filter { $0.members.count > 1 }
    }

    /// An exchange waiting for its next packet: which conversation, and which type comes next.
    private struct Open {
        var conversation: Int
        var expected: PacketType
    }

    private struct ExchangeKey: Hashable {
        var connection: Int
        /// The direction of the request that opened the exchange.
        var requestDirection: PacketDirection
        var family: Int
        var packetID: UInt16
    }

    private struct Session {
        var connection: Int
        var connectIndex: Int
        var closedByClient = false
        var will: Connect.Will?
        var willConversation: Int?
    }

    private var conversations: [Conversation] = []
    private var exchanges: [ExchangeKey: Open] = [:]
    private var connects: [Int: Int] = [:]  // connection → open CONNECT conversation
    private var pings: [Int: Int] = [:]  // connection → open PINGREQ conversation
    private var sessions: [Int: Session] = [:]  // connection → its CONNECT
    private var latestConnection: [String: Int] = [:]  // client id → newest connection
    private var takeOverOf: [Int: Int] = [:]  // old connection → take-over conversation
    private var deliveries: [DeliveryKey: Int] = [:]  // topic + payload → open delivery conversation

    private struct DeliveryKey: Hashable {
        var topic: String
        var payload: [UInt8]
    }

    private mutating func start(_ kind: Conversation.Kind, _ index: Int, packetID: UInt16? = nil) -> Int {
        conversations.append(Conversation(kind: kind, members: [index], packetID: packetID))
        return conversations.count - 1
    }

    private mutating func take(_ packet: InspectedPacket, at index: Int) {
        guard let decoded = packet.packet else { return }
        let connection = packet.connection
        let direction = packet.direction
        switch decoded {
        case .connect(let connect):
            connects[connection] = start(.connect, index)
            noteConnect(connect, connection: connection, at: index)
        case .connack:
            if let open = connects.removeValue(forKey: connection) { conversations[open].members.append(index) }
        case .publish(let publish):
            notePublish(publish, packet: packet, at: index)
            guard let id = publish.packetID, publish.qos != .atMostOnce else { return }
            let key = ExchangeKey(connection: connection, requestDirection: direction, family: 3, packetID: id)
            if let open = exchanges[key], open.expected == .pubrec || open.expected == .puback, publish.dup {
                conversations[open.conversation].members.append(index)  // a resend of the same message
                return
            }
            let kind: Conversation.Kind = publish.qos == .exactlyOnce ? .qos2 : .qos1
            exchanges[key] = Open(conversation: start(kind, index, packetID: id), expected: publish.qos == .exactlyOnce ? .pubrec : .puback)
        case .puback(let ack), .pubrec(let ack), .pubcomp(let ack):
            advance(family: 3, id: ack.packetID, type: decoded.type, packet: packet, at: index)
        case .pubrel(let ack):
            advance(family: 3, id: ack.packetID, type: .pubrel, packet: packet, at: index)
        case .subscribe(let subscribe):
            open(family: 8, kind: .subscribe, id: subscribe.packetID, expected: .suback, packet: packet, at: index)
        case .suback(let suback):
            advance(family: 8, id: suback.packetID, type: .suback, packet: packet, at: index)
        case .unsubscribe(let unsubscribe):
            open(family: 10, kind: .unsubscribe, id: unsubscribe.packetID, expected: .unsuback, packet: packet, at: index)
        case .unsuback(let unsuback):
            advance(family: 10, id: unsuback.packetID, type: .unsuback, packet: packet, at: index)
        case .pingreq:
            pings[connection] = start(.ping, index)
        case .pingresp:
            if let open = pings.removeValue(forKey: connection) { conversations[open].members.append(index) }
        case .disconnect:
            if direction == .toClient, let takeOver = takeOverOf.removeValue(forKey: connection) {
                conversations[takeOver].members.append(index)
            } else if direction != .toClient {
                sessions[connection]?.closedByClient = true
            }
        case .auth:
            break
        }
    }

    private mutating func open(family: Int, kind: Conversation.Kind, id: UInt16, expected: PacketType, packet: InspectedPacket, at index: Int) {
        let key = ExchangeKey(connection: packet.connection, requestDirection: packet.direction, family: family, packetID: id)
        exchanges[key] = Open(conversation: start(kind, index, packetID: id), expected: expected)
    }

    /// Adds an acknowledgement to the exchange it answers and moves that exchange on (PUBREC → PUBREL → PUBCOMP).
    private mutating func advance(family: Int, id: UInt16, type: PacketType, packet: InspectedPacket, at index: Int) {
        // The request travelled the other way for PUBACK/PUBREC/PUBCOMP/SUBACK/UNSUBACK, the same way for PUBREL.
        let requestDirection = type == .pubrel ? packet.direction : packet.direction.opposite
        let key = ExchangeKey(connection: packet.connection, requestDirection: requestDirection, family: family, packetID: id)
        guard var open = exchanges[key], open.expected == type || (type == .pubrel && open.expected == .pubcomp) else { return }
        conversations[open.conversation].members.append(index)
        switch type {
        case .pubrec:
            open.expected = .pubrel
            exchanges[key] = open
        case .pubrel:
            open.expected = .pubcomp  // a resent PUBREL (after a reconnect) joins too
            exchanges[key] = open
        default:
            exchanges[key] = nil
        }
    }

    private mutating func noteConnect(_ connect: Connect, connection: Int, at index: Int) {
        if !connect.clientID.isEmpty, let previous = latestConnection[connect.clientID], previous != connection,
           let old = sessions[previous], !old.closedByClient {
            let takeOver = start(.takeOver, old.connectIndex)
            conversations[takeOver].members.append(index)
            takeOverOf[previous] = takeOver
        }
        if !connect.clientID.isEmpty { latestConnection[connect.clientID] = connection }
        sessions[connection] = Session(connection: connection, connectIndex: index, will: connect.will)
    }

    /// Deliveries (a PUBLISH in, its copies out) and wills (a will's topic and message going out).
    private mutating func notePublish(_ publish: Publish, packet: InspectedPacket, at index: Int) {
        let key = DeliveryKey(topic: publish.topic, payload: publish.payload)
        switch packet.direction {
        case .toBroker:
            if !publish.dup || deliveries[key] == nil { deliveries[key] = start(.delivery, index) }
        case .toClient:
            if let open = deliveries[key], conversations[open].members.last.map({ $0 < index }) ?? false {
                conversations[open].members.append(index)
                return
            }
            // No PUBLISH in carried it: a will of a connection that ended without DISCONNECT?
            for (connection, session) in sessions where connection != packet.connection && !session.closedByClient {
                guard let will = session.will, will.topic == publish.topic, will.payload == publish.payload else { continue }
                let conversation = session.willConversation ?? start(.will, session.connectIndex)
                conversations[conversation].members.append(index)
                sessions[connection]?.willConversation = conversation
                return
            }
        case .unknown:
            break
        }
    }
}

/// The conversations of a list, looked up by packet.
struct ConversationIndex: Sendable {
    let conversations: [Conversation]
    private let byPacket: [Int: [Int]]

    init(_ packets: [InspectedPacket]) {
        conversations = ConversationLinker.link(packets)
        var byPacket: [Int: [Int]] = [:]
        for (number, conversation) in conversations.enumerated() {
            for member in conversation.members { byPacket[member, default: []].append(number) }
        }
        self.byPacket = byPacket
    }

    /// The conversations packet `index` takes part in, most specific first (an exchange before a delivery).
    func conversations(of index: Int) -> [Conversation] {
        (byPacket[index] ?? []).map { conversations[$0] }.sorted { rank($0.kind) < rank($1.kind) }
    }

    private func rank(_ kind: Conversation.Kind) -> Int {
        switch kind {
        case .qos2, .qos1, .subscribe, .unsubscribe, .connect, .ping: 0
        case .takeOver, .will: 1
        case .delivery: 2
        }
    }
}
