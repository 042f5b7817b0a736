import MQTTCodec
import XCTest

/// bytes → model equals the expected model, model → bytes equals the bytes, for every hand-written
/// vector in `Golden` (the §11 examples byte for byte included).
final class GoldenVectorTests: XCTestCase {
    func testEveryVectorDecodesToItsModel() {
        for vector in Golden.all {
            switch decodeOutcome(vector.bytes, vector.version) {
            case .success(let packet):
                XCTAssertEqual(packet, vector.packet, vector.name)
            case .failure(let error):
                XCTFail("\(vector.name): \(error)")
            }
        }
    }

    func testEveryModelEncodesToItsBytes() {
        for vector in Golden.all {
            do {
                let bytes = try vector.packet.encode(version: vector.version)
                XCTAssertEqual(hexString(bytes), hexString(vector.encoded), vector.name)
            } catch {
                XCTFail("\(vector.name): \(error)")
            }
        }
    }

    /// A non-canonical vector's shorter form must still mean the same packet.
    func testCanonicalFormsDecodeToTheSameModel() throws {
        let longer = Golden.all.filter { $0.canonical != nil }
        XCTAssertFalse(longer.isEmpty)
        for vector in longer {
            XCTAssertEqual(try PacketDecoder.decode(vector.encoded, version: vector.version), vector.packet, vector.name)
            XCTAssertLessThan(vector.encoded.count, vector.bytes.count, vector.name)
        }
    }

    /// Decoding with the wrong version for anything but CONNECT must not be needed for the vectors to
    /// make sense: the names carry the version, and the vectors really cover both versions.
    func testVectorsCoverEveryPacketTypeInBothVersions() {
        let types311 = Set(Golden.v311.map(\.packet.type))
        XCTAssertEqual(types311, Set(PacketType.allCases).subtracting([.auth]), "3.1.1 has 14 packet types")
        XCTAssertEqual(types311.count, 14)
        let types5 = Set(Golden.v5.map(\.packet.type))
        XCTAssertEqual(types5, Set(PacketType.allCases), "5.0 has 15 packet types, AUTH included")
        XCTAssertEqual(types5.count, 15)
        XCTAssertTrue(Golden.v31.contains { vector in
            if case .connect(let connect) = vector.packet { return connect.version == .v3_1 && vector.bytes[4...9].elementsEqual(utf8("MQIsdp")) }
            return false
        })
    }

    func testVectorsCarryEveryOneOfThe27Properties() {
        XCTAssertEqual(PropertyIdentifier.allCases.count, 27)
        var seen = Set<PropertyIdentifier>()
        for vector in Golden.v5 {
            for property in Self.properties(of: vector.packet) { seen.insert(property.identifier) }
        }
        XCTAssertEqual(seen, Set(PropertyIdentifier.allCases),
                       "missing: \(Set(PropertyIdentifier.allCases).subtracting(seen).map { String($0.rawValue, radix: 16) })")
    }

    /// The decoder takes the rules for CONNECT from the packet's own protocol level, whatever version it
    /// was told: a 5.0 CONNECT read "as 3.1.1" is still a 5.0 CONNECT, and the reverse.
    func testConnectUsesItsOwnProtocolLevel() throws {
        for vector in Golden.all {
            guard case .connect = vector.packet else { continue }
            for version in ProtocolVersion.allCases {
                XCTAssertEqual(try PacketDecoder.decode(vector.bytes, version: version), vector.packet, "\(vector.name) read as \(version)")
            }
        }
    }

    /// The 3.1.1 CONNECT variable header is always exactly 10 bytes (checklist §2.1).
    func testThe311ConnectVariableHeaderIsTenBytes() throws {
        let bytes = try Packet.connect(Connect(version: .v3_1_1, clientID: "")).encode(version: .v3_1_1)
        XCTAssertEqual(bytes.count, 2 + 10 + 2)
        XCTAssertEqual(Array(bytes[2..<8]), Wire.mqttName)
    }

    // MARK: Encoder edge cases the vectors do not show

    func testEncoderRefusesWhatCannotBeWritten() {
        XCTAssertThrowsError(try Packet.auth(Auth()).encode(version: .v3_1_1)) { error in
            XCTAssertEqual(error as? EncodeError, .notInVersion(.auth, .v3_1_1))
        }
        XCTAssertThrowsError(try Packet.publish(Publish(topic: "a", payload: [], qos: .atLeastOnce)).encode(version: .v3_1_1)) { error in
            XCTAssertEqual(error as? EncodeError, .missingPacketIdentifier)
        }
        let long = String(repeating: "a", count: 65_536)
        XCTAssertThrowsError(try Packet.publish(Publish(topic: long, payload: [])).encode(version: .v3_1_1)) { error in
            XCTAssertEqual(error as? EncodeError, .fieldTooLong(65_536))
        }
        XCTAssertThrowsError(try Packet.publish(Publish(topic: "a", payload: [], properties: [.subscriptionIdentifier(268_435_456)]))
            .encode(version: .v5_0))
        // 65,535 bytes is still a legal string.
        let longest = String(repeating: "a", count: 65_535)
        XCTAssertNoThrow(try Packet.publish(Publish(topic: longest, payload: [])).encode(version: .v3_1_1))
    }

    /// 3.1.1 packets carry no properties and no reason codes: the encoder leaves them out.
    func testV311EncodingIgnoresFiveOnlyFields() throws {
        let ack = PublishAck(packetID: 10, reasonCode: .unspecifiedError, properties: [.reasonString("x")])
        XCTAssertEqual(try Packet.puback(ack).encode(version: .v3_1_1), hex("40 02 00 0A"))
        XCTAssertEqual(try Packet.disconnect(Disconnect(reasonCode: .serverBusy)).encode(version: .v3_1_1), hex("E0 00"))
        XCTAssertEqual(try Packet.unsuback(UnsubAck(packetID: 2, reasonCodes: [.success])).encode(version: .v3_1_1), hex("B0 02 00 02"))
        let subscribe = Subscribe(packetID: 1, subscriptions: [
            .init(filter: "a/b", options: .init(qos: .atLeastOnce, noLocal: true, retainAsPublished: true, retainHandling: .doNotSend)),
        ])
        XCTAssertEqual(try Packet.subscribe(subscribe).encode(version: .v3_1_1), hex("82 08 00 01 00 03 61 2F 62 01"))
    }

    static func properties(of packet: Packet) -> Properties {
        switch packet {
        case .connect(let connect): connect.properties + (connect.will?.properties ?? [])
        case .connack(let connack): connack.properties
        case .publish(let publish): publish.properties
        case .puback(let ack), .pubrec(let ack), .pubrel(let ack), .pubcomp(let ack): ack.properties
        case .subscribe(let subscribe): subscribe.properties
        case .suback(let suback): suback.properties
        case .unsubscribe(let unsubscribe): unsubscribe.properties
        case .unsuback(let unsuback): unsuback.properties
        case .pingreq, .pingresp: []
        case .disconnect(let disconnect): disconnect.properties
        case .auth(let auth): auth.properties
        }
    }
}
