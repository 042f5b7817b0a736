import MQTTCodec

/// Which way a packet travelled.
enum PacketDirection: Sendable, Hashable {
    case toBroker
    case toClient
    /// Hex typed or pasted: nobody said who sent it.
    case unknown

    var arrow: String {
        switch self {
        case .toBroker: "→"
        case .toClient: "←"
        case .unknown: "·"
        }
    }

    var opposite: PacketDirection {
        switch self {
        case .toBroker: .toClient
        case .toClient: .toBroker
        case .unknown: .unknown
        }
    }
}

/// One packet of the inspector's list: its dissection (the only source of meaning) and where it came from.
struct InspectedPacket: Sendable {
    /// 1-based position in the input, as the list and the plain output number packets.
    var number: Int
    /// Seconds since the Unix epoch, when the input says (captures and traces do, hex does not).
    var time: Double?
    /// The TCP connection (capture) or the broker's connection number (trace); 0 for hex.
    var connection: Int
    /// The client id of the connection's CONNECT, once known.
    var client: String?
    var direction: PacketDirection
    var dissection: Dissection
    /// Where the packet is in its input, for messages: "frame 12", "trace.jsonl:7", "byte 40".
    var origin: String

    var type: PacketType? { dissection.type }
    var packet: Packet? { dissection.packet }
    var isMalformed: Bool { dissection.error != nil }

    /// The topic of a PUBLISH, or the filters of a SUBSCRIBE/UNSUBSCRIBE: what `/` matches besides client and type.
    var topics: [String] {
        switch packet {
        case .publish(let publish): [publish.topic]
        case .subscribe(let subscribe): subscribe.subscriptions.map(\.filter)
        case .unsubscribe(let unsubscribe): unsubscribe.filters
        case .connect(let connect): connect.will.map { [$0.topic] } ?? []
        default: []
        }
    }
}

/// The packets of one input, plus what a user should know about it (skipped connections, bad lines).
struct PacketList: Sendable {
    var packets: [InspectedPacket] = []
    var notes: [String] = []
    /// A short name of the input for the title line ("class.pcapng", "hex").
    var title: String

    /// Fills in `client` from each connection's CONNECT, for packets whose input did not name it
    /// (captures): every packet of a connection after its CONNECT gets the CONNECT's client id.
    mutating func nameClientsFromConnects() {
        var names: [Int: String] = [:]
        for index in packets.indices {
            if case .connect(let connect) = packets[index].packet, packets[index].direction != .toClient {
                names[packets[index].connection] = connect.clientID.isEmpty ? nil : connect.clientID
            }
            if packets[index].client == nil { packets[index].client = names[packets[index].connection] }
        }
    }
}
