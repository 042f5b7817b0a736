import MQTTCodec

/// A realistic mixed stream of packets for the decode benchmark: sessions that connect, subscribe,
/// publish sensor readings at QoS 0/1/2 with their acknowledgements, ping and disconnect, in both
/// protocol versions, with payloads from a few bytes to a kilobyte.
struct MixedStream {
    struct Packet {
        var bytes: [UInt8]
        var version: ProtocolVersion
        var fromClient: Bool
    }

    /// A deterministic generator, so every run measures the same bytes.
    private struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    static func make(sessions: Int, publishesPerSession: Int) -> [Packet] {
        var random = Generator(state: 0x4D51_5454)
        var packets: [Packet] = []
        let rooms = ["cocina", "salon", "dormitorio", "garaje", "jardin"]
        let measures = ["temperatura", "humedad", "luz", "co2"]
        for session in 0..<sessions {
            let version: ProtocolVersion = session % 2 == 0 ? .v3_1_1 : .v5_0
            func add(_ packet: MQTTCodec.Packet, fromClient: Bool) {
                // The generator only builds valid models; encoding them cannot fail.
                guard let bytes = try? packet.encode(version: version) else { return }
                packets.append(Packet(bytes: bytes, version: version, fromClient: fromClient))
            }
            let v5Properties: Properties = version.isV5 ? [.sessionExpiryInterval(3600), .receiveMaximum(20)] : []
            add(.connect(Connect(version: version, clientID: "sensor-\(session)", cleanStart: session % 3 != 0, keepAlive: 60,
                                 will: Connect.Will(topic: "casa/estado/sensor-\(session)", payload: Array("offline".utf8), qos: .atLeastOnce, retain: true),
                                 username: "alumno", password: Array("secreto".utf8), properties: v5Properties)), fromClient: true)
            add(.connack(ConnAck(sessionPresent: false, reasonCode: .success, properties: version.isV5 ? [.topicAliasMaximum(10)] : [])), fromClient: false)
            add(.subscribe(Subscribe(packetID: 1, subscriptions: [
                Subscribe.Subscription(filter: "casa/+/temperatura", qos: .atLeastOnce),
                Subscribe.Subscription(filter: "casa/salon/#", qos: .exactlyOnce),
            ])), fromClient: true)
            add(.suback(SubAck(packetID: 1, reasonCodes: [.grantedQoS1, .grantedQoS2])), fromClient: false)
            var nextID: UInt16 = 2
            for _ in 0..<publishesPerSession {
                let topic = "casa/\(rooms[random.below(rooms.count)])/\(measures[random.below(measures.count)])"
                let sizeRoll = random.below(100)
                let size = sizeRoll < 70 ? 4 + random.below(60) : sizeRoll < 95 ? 256 : 1024
                let payload = (0..<size).map { _ in UInt8(0x30 + random.below(10)) }
                let roll = random.below(10)
                let qos: QoS = roll < 6 ? .atMostOnce : roll < 9 ? .atLeastOnce : .exactlyOnce
                let id: UInt16? = qos == .atMostOnce ? nil : nextID
                if qos != .atMostOnce { nextID = nextID == UInt16.max ? 1 : nextID + 1 }
                var properties: Properties = []
                if version.isV5 && random.below(3) == 0 {
                    properties = [.messageExpiryInterval(120), .contentType("text/plain"), .userProperty(name: "unidad", value: "C")]
                }
                add(.publish(Publish(topic: topic, payload: payload, qos: qos, retain: random.below(10) == 0, packetID: id,
                                     properties: properties)), fromClient: true)
                switch qos {
                case .atMostOnce: break
                case .atLeastOnce: add(.puback(PublishAck(packetID: id ?? 1)), fromClient: false)
                case .exactlyOnce:
                    add(.pubrec(PublishAck(packetID: id ?? 1)), fromClient: false)
                    add(.pubrel(PublishAck(packetID: id ?? 1)), fromClient: true)
                    add(.pubcomp(PublishAck(packetID: id ?? 1)), fromClient: false)
                }
                if random.below(20) == 0 {
                    add(.pingreq, fromClient: true)
                    add(.pingresp, fromClient: false)
                }
            }
            add(.disconnect(Disconnect()), fromClient: true)
        }
        return packets
    }
}
