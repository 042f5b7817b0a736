import MQTTCodec

/// Builds random *valid* packet models (deterministic from a seed), following the rules of
/// checklist §2 and §4: allowed properties per place, legal values, legal reason codes, topic-name
/// and topic-filter syntax.
struct ModelGenerator {
    var random: SeededGenerator

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
    mutating func pick<T>(_ options: [T]) -> T { options[int(0...(options.count - 1))] }

    /// Text pieces with 1- to 4-byte UTF-8, a BOM, a combining mark, spaces and `$`.
    static let alphabet = ["a", "b", "z", "Q", "0", "7", " ", "-", "_", "$", "é", "e\u{301}", "ñ", "€", "😀", "\u{FEFF}", "ü", "\u{7F}"]

    mutating func text(maxPieces: Int = 8) -> String {
        (0..<int(0...maxPieces)).map { _ in pick(Self.alphabet) }.joined()
    }

    mutating func bytes(max: Int = 16) -> [UInt8] {
        (0..<int(0...max)).map { _ in UInt8.random(in: 0...255, using: &random) }
    }

    /// A topic name: levels (possibly empty) without wildcards, at least one byte in all.
    mutating func topicName() -> String {
        while true {
            let name = (0..<int(1...4)).map { _ in text(maxPieces: 4) }.joined(separator: "/")
            if !name.utf8.isEmpty { return name }
        }
    }

    /// A valid topic filter; in 5.0 sometimes a shared one (never with No Local).
    mutating func topicFilter(shared: Bool) -> String {
        var levels: [String] = (0..<int(1...4)).map { _ in chance(25) ? "+" : text(maxPieces: 3) }
        if chance(30) { levels.append("#") }
        var filter = levels.joined(separator: "/")
        if filter.utf8.isEmpty { filter = "#" }
        if shared && chance(25) {
            var group = text(maxPieces: 3)
            if group.utf8.isEmpty { group = "g" }
            filter = "$share/\(group)/\(filter)"
        }
        return filter
    }

    mutating func property(_ id: PropertyIdentifier) -> Property {
        func u16(_ lowest: Int) -> UInt16 { UInt16(int(lowest...65_535)) }
        func u32(_ lowest: UInt32) -> UInt32 { UInt32.random(in: lowest...UInt32.max, using: &random) }
        func flag() -> UInt8 { UInt8(int(0...1)) }
        return switch id {
        case .payloadFormatIndicator: .payloadFormatIndicator(flag())
        case .messageExpiryInterval: .messageExpiryInterval(u32(0))
        case .contentType: .contentType(text())
        case .responseTopic: .responseTopic(topicName())
        case .correlationData: .correlationData(bytes())
        case .subscriptionIdentifier: .subscriptionIdentifier(UInt32(pick([1, 127, 128, 16_384, int(1...268_435_455)])))
        case .sessionExpiryInterval: .sessionExpiryInterval(pick([0, 0xFFFF_FFFF, u32(0)]))
        case .assignedClientIdentifier: .assignedClientIdentifier(text())
        case .serverKeepAlive: .serverKeepAlive(u16(0))
        case .authenticationMethod: .authenticationMethod(text())
        case .authenticationData: .authenticationData(bytes())
        case .requestProblemInformation: .requestProblemInformation(flag())
        case .willDelayInterval: .willDelayInterval(u32(0))
        case .requestResponseInformation: .requestResponseInformation(flag())
        case .responseInformation: .responseInformation(text())
        case .serverReference: .serverReference(text())
        case .reasonString: .reasonString(text(maxPieces: 20))
        case .receiveMaximum: .receiveMaximum(u16(1))
        case .topicAliasMaximum: .topicAliasMaximum(u16(0))
        case .topicAlias: .topicAlias(u16(1))
        case .maximumQoS: .maximumQoS(flag())
        case .retainAvailable: .retainAvailable(flag())
        case .userProperty: .userProperty(name: text(), value: text())
        case .maximumPacketSize: .maximumPacketSize(u32(1))
        case .wildcardSubscriptionAvailable: .wildcardSubscriptionAvailable(flag())
        case .subscriptionIdentifierAvailable: .subscriptionIdentifierAvailable(flag())
        case .sharedSubscriptionAvailable: .sharedSubscriptionAvailable(flag())
        }
    }

    /// A random property block for a place, using the checklist's allow-lists (not the codec's).
    mutating func properties(_ place: PropertyIdentifier.Place, requireMethod: Bool = false) -> Properties {
        let allowed = PropertyIdentifier.allCases.filter { PropertyTests.isAllowed($0, place) }
        var result: Properties = []
        for id in allowed where chance(35) {
            let copies = id == .userProperty ? int(1...3) : (id == .subscriptionIdentifier && place == .packet(.publish) ? int(1...2) : 1)
            for _ in 0..<copies { result.append(property(id)) }
        }
        result.shuffle(using: &random)
        let hasMethod = result.contains { $0.identifier == .authenticationMethod }
        if !hasMethod && (requireMethod || result.contains { $0.identifier == .authenticationData }) {
            result.insert(property(.authenticationMethod), at: int(0...result.count))
        }
        return result
    }

    mutating func packetID() -> UInt16 { UInt16(pick([1, 0xFFFF, int(1...65_535)])) }

    mutating func reasonCode(_ type: PacketType, _ version: ProtocolVersion) -> ReasonCode {
        if version.isV5 { return ReasonCode(pick(Array(hex(MalformedPacketTests.allowedReasonCodes[type]!)))) }
        switch type {
        case .connack: return ReasonCode(UInt8(int(0...5)))
        case .suback: return ReasonCode(pick([0, 1, 2, 0x80]))
        default: return .success
        }
    }

    mutating func packet(_ type: PacketType, _ version: ProtocolVersion) -> Packet {
        let v5 = version.isV5
        switch type {
        case .connect:
            var will: Connect.Will?
            if chance(50) {
                will = Connect.Will(topic: topicName(), payload: bytes(), qos: pick(QoS.allCases), retain: chance(50),
                                    properties: v5 ? properties(.will) : [])
            }
            let username: String? = chance(50) ? text() : nil
            // 3.1.1 forbids a password without a user name [MQTT-3.1.2-22]; 5.0 allows it.
            let password: [UInt8]? = (chance(50) && (v5 || username != nil)) ? bytes() : nil
            return .connect(Connect(version: version, clientID: text(), cleanStart: chance(50), keepAlive: UInt16(int(0...65_535)),
                                    will: will, username: username, password: password, properties: v5 ? properties(.packet(.connect)) : []))
        case .connack:
            // Session Present only on an accepted connection [MQTT-3.2.2-4] (3.1.1) / [MQTT-3.2.2-6] (5.0).
            let code = reasonCode(.connack, version)
            return .connack(ConnAck(sessionPresent: code == .success && chance(50), reasonCode: code,
                                    properties: v5 ? properties(.packet(.connack)) : []))
        case .publish:
            let qos = pick(QoS.allCases)
            var properties = v5 ? self.properties(.packet(.publish)) : []
            var topic = topicName()
            if v5 && chance(20) {
                // The alias form: empty topic, Topic Alias present [MQTT-3.3.2-8..12].
                topic = ""
                if !properties.contains(where: { $0.identifier == .topicAlias }) { properties.append(.topicAlias(UInt16(int(1...65_535)))) }
            }
            return .publish(Publish(topic: topic, payload: chance(10) ? bytes(max: 300) : bytes(), qos: qos, retain: chance(50),
                                    dup: qos != .atMostOnce && chance(50), packetID: qos == .atMostOnce ? nil : packetID(),
                                    properties: properties))
        case .puback, .pubrec, .pubrel, .pubcomp:
            let ack = PublishAck(packetID: packetID(), reasonCode: reasonCode(type, version), properties: v5 ? properties(.packet(type)) : [])
            return switch type {
            case .puback: .puback(ack)
            case .pubrec: .pubrec(ack)
            case .pubrel: .pubrel(ack)
            default: .pubcomp(ack)
            }
        case .subscribe:
            let subscriptions = (0..<int(1...4)).map { _ -> Subscribe.Subscription in
                let filter = topicFilter(shared: v5)
                guard v5 else { return .init(filter: filter, qos: pick(QoS.allCases)) }
                return .init(filter: filter, options: .init(qos: pick(QoS.allCases), noLocal: !TopicFilter.isShared(filter) && chance(50),
                                                            retainAsPublished: chance(50),
                                                            retainHandling: pick(Subscribe.Options.RetainHandling.allCases)))
            }
            return .subscribe(Subscribe(packetID: packetID(), subscriptions: subscriptions, properties: v5 ? properties(.packet(.subscribe)) : []))
        case .suback:
            return .suback(SubAck(packetID: packetID(), reasonCodes: (0..<int(1...4)).map { _ in reasonCode(.suback, version) },
                                  properties: v5 ? properties(.packet(.suback)) : []))
        case .unsubscribe:
            return .unsubscribe(Unsubscribe(packetID: packetID(), filters: (0..<int(1...4)).map { _ in topicFilter(shared: v5) },
                                            properties: v5 ? properties(.packet(.unsubscribe)) : []))
        case .unsuback:
            guard v5 else { return .unsuback(UnsubAck(packetID: packetID())) }
            return .unsuback(UnsubAck(packetID: packetID(), reasonCodes: (0..<int(1...4)).map { _ in reasonCode(.unsuback, version) },
                                      properties: properties(.packet(.unsuback))))
        case .pingreq: return .pingreq
        case .pingresp: return .pingresp
        case .disconnect:
            guard v5 else { return .disconnect(Disconnect()) }
            return .disconnect(Disconnect(reasonCode: reasonCode(.disconnect, version), properties: properties(.packet(.disconnect))))
        case .auth:
            // Remaining Length 0 (Success, nothing else), or a reason code with the method.
            if chance(15) { return .auth(Auth()) }
            return .auth(Auth(reasonCode: reasonCode(.auth, version), properties: properties(.packet(.auth), requireMethod: true)))
        }
    }

    mutating func packet(_ version: ProtocolVersion) -> Packet {
        let types = PacketType.allCases.filter { version.isV5 || $0 != .auth }
        return packet(pick(types), version)
    }
}
