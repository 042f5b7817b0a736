import MQTTBrokerCore
import MQTTCodec
import XCTest

/// Drives a `BrokerEngine` packet by packet with a fake clock, and keeps what it sends to each connection.
///
/// By default it hands PUBLISHes over with their encoded bytes, as the untraced broker does, so the
/// engine forwards them where it can; `forwardsWire: false` drives the model-only path a traced broker
/// uses. Forwarded PUBLISHes are decoded back into packets, so tests read one kind of outbox either way
/// (and `ForwardingEquivalenceTests` checks both paths give the same packets).
final class EngineHarness: BrokerObserver {
    let engine: BrokerEngine
    let forwardsWire: Bool
    /// PUBLISHes sent as forwarded bytes rather than as models.
    private(set) var forwardedCount = 0
    var clock = BrokerInstant.seconds(1000)
    private var nextID: UInt64 = 1
    /// Packets sent to each connection, oldest first, not yet taken by a test.
    var outbox: [ConnectionID: [Packet]] = [:]
    var closed: Set<ConnectionID> = []
    var events: [BrokerEvent] = []

    init(forwardsWire: Bool = true, _ configure: (inout BrokerConfiguration) -> Void = { _ in }) {
        self.forwardsWire = forwardsWire
        var configuration = BrokerConfiguration()
        configure(&configuration)
        engine = BrokerEngine(configuration: configuration)
        engine.observer = self
    }

    func broker(_ event: BrokerEvent) { events.append(event) }

    func feed(_ input: BrokerInput) {
        for action in engine.handle(input, at: clock) {
            switch action {
            case .send(let id, let packet):
                XCTAssertFalse(closed.contains(id), "sent \(packet.type) to closed connection \(id)")
                outbox[id, default: []].append(packet)
            case .forward(let id, let forwarded):
                XCTAssertFalse(closed.contains(id), "forwarded a PUBLISH to closed connection \(id)")
                let bytes = forwarded.encoded()
                XCTAssertEqual(bytes.count, forwarded.encodedCount)
                guard let packet = forwarded.decoded(version: forwarded.wire.isV5 ? .v5_0 : .v3_1_1) else {
                    XCTFail("forwarded bytes do not decode: \(bytes)")
                    continue
                }
                forwardedCount += 1
                outbox[id, default: []].append(packet)
            case .close(let id):
                closed.insert(id)
            }
        }
    }

    func open() -> ConnectionID {
        let id = ConnectionID(nextID)
        nextID += 1
        feed(.connected(id, remote: "127.0.0.1:\(40000 + nextID)"))
        return id
    }

    func send(_ packet: Packet, from id: ConnectionID) {
        if forwardsWire, case .publish(let publish) = packet, let version = engine.version(of: id),
           let bytes = try? packet.encode(version: version),
           let wire = PublishWire(bytes: bytes, version: version, publish: publish) {
            feed(.publish(id, publish, wire: wire))
        } else {
            feed(.packet(id, packet, size: 10))
        }
    }

    /// Opens a connection and connects; returns it and the CONNACK.
    @discardableResult
    func connect(_ clientID: String, version: ProtocolVersion = .v3_1_1, clean: Bool = true, keepAlive: UInt16 = 60,
                 will: Connect.Will? = nil, properties: Properties = []) -> (ConnectionID, ConnAck?) {
        let id = open()
        send(.connect(Connect(version: version, clientID: clientID, cleanStart: clean, keepAlive: keepAlive, will: will,
                              properties: properties)), from: id)
        // Keep what follows the CONNACK (a resumed session's messages) for the test to take.
        let packets = take(id)
        outbox[id] = Array(packets.dropFirst())
        guard case .connack(let connack) = packets.first else { return (id, nil) }
        return (id, connack)
    }

    /// Everything sent to a connection since the last call.
    func take(_ id: ConnectionID) -> [Packet] {
        defer { outbox[id] = [] }
        return outbox[id] ?? []
    }

    func publishes(_ id: ConnectionID) -> [Publish] {
        take(id).compactMap { if case .publish(let publish) = $0 { publish } else { nil } }
    }

    func subscribe(_ id: ConnectionID, _ filter: String, qos: QoS = .atLeastOnce, packetID: UInt16 = 1,
                   options: Subscribe.Options? = nil, properties: Properties = []) -> SubAck? {
        send(.subscribe(Subscribe(packetID: packetID, subscriptions: [Subscribe.Subscription(filter: filter, options: options ?? .init(qos: qos))],
                                  properties: properties)), from: id)
        let packets = take(id)
        // Retained messages may follow the SUBACK: put them back for the test to take.
        outbox[id] = Array(packets.dropFirst())
        guard case .suback(let suback) = packets.first else { return nil }
        return suback
    }

    func publish(_ id: ConnectionID, _ topic: String, _ payload: String, qos: QoS = .atMostOnce, retain: Bool = false,
                 packetID: UInt16? = nil, properties: Properties = []) {
        send(.publish(Publish(topic: topic, payload: Array(payload.utf8), qos: qos, retain: retain,
                              packetID: qos == .atMostOnce ? nil : (packetID ?? 1), properties: properties)), from: id)
    }

    func advance(seconds: Double) {
        clock = clock.adding(seconds: seconds)
        feed(.tick)
    }
}

extension Publish {
    var text: String { String(decoding: payload, as: UTF8.self) }
}
