import MQTTCodec
import XCTest

/// The 5.0 property catalogue (checklist §4), checked property by property and packet by packet: every
/// one of the 27 properties in every place a property block exists, allowed or not, once or twice,
/// with legal and illegal values. Packets are built by hand, not by the encoder.
final class PropertyTests: XCTestCase {
    typealias Place = PropertyIdentifier.Place

    /// Checklist §4 "Per-packet allow-lists", typed from the checklist, not from the code.
    static let allowed: [Place: String] = [
        .packet(.connect): "11 21 27 22 19 17 26 15 16",
        .will: "18 01 02 03 08 09 26",
        .packet(.connack): "11 21 24 25 27 12 22 1F 26 28 29 2A 13 1A 1C 15 16",
        .packet(.publish): "01 02 23 08 09 26 0B 03",
        .packet(.puback): "1F 26", .packet(.pubrec): "1F 26", .packet(.pubrel): "1F 26", .packet(.pubcomp): "1F 26",
        .packet(.suback): "1F 26", .packet(.unsuback): "1F 26",
        .packet(.subscribe): "0B 26",
        .packet(.unsubscribe): "26",
        .packet(.disconnect): "11 1F 26 1C",
        .packet(.auth): "15 16 1F 26",
    ]

    /// Checklist §4 "Type" column.
    static let wireTypes: [String: String] = [
        "B": "01 17 19 24 25 28 29 2A", "2": "13 21 22 23", "4": "02 11 18 27", "VBI": "0B",
        "S": "03 08 12 15 1A 1C 1F", "D": "09 16", "P": "26",
    ]

    static func isAllowed(_ id: PropertyIdentifier, _ place: Place) -> Bool {
        hex(allowed[place] ?? "").contains(id.rawValue)
    }

    static func wireType(_ id: PropertyIdentifier) -> String {
        wireTypes.first { hex($0.value).contains(id.rawValue) }!.key
    }

    /// A legal sample value on the wire, and the model it means.
    static func sample(_ id: PropertyIdentifier) -> (bytes: [UInt8], property: Property) {
        let bytes: [UInt8] = switch wireType(id) {
        case "B": [0x01]
        case "2": [0x00, 0x01]
        case "4": [0x00, 0x00, 0x00, 0x01]
        case "VBI": [0x01]
        case "S": Wire.string("s")
        case "D": Wire.binary([0x01])
        default: Wire.string("k") + Wire.string("v")
        }
        let property: Property = switch id {
        case .payloadFormatIndicator: .payloadFormatIndicator(1)
        case .messageExpiryInterval: .messageExpiryInterval(1)
        case .contentType: .contentType("s")
        case .responseTopic: .responseTopic("s")
        case .correlationData: .correlationData([1])
        case .subscriptionIdentifier: .subscriptionIdentifier(1)
        case .sessionExpiryInterval: .sessionExpiryInterval(1)
        case .assignedClientIdentifier: .assignedClientIdentifier("s")
        case .serverKeepAlive: .serverKeepAlive(1)
        case .authenticationMethod: .authenticationMethod("s")
        case .authenticationData: .authenticationData([1])
        case .requestProblemInformation: .requestProblemInformation(1)
        case .willDelayInterval: .willDelayInterval(1)
        case .requestResponseInformation: .requestResponseInformation(1)
        case .responseInformation: .responseInformation("s")
        case .serverReference: .serverReference("s")
        case .reasonString: .reasonString("s")
        case .receiveMaximum: .receiveMaximum(1)
        case .topicAliasMaximum: .topicAliasMaximum(1)
        case .topicAlias: .topicAlias(1)
        case .maximumQoS: .maximumQoS(1)
        case .retainAvailable: .retainAvailable(1)
        case .userProperty: .userProperty(name: "k", value: "v")
        case .maximumPacketSize: .maximumPacketSize(1)
        case .wildcardSubscriptionAvailable: .wildcardSubscriptionAvailable(1)
        case .subscriptionIdentifierAvailable: .subscriptionIdentifierAvailable(1)
        case .sharedSubscriptionAvailable: .sharedSubscriptionAvailable(1)
        }
        return ([id.rawValue] + bytes, property)
    }

    static let method: (bytes: [UInt8], property: Property) = (hex("15 00 01 4D"), .authenticationMethod("M"))

    /// Every place a property block exists, as (packet around a block, offset of the block).
    static let places: [Place] = [.packet(.connect), .will, .packet(.connack), .packet(.publish), .packet(.puback), .packet(.pubrec),
                                  .packet(.pubrel), .packet(.pubcomp), .packet(.subscribe), .packet(.suback), .packet(.unsubscribe),
                                  .packet(.unsuback), .packet(.disconnect), .packet(.auth)]

    /// The packet with `block` (length prefix included) as its property block, and the block's offset.
    static func carrier(_ place: Place, block: [UInt8]) -> (bytes: [UInt8], blockOffset: Int) {
        let (first, before, after): (UInt8, [UInt8], [UInt8]) = switch place {
        case .packet(.connect): (0x10, Wire.mqttName + hex("05 02 00 3C"), hex("00 01 61"))
        case .will: (0x10, Wire.mqttName + hex("05 06 00 3C 00 00 01 61"), hex("00 01 77 00 00"))
        case .packet(.connack): (0x20, hex("00 00"), [])
        case .packet(.publish): (0x30, hex("00 01 78"), hex("70"))
        case .packet(.puback): (0x40, hex("00 01 00"), [])
        case .packet(.pubrec): (0x50, hex("00 01 00"), [])
        case .packet(.pubrel): (0x62, hex("00 01 00"), [])
        case .packet(.pubcomp): (0x70, hex("00 01 00"), [])
        case .packet(.subscribe): (0x82, hex("00 01"), hex("00 01 78 00"))
        case .packet(.suback): (0x90, hex("00 01"), hex("00"))
        case .packet(.unsubscribe): (0xA2, hex("00 01"), hex("00 01 78"))
        case .packet(.unsuback): (0xB0, hex("00 01"), hex("00"))
        case .packet(.disconnect): (0xE0, hex("00"), [])
        case .packet(.auth): (0xF0, hex("18"), [])
        default: preconditionFailure("no property block in \(place)")
        }
        let body = before + block + after
        precondition(body.count < 128)
        return (Wire.packet(first, body), 2 + before.count)
    }

    static func properties(in packet: Packet, at place: Place) -> Properties? {
        switch (place, packet) {
        case (.will, .connect(let connect)): connect.will?.properties
        case (.packet(.connect), .connect(let connect)): connect.properties
        case (_, .connack(let connack)): connack.properties
        case (_, .publish(let publish)): publish.properties
        case (_, .puback(let ack)), (_, .pubrec(let ack)), (_, .pubrel(let ack)), (_, .pubcomp(let ack)): ack.properties
        case (_, .subscribe(let subscribe)): subscribe.properties
        case (_, .suback(let suback)): suback.properties
        case (_, .unsubscribe(let unsubscribe)): unsubscribe.properties
        case (_, .unsuback(let unsuback)): unsuback.properties
        case (_, .disconnect(let disconnect)): disconnect.properties
        case (_, .auth(let auth)): auth.properties
        default: nil
        }
    }

    /// Properties that must come first so the one under test is judged alone: AUTH needs its method,
    /// and Authentication Data needs a method wherever the method itself is allowed.
    static func prefix(for id: PropertyIdentifier, in place: Place) -> [(bytes: [UInt8], property: Property)] {
        if id == .authenticationMethod { return [] }
        if place == .packet(.auth) || (id == .authenticationData && isAllowed(.authenticationMethod, place)) { return [method] }
        return []
    }

    // MARK: Catalogue

    func testTheCatalogueMatchesTheChecklist() {
        XCTAssertEqual(PropertyIdentifier.allCases.count, 27)
        XCTAssertEqual(Set(Self.wireTypes.values.flatMap { hex($0) }), Set(PropertyIdentifier.allCases.map(\.rawValue)))
        for id in PropertyIdentifier.allCases {
            let expected: PropertyIdentifier.WireType = switch Self.wireType(id) {
            case "B": .byte
            case "2": .twoByteInteger
            case "4": .fourByteInteger
            case "VBI": .variableByteInteger
            case "S": .utf8String
            case "D": .binaryData
            default: .utf8StringPair
            }
            XCTAssertEqual(id.wireType, expected, "\(id)")
            XCTAssertEqual(id.isBoolean, Self.wireType(id) == "B", "\(id)")
            XCTAssertEqual(Self.sample(id).property.identifier, id)
            for place in Self.places {
                XCTAssertEqual(id.isAllowed(in: place), Self.isAllowed(id, place), "\(id) in \(place)")
                // Only User Property repeats, and Subscription Identifier in PUBLISH (checklist §1.6).
                let repeats = id == .userProperty || (id == .subscriptionIdentifier && place == .packet(.publish))
                XCTAssertEqual(id.mayRepeat(in: place), repeats, "\(id) in \(place)")
            }
            XCTAssertFalse(id.isAllowed(in: .packet(.pingreq)))
            XCTAssertFalse(id.isAllowed(in: .packet(.pingresp)))
        }
    }

    // MARK: Every property in every place

    func testEveryPropertyInEveryPlace() throws {
        for place in Self.places {
            for id in PropertyIdentifier.allCases {
                let prefix = Self.prefix(for: id, in: place)
                let sample = Self.sample(id)
                let content = prefix.flatMap(\.bytes) + sample.bytes
                let (bytes, blockOffset) = Self.carrier(place, block: Wire.properties(content))
                let propertyOffset = blockOffset + 1 + prefix.flatMap(\.bytes).count
                let context = "\(id) in \(place): \(hexString(bytes))"
                assertWellFormedDissection(PacketDecoder.dissect(bytes, version: .v5_0), context)
                switch decodeOutcome(bytes, .v5_0) {
                case .success(let packet):
                    XCTAssertTrue(Self.isAllowed(id, place), "accepted: \(context)")
                    XCTAssertEqual(Self.properties(in: packet, at: place), prefix.map(\.property) + [sample.property], context)
                    XCTAssertEqual(try packet.encode(version: .v5_0), bytes, "re-encoding \(context)")
                case .failure(let error):
                    XCTAssertFalse(Self.isAllowed(id, place), "rejected: \(context): \(error)")
                    XCTAssertEqual(error.violation, .propertyNotAllowed(id, place), context)
                    XCTAssertEqual(error.offset, propertyOffset, context)
                    XCTAssertEqual(error.reasonCode, .malformedPacket, context)
                }
            }
        }
    }

    /// Twice: a Protocol Error for all but User Property (anywhere) and Subscription Identifier (in
    /// PUBLISH only); the error points at the second copy.
    func testEveryAllowedPropertyTwice() throws {
        for place in Self.places {
            for id in PropertyIdentifier.allCases where Self.isAllowed(id, place) {
                let prefix = Self.prefix(for: id, in: place)
                let sample = Self.sample(id)
                let content = prefix.flatMap(\.bytes) + sample.bytes + sample.bytes
                let (bytes, blockOffset) = Self.carrier(place, block: Wire.properties(content))
                let context = "\(id) twice in \(place)"
                assertWellFormedDissection(PacketDecoder.dissect(bytes, version: .v5_0), context)
                let mayRepeat = id == .userProperty || (id == .subscriptionIdentifier && place == .packet(.publish))
                switch decodeOutcome(bytes, .v5_0) {
                case .success(let packet):
                    XCTAssertTrue(mayRepeat, "accepted: \(context)")
                    XCTAssertEqual(Self.properties(in: packet, at: place), prefix.map(\.property) + [sample.property, sample.property], context)
                case .failure(let error):
                    XCTAssertFalse(mayRepeat, "rejected: \(context): \(error)")
                    XCTAssertEqual(error.violation, .duplicateProperty(id), context)
                    XCTAssertEqual(error.offset, blockOffset + 1 + prefix.flatMap(\.bytes).count + sample.bytes.count, context)
                    XCTAssertEqual(error.reasonCode, .protocolError, context)
                }
            }
        }
    }

    /// Byte properties are 0/1 switches (Maximum QoS too: 0 or 1): 0 and 1 decode, 2 and 255 do not,
    /// the error pointing at the value byte.
    func testBytePropertiesAcceptOnlyZeroAndOne() throws {
        for place in Self.places {
            for id in PropertyIdentifier.allCases where Self.isAllowed(id, place) && Self.wireType(id) == "B" {
                for value in [UInt8(0), 1, 2, 255] {
                    let (bytes, blockOffset) = Self.carrier(place, block: Wire.properties(Self.prefix(for: id, in: place).flatMap(\.bytes) + [id.rawValue, value]))
                    let error = decodeError(bytes, .v5_0)
                    if value <= 1 {
                        XCTAssertNil(error, "\(id) = \(value) in \(place)")
                    } else {
                        XCTAssertEqual(error?.violation, .invalidPropertyValue(id, UInt64(value)), "\(id) in \(place)")
                        XCTAssertEqual(error?.offset, blockOffset + 2 + Self.prefix(for: id, in: place).flatMap(\.bytes).count, "\(id)")
                        XCTAssertEqual(error?.reasonCode, .protocolError)
                    }
                }
            }
        }
    }

    /// Zero is illegal for Receive Maximum, Maximum Packet Size, Topic Alias [MQTT-3.3.2-8] and
    /// Subscription Identifier; legal for every other integer property.
    func testZeroValues() throws {
        let zeroIsIllegal: Set<PropertyIdentifier> = [.receiveMaximum, .maximumPacketSize, .topicAlias, .subscriptionIdentifier]
        for place in Self.places {
            for id in PropertyIdentifier.allCases where Self.isAllowed(id, place) && ["2", "4", "VBI"].contains(Self.wireType(id)) {
                let width = ["2": 2, "4": 4, "VBI": 1][Self.wireType(id)]!
                let (bytes, blockOffset) = Self.carrier(place, block: Wire.properties([id.rawValue] + [UInt8](repeating: 0, count: width)))
                let error = decodeError(bytes, .v5_0)
                if zeroIsIllegal.contains(id) {
                    XCTAssertEqual(error?.violation, .invalidPropertyValue(id, 0), "\(id) in \(place)")
                    XCTAssertEqual(error?.offset, blockOffset + 2, "\(id) in \(place)")
                } else {
                    XCTAssertNil(error, "\(id) = 0 in \(place)")
                }
            }
        }
    }

    /// Largest values: four-byte integers up to 0xFFFFFFFF (Session Expiry "never"), two-byte up to 65535.
    func testLargestValues() throws {
        let bytes = Wire.packet(0x10, Wire.mqttName + hex("05 02 00 3C") +
                                Wire.properties(hex("11 FF FF FF FF 21 FF FF 27 FF FF FF FF 22 FF FF")) + hex("00 00"))
        let expected = Packet.connect(Connect(version: .v5_0, clientID: "", cleanStart: true, keepAlive: 60, properties: [
            .sessionExpiryInterval(0xFFFF_FFFF), .receiveMaximum(0xFFFF), .maximumPacketSize(0xFFFF_FFFF), .topicAliasMaximum(0xFFFF),
        ]))
        XCTAssertEqual(try PacketDecoder.decode(bytes, version: .v5_0), expected)
        XCTAssertEqual(try expected.encode(version: .v5_0), bytes)
    }

    /// A property whose value runs past the end of its block, though not past the packet.
    func testValueOverrunningTheBlockIsTruncation() {
        // Block of 2 bytes: 23 00 — Topic Alias needs 2 value bytes, 1 is inside the block.
        let bytes = Wire.packet(0x30, hex("00 01 78 02 23 00 01 70"))
        let error = decodeError(bytes, .v5_0)
        XCTAssertEqual(error?.violation, .truncated(.propertyNumber(.topicAlias), needed: 2, available: 1))
        XCTAssertEqual(error?.offset, 7)
    }

    /// PINGREQ and PINGRESP have no property block at all (checklist §4): a 5.0 PINGREQ with a
    /// "property length" byte is a PINGREQ with trailing bytes.
    func testPingHasNoPropertyBlock() {
        XCTAssertEqual(decodeError(hex("C0 01 00"), .v5_0)?.violation, .trailingBytes(count: 1))
        XCTAssertEqual(decodeError(hex("D0 01 00"), .v5_0)?.violation, .trailingBytes(count: 1))
    }

    /// User Properties keep their order, duplicates included [MQTT-3.3.2-18].
    func testUserPropertyOrderIsKept() throws {
        let pairs = [("b", "2"), ("a", "1"), ("b", "1"), ("b", "2")]
        let content: [UInt8] = pairs.flatMap { pair -> [UInt8] in [0x26] + Wire.string(pair.0) + Wire.string(pair.1) }
        let (bytes, _) = Self.carrier(.packet(.publish), block: Wire.properties(content))
        let packet = try PacketDecoder.decode(bytes, version: .v5_0)
        let decoded = Self.properties(in: packet, at: .packet(.publish))?.userProperties.map { "\($0.name)=\($0.value)" }
        XCTAssertEqual(decoded, ["b=2", "a=1", "b=1", "b=2"])
    }
}
