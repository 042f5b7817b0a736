import MQTTCodec
import XCTest

/// What a malformed-packet case promises about its spec reference.
enum SpecExpectation: Sendable {
    /// The standard numbers this rule: `specID` must be exactly this.
    case id(String)
    /// The standard states the rule in unnumbered prose: `specID` must be nil, not a borrowed number.
    case unnumbered
    /// Not asserted (see the comment at the case).
    case unchecked
}

struct MalformedCase: Sendable {
    let name: String
    let version: ProtocolVersion
    let bytes: [UInt8]
    let violation: Violation
    let offset: Int
    let spec: SpecExpectation

    init(_ name: String, _ version: ProtocolVersion, _ bytes: [UInt8], _ violation: Violation, at offset: Int, _ spec: SpecExpectation) {
        self.name = name
        self.version = version
        self.bytes = bytes
        self.violation = violation
        self.offset = offset
        self.spec = spec
    }
}

/// A packet from its first byte and its body in hex; the Remaining Length is computed.
private func packet(_ first: UInt8, _ body: String) -> [UInt8] { Wire.packet(first, hex(body)) }

/// CONNECT variable header up to and including the keep alive, for a protocol level.
private let connect311 = "00 04 4D 51 54 54 04"
private let connect5 = "00 04 4D 51 54 54 05"
private let sharedA = "00 0A 24 73 68 61 72 65 2F 67 2F 61"  // "$share/g/a"

/// Offsets below count from the first byte of the packet; with a 1-byte Remaining Length the body
/// starts at offset 2.
enum Malformed {
    static let cases: [MalformedCase] = fixedHeader + connect + publish + subscribe + properties + lengths + reasonCodes + auth

    static let fixedHeader: [MalformedCase] = [
        MalformedCase("reserved packet type 0 (3.1.1)", .v3_1_1, hex("00 00"), .reservedPacketType(0), at: 0, .unnumbered),
        MalformedCase("reserved packet type 0 (5.0)", .v5_0, hex("00 00"), .reservedPacketType(0), at: 0, .unnumbered),
        MalformedCase("reserved packet type 0 with flags", .v5_0, hex("0F 00"), .reservedPacketType(0), at: 0, .unnumbered),
        MalformedCase("type 15 in 3.1.1", .v3_1_1, hex("F0 00"), .packetTypeNotInVersion(.auth, .v3_1_1), at: 0, .unnumbered),
        // Type 15 is reserved in 3.1.1 whatever its flags: there is no AUTH whose flags could be wrong.
        MalformedCase("type 15 with flags in 3.1.1", .v3_1_1, hex("F2 00"), .packetTypeNotInVersion(.auth, .v3_1_1), at: 0, .unnumbered),
        MalformedCase("type 15 in 3.1", .v3_1, hex("F0 00"), .packetTypeNotInVersion(.auth, .v3_1), at: 0, .unnumbered),
        // At most 4 bytes of Remaining Length; the limit is unnumbered prose in both versions
        // ([MQTT-1.5.5-1] is the shortest-form rule, a different one).
        MalformedCase("remaining length of 5 bytes (3.1.1)", .v3_1_1, hex("30 FF FF FF FF 01"), .remainingLengthTooLong, at: 1, .unnumbered),
        MalformedCase("remaining length of 5 bytes (5.0)", .v5_0, hex("30 80 80 80 80 00"), .remainingLengthTooLong, at: 1, .unnumbered),
        MalformedCase("PUBLISH QoS 3 [MQTT-3.3.1-4]", .v3_1_1, packet(0x36, "00 01 78 00 01"), .qos3, at: 0, .id("MQTT-3.3.1-4")),
        MalformedCase("PUBLISH QoS 3 retained (5.0) [MQTT-3.3.1-4]", .v5_0, packet(0x37, "00 01 78 00 01 00"), .qos3, at: 0, .id("MQTT-3.3.1-4")),
        MalformedCase("PUBLISH QoS 3 with DUP [MQTT-3.3.1-4]", .v5_0, packet(0x3E, "00 01 78 00 01 00"), .qos3, at: 0, .id("MQTT-3.3.1-4")),
        MalformedCase("DUP with QoS 0 [MQTT-3.3.1-2]", .v3_1_1, packet(0x38, "00 01 78"), .dupWithQoS0, at: 0, .id("MQTT-3.3.1-2")),
        MalformedCase("DUP with QoS 0 retained (5.0) [MQTT-3.3.1-2]", .v5_0, packet(0x39, "00 01 78 00"), .dupWithQoS0, at: 0, .id("MQTT-3.3.1-2")),
    ]

    static let connect: [MalformedCase] = [
        MalformedCase("reserved connect flag (3.1.1) [MQTT-3.1.2-3]", .v3_1_1, packet(0x10, "\(connect311) 03 00 3C 00 01 61"),
                      .reservedConnectFlag, at: 9, .id("MQTT-3.1.2-3")),
        MalformedCase("reserved connect flag (5.0) [MQTT-3.1.2-3]", .v5_0, packet(0x10, "\(connect5) 03 00 3C 00 00 01 61"),
                      .reservedConnectFlag, at: 9, .id("MQTT-3.1.2-3")),
        MalformedCase("will QoS without will flag (3.1.1) [MQTT-3.1.2-13]", .v3_1_1, packet(0x10, "\(connect311) 0A 00 3C 00 01 61"),
                      .willQoSWithoutWill, at: 9, .id("MQTT-3.1.2-13")),
        MalformedCase("will retain without will flag (3.1.1) [MQTT-3.1.2-15]", .v3_1_1, packet(0x10, "\(connect311) 22 00 3C 00 01 61"),
                      .willRetainWithoutWill, at: 9, .id("MQTT-3.1.2-15")),
        MalformedCase("will QoS without will flag (5.0) [MQTT-3.1.2-11]", .v5_0, packet(0x10, "\(connect5) 12 00 3C 00 00 01 61"),
                      .willQoSWithoutWill, at: 9, .id("MQTT-3.1.2-11")),
        MalformedCase("will retain without will flag (5.0) [MQTT-3.1.2-13]", .v5_0, packet(0x10, "\(connect5) 22 00 3C 00 00 01 61"),
                      .willRetainWithoutWill, at: 9, .id("MQTT-3.1.2-13")),
        MalformedCase("session present on a refused CONNACK (3.1.1) [MQTT-3.2.2-4]", .v3_1_1, packet(0x20, "01 05"),
                      .sessionPresentOnRefusal, at: 2, .id("MQTT-3.2.2-4")),
        MalformedCase("session present on a refused CONNACK (5.0) [MQTT-3.2.2-6]", .v5_0, packet(0x20, "01 87 00"),
                      .sessionPresentOnRefusal, at: 2, .id("MQTT-3.2.2-6")),
        MalformedCase("will QoS 3 (3.1.1) [MQTT-3.1.2-14]", .v3_1_1, packet(0x10, "\(connect311) 1E 00 3C 00 01 61 00 01 77 00 00"),
                      .willQoS3, at: 9, .id("MQTT-3.1.2-14")),
        MalformedCase("will QoS 3 (5.0) [MQTT-3.1.2-12]", .v5_0, packet(0x10, "\(connect5) 1E 00 3C 00 00 01 61 00 00 01 77 00 00"),
                      .willQoS3, at: 9, .id("MQTT-3.1.2-12")),
        MalformedCase("password without user name (3.1.1) [MQTT-3.1.2-22]", .v3_1_1, packet(0x10, "\(connect311) 42 00 3C 00 01 61 00 02 70 77"),
                      .passwordWithoutUsername, at: 9, .id("MQTT-3.1.2-22")),
        MalformedCase("wrong protocol name MQTX [MQTT-3.1.2-1]", .v3_1_1, packet(0x10, "00 04 4D 51 54 58 04 02 00 3C 00 01 61"),
                      .invalidProtocolName("MQTX"), at: 2, .id("MQTT-3.1.2-1")),
        MalformedCase("protocol name is case-sensitive [MQTT-3.1.2-1]", .v5_0, packet(0x10, "00 04 6D 71 74 74 05 02 00 3C 00 00 01 61"),
                      .invalidProtocolName("mqtt"), at: 2, .id("MQTT-3.1.2-1")),
        MalformedCase("protocol level 6 [MQTT-3.1.2-2]", .v3_1_1, packet(0x10, "00 04 4D 51 54 54 06 02 00 3C 00 01 61"),
                      .unsupportedProtocolLevel(6), at: 8, .id("MQTT-3.1.2-2")),
        MalformedCase("protocol level 0 [MQTT-3.1.2-2]", .v5_0, packet(0x10, "00 04 4D 51 54 54 00 02 00 3C 00 01 61"),
                      .unsupportedProtocolLevel(0), at: 8, .id("MQTT-3.1.2-2")),
        MalformedCase("MQTT with level 3 [MQTT-3.1.2-1]", .v3_1_1, packet(0x10, "00 04 4D 51 54 54 03 02 00 3C 00 01 61"),
                      .protocolNameLevelMismatch(name: "MQTT", level: 3), at: 8, .id("MQTT-3.1.2-1")),
        MalformedCase("MQIsdp with level 4 [MQTT-3.1.2-1]", .v3_1_1, packet(0x10, "00 06 4D 51 49 73 64 70 04 02 00 3C 00 01 61"),
                      .protocolNameLevelMismatch(name: "MQIsdp", level: 4), at: 10, .id("MQTT-3.1.2-1")),
        MalformedCase("MQIsdp with level 5 [MQTT-3.1.2-1]", .v5_0, packet(0x10, "00 06 4D 51 49 73 64 70 05 02 00 3C 00 00 01 61"),
                      .protocolNameLevelMismatch(name: "MQIsdp", level: 5), at: 10, .id("MQTT-3.1.2-1")),
        MalformedCase("empty will topic [MQTT-4.7.3-1]", .v3_1_1, packet(0x10, "\(connect311) 06 00 3C 00 01 61 00 00 00 00"),
                      .emptyTopicName, at: 15, .id("MQTT-4.7.3-1")),
        // The will topic is a topic name: no wildcards. (The id names PUBLISH's rule; not asserted.)
        MalformedCase("wildcard in the will topic", .v3_1_1, packet(0x10, "\(connect311) 06 00 3C 00 01 61 00 03 61 2F 2B 00 00"),
                      .wildcardInTopicName, at: 19, .unchecked),
        MalformedCase("3.1.1 CONNACK remaining length 3", .v3_1_1, hex("20 03 00 00 00"), .invalidRemainingLength(.connack, 3), at: 1, .unnumbered),
        MalformedCase("3.1.1 CONNACK reserved flag bits", .v3_1_1, hex("20 02 02 00"), .reservedConnAckFlags(0x02), at: 2, .unnumbered),
        MalformedCase("5.0 CONNACK reserved flag bits [MQTT-3.2.2-1]", .v5_0, hex("20 03 80 00 00"), .reservedConnAckFlags(0x80), at: 2,
                      .id("MQTT-3.2.2-1")),
        MalformedCase("5.0 CONNACK without its property length", .v5_0, hex("20 02 00 00"), .truncated(.propertyLength, needed: 1, available: 0),
                      at: 4, .unnumbered),
    ]

    static let publish: [MalformedCase] = [
        MalformedCase("+ in a PUBLISH topic (3.1.1) [MQTT-3.3.2-2]", .v3_1_1, packet(0x30, "00 03 61 2F 2B 68 69"),
                      .wildcardInTopicName, at: 6, .id("MQTT-3.3.2-2")),
        MalformedCase("# as a PUBLISH topic (3.1.1) [MQTT-3.3.2-2]", .v3_1_1, packet(0x30, "00 01 23 68 69"),
                      .wildcardInTopicName, at: 4, .id("MQTT-3.3.2-2")),
        MalformedCase("+ inside a level, QoS 1 (5.0) [MQTT-3.3.2-2]", .v5_0, packet(0x32, "00 04 61 2B 2F 62 00 01 00"),
                      .wildcardInTopicName, at: 5, .id("MQTT-3.3.2-2")),
        MalformedCase("# in a PUBLISH topic (5.0) [MQTT-3.3.2-2]", .v5_0, packet(0x30, "00 03 23 2F 61 00"),
                      .wildcardInTopicName, at: 4, .id("MQTT-3.3.2-2")),
        MalformedCase("# in a Response Topic (5.0)", .v5_0, packet(0x30, "00 01 78 06 08 00 03 61 2F 23"),
                      .wildcardInTopicName, at: 11, .unchecked),
        MalformedCase("empty topic (3.1.1) [MQTT-4.7.3-1]", .v3_1_1, packet(0x30, "00 00 68 69"), .emptyTopicName, at: 2, .id("MQTT-4.7.3-1")),
        MalformedCase("empty topic QoS 1 (3.1.1) [MQTT-4.7.3-1]", .v3_1_1, packet(0x32, "00 00 00 01"), .emptyTopicName, at: 2, .id("MQTT-4.7.3-1")),
        MalformedCase("empty topic without alias (5.0) [MQTT-4.7.3-1]", .v5_0, packet(0x30, "00 00 00 68 69"), .emptyTopicName, at: 2,
                      .id("MQTT-4.7.3-1")),
        MalformedCase("empty topic with other properties but no alias (5.0)", .v5_0, packet(0x30, "00 00 02 01 01"), .emptyTopicName, at: 2,
                      .id("MQTT-4.7.3-1")),
        MalformedCase("PUBLISH QoS 1 packet id 0 (3.1.1) [MQTT-2.3.1-1]", .v3_1_1, packet(0x32, "00 01 78 00 00"),
                      .packetIdentifierZero, at: 5, .id("MQTT-2.3.1-1")),
        MalformedCase("PUBLISH QoS 2 packet id 0 (5.0) [MQTT-2.2.1-3]", .v5_0, packet(0x34, "00 01 78 00 00 00"),
                      .packetIdentifierZero, at: 5, .id("MQTT-2.2.1-3")),
        // An ack of id 0 acknowledges nothing (mosquitto rejects it too); the numbered rule names only
        // SUBSCRIBE, UNSUBSCRIBE and PUBLISH, so the id is not asserted.
        MalformedCase("PUBACK packet id 0", .v3_1_1, hex("40 02 00 00"), .packetIdentifierZero, at: 2, .unchecked),
    ]

    static let subscribe: [MalformedCase] = [
        MalformedCase("SUBSCRIBE packet id 0 (3.1.1) [MQTT-2.3.1-1]", .v3_1_1, packet(0x82, "00 00 00 01 78 00"),
                      .packetIdentifierZero, at: 2, .id("MQTT-2.3.1-1")),
        MalformedCase("SUBSCRIBE packet id 0 (5.0) [MQTT-2.2.1-3]", .v5_0, packet(0x82, "00 00 00 00 01 78 00"),
                      .packetIdentifierZero, at: 2, .id("MQTT-2.2.1-3")),
        MalformedCase("UNSUBSCRIBE packet id 0 (3.1.1) [MQTT-2.3.1-1]", .v3_1_1, packet(0xA2, "00 00 00 01 78"),
                      .packetIdentifierZero, at: 2, .id("MQTT-2.3.1-1")),
        MalformedCase("UNSUBSCRIBE packet id 0 (5.0) [MQTT-2.2.1-3]", .v5_0, packet(0xA2, "00 00 00 00 01 78"),
                      .packetIdentifierZero, at: 2, .id("MQTT-2.2.1-3")),
        MalformedCase("SUBSCRIBE QoS 3 (3.1.1) [MQTT-3.8.3-4]", .v3_1_1, packet(0x82, "00 01 00 01 78 03"),
                      .invalidSubscriptionQoS(3), at: 7, .id("MQTT-3.8.3-4")),
        // 5.0 calls Maximum QoS 3 a Protocol Error in unnumbered prose; [MQTT-3.8.3-5] is the reserved-bits rule.
        MalformedCase("SUBSCRIBE Maximum QoS 3 (5.0)", .v5_0, packet(0x82, "00 01 00 00 01 78 03"),
                      .invalidSubscriptionQoS(3), at: 8, .unnumbered),
        MalformedCase("SUBSCRIBE with no filters (3.1.1) [MQTT-3.8.3-3]", .v3_1_1, hex("82 02 00 01"), .emptySubscribe, at: 4, .id("MQTT-3.8.3-3")),
        MalformedCase("SUBSCRIBE with no filters (5.0) [MQTT-3.8.3-2]", .v5_0, hex("82 03 00 01 00"), .emptySubscribe, at: 5, .id("MQTT-3.8.3-2")),
        MalformedCase("UNSUBSCRIBE with no filters (3.1.1) [MQTT-3.10.3-2]", .v3_1_1, hex("A2 02 00 01"), .emptyUnsubscribe, at: 4,
                      .id("MQTT-3.10.3-2")),
        MalformedCase("UNSUBSCRIBE with no filters (5.0) [MQTT-3.10.3-2]", .v5_0, hex("A2 03 00 01 00"), .emptyUnsubscribe, at: 5,
                      .id("MQTT-3.10.3-2")),
        MalformedCase("reserved requested-QoS bits (3.1.1) [MQTT-3.8.3-4]", .v3_1_1, packet(0x82, "00 01 00 01 78 04"),
                      .reservedSubscriptionOptionBits(0x04), at: 7, .id("MQTT-3.8.3-4")),
        MalformedCase("reserved requested-QoS bits 0xF1 (3.1.1) [MQTT-3.8.3-4]", .v3_1_1, packet(0x82, "00 01 00 01 78 F1"),
                      .reservedSubscriptionOptionBits(0xF1), at: 7, .id("MQTT-3.8.3-4")),
        MalformedCase("reserved subscription option bit 6 (5.0) [MQTT-3.8.3-5]", .v5_0, packet(0x82, "00 01 00 00 01 78 40"),
                      .reservedSubscriptionOptionBits(0x40), at: 8, .id("MQTT-3.8.3-5")),
        MalformedCase("reserved subscription option bit 7 (5.0) [MQTT-3.8.3-5]", .v5_0, packet(0x82, "00 01 00 00 01 78 81"),
                      .reservedSubscriptionOptionBits(0x81), at: 8, .id("MQTT-3.8.3-5")),
        // Retain Handling 3 is a Protocol Error in unnumbered prose.
        MalformedCase("retain handling 3 (5.0)", .v5_0, packet(0x82, "00 01 00 00 01 78 30"), .invalidRetainHandling, at: 8, .unnumbered),
        MalformedCase("No Local on $share/ (5.0) [MQTT-3.8.3-4]", .v5_0, packet(0x82, "00 01 00 \(sharedA) 04"),
                      .noLocalOnSharedSubscription, at: 17, .id("MQTT-3.8.3-4")),
        MalformedCase("bit 2 on $share/ in 3.1.1 is a reserved bit [MQTT-3.8.3-4]", .v3_1_1, packet(0x82, "00 01 \(sharedA) 04"),
                      .reservedSubscriptionOptionBits(0x04), at: 16, .id("MQTT-3.8.3-4")),
        MalformedCase("filter a# (3.1.1) [MQTT-4.7.1-2]", .v3_1_1, packet(0x82, "00 01 00 02 61 23 00"),
                      .invalidTopicFilter(.multiLevelWildcardNotAlone), at: 7, .id("MQTT-4.7.1-2")),
        MalformedCase("filter a# (5.0) [MQTT-4.7.1-1]", .v5_0, packet(0x82, "00 01 00 00 02 61 23 00"),
                      .invalidTopicFilter(.multiLevelWildcardNotAlone), at: 8, .id("MQTT-4.7.1-1")),
        MalformedCase("filter a/#/b (3.1.1) [MQTT-4.7.1-2]", .v3_1_1, packet(0x82, "00 01 00 05 61 2F 23 2F 62 00"),
                      .invalidTopicFilter(.multiLevelWildcardNotLast), at: 8, .id("MQTT-4.7.1-2")),
        MalformedCase("filter a/#/b (5.0) [MQTT-4.7.1-1]", .v5_0, packet(0x82, "00 01 00 00 05 61 2F 23 2F 62 00"),
                      .invalidTopicFilter(.multiLevelWildcardNotLast), at: 9, .id("MQTT-4.7.1-1")),
        MalformedCase("filter a+ (3.1.1) [MQTT-4.7.1-3]", .v3_1_1, packet(0x82, "00 01 00 02 61 2B 00"),
                      .invalidTopicFilter(.singleLevelWildcardNotAlone), at: 7, .id("MQTT-4.7.1-3")),
        MalformedCase("filter a+ (5.0) [MQTT-4.7.1-2]", .v5_0, packet(0x82, "00 01 00 00 02 61 2B 00"),
                      .invalidTopicFilter(.singleLevelWildcardNotAlone), at: 8, .id("MQTT-4.7.1-2")),
        MalformedCase("UNSUBSCRIBE filter a# (3.1.1) [MQTT-4.7.1-2]", .v3_1_1, packet(0xA2, "00 01 00 02 61 23"),
                      .invalidTopicFilter(.multiLevelWildcardNotAlone), at: 7, .id("MQTT-4.7.1-2")),
        MalformedCase("UNSUBSCRIBE filter a+ (5.0) [MQTT-4.7.1-2]", .v5_0, packet(0xA2, "00 01 00 00 02 61 2B"),
                      .invalidTopicFilter(.singleLevelWildcardNotAlone), at: 8, .id("MQTT-4.7.1-2")),
        MalformedCase("empty filter [MQTT-4.7.3-1]", .v3_1_1, packet(0x82, "00 01 00 00 00"),
                      .invalidTopicFilter(.empty), at: 4, .id("MQTT-4.7.3-1")),
        // Shared subscription form [MQTT-4.8.2-1] (a ShareName of at least one character) and
        // [MQTT-4.8.2-2] (no / + # in it, then "/" and a filter). The offset is the filter's first byte.
        MalformedCase("filter $share//x: empty share name (5.0) [MQTT-4.8.2-1]", .v5_0, packet(0x82, "00 01 00 00 09 24 73 68 61 72 65 2F 2F 78 00"),
                      .invalidTopicFilter(.emptyShareName), at: 7, .id("MQTT-4.8.2-1")),
        MalformedCase("filter $share/g: no filter after the share name (5.0) [MQTT-4.8.2-2]", .v5_0,
                      packet(0x82, "00 01 00 00 08 24 73 68 61 72 65 2F 67 00"),
                      .invalidTopicFilter(.invalidSharedSubscription), at: 7, .id("MQTT-4.8.2-2")),
        MalformedCase("filter $share/g/: empty filter after the share name (5.0) [MQTT-4.8.2-2]", .v5_0,
                      packet(0x82, "00 01 00 00 09 24 73 68 61 72 65 2F 67 2F 00"),
                      .invalidTopicFilter(.invalidSharedSubscription), at: 7, .id("MQTT-4.8.2-2")),
        MalformedCase("filter $share/g+/x: wildcard in the share name (5.0) [MQTT-4.8.2-2]", .v5_0,
                      packet(0x82, "00 01 00 00 0B 24 73 68 61 72 65 2F 67 2B 2F 78 00"),
                      .invalidTopicFilter(.invalidSharedSubscription), at: 7, .id("MQTT-4.8.2-2")),
        MalformedCase("filter $share/g/a# (5.0) [MQTT-4.7.1-1]", .v5_0, packet(0x82, "00 01 00 00 0B 24 73 68 61 72 65 2F 67 2F 61 23 00"),
                      .invalidTopicFilter(.multiLevelWildcardNotAlone), at: 17, .id("MQTT-4.7.1-1")),
    ]

    static let properties: [MalformedCase] = [
        MalformedCase("Session Expiry in PUBLISH", .v5_0, packet(0x30, "00 01 78 05 11 00 00 00 01"),
                      .propertyNotAllowed(.sessionExpiryInterval, .packet(.publish)), at: 6, .unnumbered),
        MalformedCase("Session Expiry in the will properties", .v5_0,
                      packet(0x10, "\(connect5) 06 00 3C 00 00 01 61 05 11 00 00 00 01 00 01 77 00 00"),
                      .propertyNotAllowed(.sessionExpiryInterval, .will), at: 17, .unnumbered),
        MalformedCase("Topic Alias in SUBSCRIBE", .v5_0, packet(0x82, "00 01 03 23 00 01 00 01 78 00"),
                      .propertyNotAllowed(.topicAlias, .packet(.subscribe)), at: 5, .unnumbered),
        MalformedCase("Receive Maximum twice", .v5_0, packet(0x10, "\(connect5) 02 00 3C 06 21 00 0A 21 00 0B 00 01 61"),
                      .duplicateProperty(.receiveMaximum), at: 16, .unnumbered),
        MalformedCase("Subscription Identifier twice in SUBSCRIBE", .v5_0, packet(0x82, "00 01 04 0B 01 0B 02 00 01 78 00"),
                      .duplicateProperty(.subscriptionIdentifier), at: 7, .unnumbered),
        MalformedCase("unknown property 0x7F", .v5_0, packet(0xE0, "00 02 7F 00"), .unknownProperty(0x7F), at: 4, .unnumbered),
        MalformedCase("unknown property 0x00", .v5_0, packet(0xE0, "00 01 00"), .unknownProperty(0x00), at: 4, .unnumbered),
        MalformedCase("unknown 2-byte property id 128", .v5_0, packet(0xE0, "00 02 80 01"), .unknownProperty(128), at: 4, .unnumbered),
        MalformedCase("Request Problem Information 2", .v5_0, packet(0x10, "\(connect5) 02 00 3C 02 17 02 00 01 61"),
                      .invalidPropertyValue(.requestProblemInformation, 2), at: 14, .unnumbered),
        MalformedCase("Payload Format Indicator 2", .v5_0, packet(0x30, "00 01 78 02 01 02"),
                      .invalidPropertyValue(.payloadFormatIndicator, 2), at: 7, .unnumbered),
        MalformedCase("Maximum QoS 2", .v5_0, packet(0x20, "00 00 02 24 02"), .invalidPropertyValue(.maximumQoS, 2), at: 6, .unnumbered),
        MalformedCase("Receive Maximum 0", .v5_0, packet(0x10, "\(connect5) 02 00 3C 03 21 00 00 00 01 61"),
                      .invalidPropertyValue(.receiveMaximum, 0), at: 14, .unnumbered),
        MalformedCase("Maximum Packet Size 0", .v5_0, packet(0x10, "\(connect5) 02 00 3C 05 27 00 00 00 00 00 01 61"),
                      .invalidPropertyValue(.maximumPacketSize, 0), at: 14, .unnumbered),
        MalformedCase("Topic Alias 0 [MQTT-3.3.2-8]", .v5_0, packet(0x30, "00 01 78 03 23 00 00"),
                      .invalidPropertyValue(.topicAlias, 0), at: 7, .id("MQTT-3.3.2-8")),
        MalformedCase("Subscription Identifier 0", .v5_0, packet(0x82, "00 01 02 0B 00 00 01 78 00"),
                      .invalidPropertyValue(.subscriptionIdentifier, 0), at: 6, .unnumbered),
        MalformedCase("property length overrunning the packet", .v5_0, packet(0xE0, "00 05 1F 00 01"),
                      .truncated(.properties, needed: 5, available: 3), at: 4, .unnumbered),
        MalformedCase("CONNACK property length overrunning the packet", .v5_0, packet(0x20, "00 00 0A 12 00 02 78 31"),
                      .truncated(.properties, needed: 10, available: 5), at: 5, .unnumbered),
        MalformedCase("reason string overrunning its property block", .v5_0, packet(0x40, "00 0A 80 04 1F 00 05 61 62 63 64 65"),
                      .truncated(.propertyString(.reasonString), needed: 5, available: 1), at: 9, .unnumbered),
        MalformedCase("authentication data without method in CONNECT", .v5_0, packet(0x10, "\(connect5) 02 00 3C 04 16 00 01 AA 00 01 61"),
                      .authenticationDataWithoutMethod, at: 13, .unnumbered),
        MalformedCase("authentication data without method in CONNACK", .v5_0, packet(0x20, "00 00 04 16 00 01 AA"),
                      .authenticationDataWithoutMethod, at: 5, .unnumbered),
        MalformedCase("authentication data without method in AUTH", .v5_0, packet(0xF0, "18 08 1F 00 01 78 16 00 01 AA"),
                      .authenticationDataWithoutMethod, at: 8, .unnumbered),
    ]

    static let lengths: [MalformedCase] = [
        MalformedCase("topic length overrunning the packet", .v3_1_1, packet(0x30, "00 05 61"), .truncated(.topic, needed: 5, available: 1),
                      at: 4, .unnumbered),
        MalformedCase("client id length overrunning the packet", .v3_1_1, packet(0x10, "\(connect311) 02 00 3C 00 09 61"),
                      .truncated(.clientID, needed: 9, available: 1), at: 14, .unnumbered),
        MalformedCase("3.1.1 PUBACK with a byte too many", .v3_1_1, hex("40 03 00 0A 00"), .trailingBytes(count: 1), at: 4, .unnumbered),
        MalformedCase("PINGREQ with a body", .v5_0, hex("C0 01 00"), .trailingBytes(count: 1), at: 2, .unnumbered),
        MalformedCase("bytes after the Remaining Length", .v3_1_1, hex("C0 00 00"), .trailingBytes(count: 1), at: 2, .unnumbered),
        MalformedCase("3.1.1 CONNECT with a byte after the client id", .v3_1_1, packet(0x10, "\(connect311) 02 00 3C 00 01 61 FF"),
                      .trailingBytes(count: 1), at: 15, .unnumbered),
        MalformedCase("3.1.1 DISCONNECT with a body", .v3_1_1, hex("E0 01 00"), .trailingBytes(count: 1), at: 2, .unnumbered),
        MalformedCase("3.1.1 UNSUBACK with a reason code", .v3_1_1, hex("B0 03 00 02 00"), .trailingBytes(count: 1), at: 4, .unnumbered),
        MalformedCase("5.0 PUBACK with a byte after its properties", .v5_0, packet(0x40, "00 0A 00 00 FF"), .trailingBytes(count: 1),
                      at: 6, .unnumbered),
        MalformedCase("5.0 AUTH with a byte after its properties", .v5_0, packet(0xF0, "18 04 15 00 01 4D FF"), .trailingBytes(count: 1),
                      at: 8, .unnumbered),
        MalformedCase("remaining length larger than the bytes given", .v3_1_1, hex("32 09 00 03 61 2F 62 00 0A 68"),
                      .truncated(.remainingLength, needed: 9, available: 8), at: 10, .unnumbered),
        MalformedCase("PINGREQ announcing 5 bytes", .v5_0, hex("C0 05"), .truncated(.remainingLength, needed: 5, available: 0), at: 2,
                      .unnumbered),
        MalformedCase("PUBACK cut inside its packet id", .v3_1_1, hex("40 02 00"), .truncated(.packetIdentifier, needed: 2, available: 1),
                      at: 2, .unnumbered),
        MalformedCase("only the type byte", .v3_1_1, hex("C0"), .truncated(.remainingLength, needed: 1, available: 0), at: 1, .unnumbered),
        MalformedCase("no bytes at all", .v5_0, [], .truncated(.packetTypeAndFlags, needed: 1, available: 0), at: 0, .unnumbered),
        MalformedCase("3.1.1 SUBACK without return codes", .v3_1_1, hex("90 02 00 01"), .truncated(.grantedQoS, needed: 1, available: 0),
                      at: 4, .unnumbered),
        MalformedCase("5.0 UNSUBACK without reason codes", .v5_0, hex("B0 03 00 01 00"),
                      .truncated(.reasonCode(.unsuback), needed: 1, available: 0), at: 5, .unnumbered),
    ]

    static let reasonCodes: [MalformedCase] = [
        MalformedCase("PUBACK 0x92 [MQTT-3.4.2-1]", .v5_0, hex("40 03 00 0A 92"), .invalidReasonCode(0x92, .puback), at: 4, .id("MQTT-3.4.2-1")),
        MalformedCase("PUBREC 0x92 [MQTT-3.5.2-1]", .v5_0, hex("50 03 00 0A 92"), .invalidReasonCode(0x92, .pubrec), at: 4, .id("MQTT-3.5.2-1")),
        MalformedCase("PUBREL 0x10 [MQTT-3.6.2-1]", .v5_0, hex("62 03 00 0A 10"), .invalidReasonCode(0x10, .pubrel), at: 4, .id("MQTT-3.6.2-1")),
        MalformedCase("PUBCOMP 0x80 [MQTT-3.7.2-1]", .v5_0, hex("70 03 00 0A 80"), .invalidReasonCode(0x80, .pubcomp), at: 4, .id("MQTT-3.7.2-1")),
        MalformedCase("CONNACK 0x04 [MQTT-3.2.2-8]", .v5_0, hex("20 03 00 04 00"), .invalidReasonCode(0x04, .connack), at: 3, .id("MQTT-3.2.2-8")),
        MalformedCase("SUBACK 0x03 [MQTT-3.9.3-2]", .v5_0, hex("90 04 00 01 00 03"), .invalidReasonCode(0x03, .suback), at: 5, .id("MQTT-3.9.3-2")),
        MalformedCase("UNSUBACK 0x01 [MQTT-3.11.3-2]", .v5_0, hex("B0 04 00 01 00 01"), .invalidReasonCode(0x01, .unsuback), at: 5,
                      .id("MQTT-3.11.3-2")),
        MalformedCase("DISCONNECT 0x01 [MQTT-3.14.2-1]", .v5_0, hex("E0 01 01"), .invalidReasonCode(0x01, .disconnect), at: 2, .id("MQTT-3.14.2-1")),
        MalformedCase("AUTH 0x01 [MQTT-3.15.2-1]", .v5_0, packet(0xF0, "01 04 15 00 01 4D"), .invalidReasonCode(0x01, .auth), at: 2,
                      .id("MQTT-3.15.2-1")),
        MalformedCase("3.1.1 CONNACK return code 6", .v3_1_1, hex("20 02 00 06"), .invalidReasonCode(6, .connack), at: 3, .unnumbered),
        MalformedCase("3.1.1 SUBACK return code 3 [MQTT-3.9.3-2]", .v3_1_1, hex("90 03 00 01 03"), .invalidReasonCode(3, .suback), at: 4,
                      .id("MQTT-3.9.3-2")),
        MalformedCase("3.1.1 SUBACK return code 0x81 [MQTT-3.9.3-2]", .v3_1_1, hex("90 04 00 01 00 81"), .invalidReasonCode(0x81, .suback),
                      at: 5, .id("MQTT-3.9.3-2")),
    ]

    static let auth: [MalformedCase] = [
        // Every AUTH must carry the Authentication Method [MQTT-4.12.0-5] (checklist §2.11).
        MalformedCase("AUTH 0x18 with empty properties", .v5_0, hex("F0 02 18 00"), .authWithoutMethod, at: 2, .id("MQTT-4.12.0-5")),
        MalformedCase("AUTH 0x18 without properties", .v5_0, hex("F0 01 18"), .authWithoutMethod, at: 2, .id("MQTT-4.12.0-5")),
        MalformedCase("AUTH with only a reason string", .v5_0, packet(0xF0, "18 04 1F 00 01 78"), .authWithoutMethod, at: 2,
                      .id("MQTT-4.12.0-5")),
    ]
}

final class MalformedPacketTests: XCTestCase {
    func testEveryCaseFailsWithTheExactViolationOffsetAndSpecID() {
        for testCase in Malformed.cases {
            guard let error = decodeError(testCase.bytes, testCase.version) else {
                XCTFail("\(testCase.name): decoded without error")
                continue
            }
            XCTAssertEqual(error.violation, testCase.violation, testCase.name)
            XCTAssertEqual(error.offset, testCase.offset, testCase.name)
            switch testCase.spec {
            case .id(let id): XCTAssertEqual(error.specID, id, testCase.name)
            case .unnumbered: XCTAssertNil(error.specID, testCase.name)
            case .unchecked: break
            }
        }
    }

    /// `dissect` never crashes on a malformed packet, reports the same error as `decode`, and still
    /// covers every byte exactly once, the part after the break being one `.malformed` field.
    func testEveryCaseDissectsWithFullCoverage() {
        for testCase in Malformed.cases {
            let dissection = PacketDecoder.dissect(testCase.bytes, version: testCase.version)
            XCTAssertNil(dissection.packet, testCase.name)
            XCTAssertEqual(dissection.error, decodeError(testCase.bytes, testCase.version), testCase.name)
            XCTAssertEqual(dissection.bytes, testCase.bytes, testCase.name)
            assertWellFormedDissection(dissection, testCase.name)
            let leaves = dissection.leaves
            let malformed = leaves.filter { $0.kind == .malformed }
            XCTAssertLessThanOrEqual(malformed.count, 1, testCase.name)
            if let tail = malformed.first {
                XCTAssertEqual(leaves.last?.kind, .malformed, "\(testCase.name): the malformed field must be the tail")
                XCTAssertEqual(tail.offset + tail.length, testCase.bytes.count, testCase.name)
                XCTAssertGreaterThan(tail.length, 0, testCase.name)
                XCTAssertEqual(tail.value, .bytes(Array(testCase.bytes[tail.offset...])), testCase.name)
            }
        }
    }

    func testErrorOffsetsPointIntoThePacketAndMessagesAreTranslated() {
        for testCase in Malformed.cases {
            guard let error = decodeError(testCase.bytes, testCase.version) else { continue }
            XCTAssertLessThanOrEqual(error.offset, testCase.bytes.count, testCase.name)
            let english = error.message(.en)
            let spanish = error.message(.es)
            XCTAssertFalse(english.isEmpty, testCase.name)
            XCTAssertNotEqual(english, spanish, testCase.name)
            XCTAssertTrue(english.contains("at byte \(error.offset)"), "\(testCase.name): \(english)")
            XCTAssertTrue(spanish.contains("en el byte \(error.offset)"), "\(testCase.name): \(spanish)")
            if let specID = error.specID { XCTAssertTrue(english.contains("[\(specID)]"), testCase.name) }
        }
    }

    /// The error carries the version whose rules were applied: CONNECT's own level, once it is read.
    func testVersionOfTheErrorIsTheRulesApplied() {
        // A 5.0 CONNECT read "as 3.1.1" breaks 5.0 rules: the error says 5.0.
        let bytes = packet(0x10, "\(connect5) 03 00 3C 00 00 01 61")
        XCTAssertEqual(decodeError(bytes, .v3_1_1)?.version, .v5_0)
        XCTAssertEqual(PacketDecoder.dissect(bytes, version: .v3_1_1).version, .v5_0)
        // The same reserved-flag CONNECT at level 4 is judged by 3.1.1 even when 5.0 was expected.
        XCTAssertEqual(decodeError(packet(0x10, "\(connect311) 03 00 3C 00 01 61"), .v5_0)?.version, .v3_1_1)
    }

    // MARK: Fixed-header flags for every type that has fixed flags

    /// Checklist §1.2: PUBREL, SUBSCRIBE and UNSUBSCRIBE must carry 0010, every other type but PUBLISH
    /// 0000 [MQTT-2.2.2-1] (3.1.1) / [MQTT-2.1.3-1] (5.0), with the per-packet restatements.
    static let requiredFlags: [PacketType: UInt8] = [
        .connect: 0, .connack: 0, .puback: 0, .pubrec: 0, .pubrel: 2, .pubcomp: 0, .subscribe: 2, .suback: 0,
        .unsubscribe: 2, .unsuback: 0, .pingreq: 0, .pingresp: 0, .disconnect: 0, .auth: 0,
    ]

    static func flagsSpecID(_ type: PacketType, _ version: ProtocolVersion) -> String {
        switch type {
        case .pubrel: "MQTT-3.6.1-1"
        case .subscribe: "MQTT-3.8.1-1"
        case .unsubscribe: "MQTT-3.10.1-1"
        case .disconnect: "MQTT-3.14.1-1"
        case .auth: "MQTT-3.15.1-1"
        default: version.isV5 ? "MQTT-2.1.3-1" : "MQTT-2.2.2-1"
        }
    }

    func testBadFixedHeaderFlagsForEveryTypeWithFixedFlags() {
        for version in [ProtocolVersion.v3_1_1, .v5_0] {
            for (type, required) in Self.requiredFlags {
                if type == .auth && !version.isV5 { continue }
                XCTAssertEqual(type.requiredFlags, required, "\(type)")
                for flags in UInt8(0)...15 {
                    let bytes = [type.rawValue << 4 | flags, 0x00]
                    let error = decodeError(bytes, version)
                    if flags == required {
                        if case .invalidFlags = error?.violation { XCTFail("\(type) \(flags) rejected for its flags") }
                        continue
                    }
                    XCTAssertEqual(error?.violation, .invalidFlags(type, expected: required, found: flags), "\(type) flags \(flags) \(version)")
                    XCTAssertEqual(error?.offset, 0)
                    XCTAssertEqual(error?.specID, Self.flagsSpecID(type, version), "\(type) \(version)")
                    XCTAssertEqual(error?.reasonCode, .malformedPacket, "\(type)")
                    assertWellFormedDissection(PacketDecoder.dissect(bytes, version: version), "\(type) flags \(flags)")
                }
            }
        }
    }

    /// PUBLISH flags carry DUP/QoS/RETAIN: every combination but QoS 3 and DUP-with-QoS-0 is legal.
    func testEveryLegalPublishFlagCombinationDecodes() throws {
        for flags in UInt8(0)...15 {
            let qos = (flags >> 1) & 3
            let body = hex("00 01 78") + (qos > 0 ? hex("00 07") : [])
            let bytes = Wire.packet(0x30 | flags, body)
            let error = decodeError(bytes, .v3_1_1)
            switch (qos, flags & 0x08 != 0) {
            case (3, _): XCTAssertEqual(error?.violation, .qos3, "\(flags)")
            case (0, true): XCTAssertEqual(error?.violation, .dupWithQoS0, "\(flags)")
            default:
                let publish = Publish(topic: "x", payload: [], qos: QoS(rawValue: qos)!, retain: flags & 1 != 0, dup: flags & 8 != 0,
                                      packetID: qos > 0 ? 7 : nil)
                XCTAssertEqual(try PacketDecoder.decode(bytes, version: .v3_1_1), .publish(publish), "\(flags)")
            }
        }
    }

    // MARK: Reason codes: every byte value against the checklist's per-packet lists (§3)

    static let allowedReasonCodes: [PacketType: String] = [
        .connack: "00 80 81 82 83 84 85 86 87 88 89 8A 8C 90 95 97 99 9A 9B 9C 9D 9F",
        .puback: "00 10 80 83 87 90 91 97 99",
        .pubrec: "00 10 80 83 87 90 91 97 99",
        .pubrel: "00 92",
        .pubcomp: "00 92",
        .suback: "00 01 02 80 83 87 8F 91 97 9E A1 A2",
        .unsuback: "00 11 80 83 87 8F 91",
        .disconnect: "00 04 80 81 82 83 87 89 8B 8C 8D 8E 8F 90 93 94 95 96 97 98 99 9A 9B 9C 9D 9E 9F A0 A1 A2",
        .auth: "00 18 19",
    ]

    /// The packet carrying `code`, and the offset of the code byte.
    static func carrier(_ type: PacketType, _ code: UInt8) -> (bytes: [UInt8], offset: Int) {
        switch type {
        case .connack: (hex("20 03 00") + [code, 0x00], 3)
        case .puback, .pubrec, .pubcomp: ([type.rawValue << 4, 0x03, 0x00, 0x0A, code], 4)
        case .pubrel: ([0x62, 0x03, 0x00, 0x0A, code], 4)
        case .suback: (hex("90 04 00 01 00") + [code], 5)
        case .unsuback: (hex("B0 04 00 01 00") + [code], 5)
        case .disconnect: ([0xE0, 0x01, code], 2)
        case .auth: ([0xF0, 0x06, code] + hex("04 15 00 01 4D"), 2)
        default: preconditionFailure("\(type) carries no reason code")
        }
    }

    func testEveryReasonCodeValueInEveryFivePacket() {
        for (type, list) in Self.allowedReasonCodes {
            let allowed = Set(hex(list))
            XCTAssertEqual(ReasonCode.allowedV5(in: type), allowed, "\(type)")
            for value in 0...255 {
                let code = UInt8(value)
                let (bytes, offset) = Self.carrier(type, code)
                switch decodeOutcome(bytes, .v5_0) {
                case .success(let packet):
                    XCTAssertTrue(allowed.contains(code), "\(type) accepted 0x\(String(code, radix: 16))")
                    XCTAssertEqual(Self.reasonCodes(of: packet), [ReasonCode(code)], "\(type)")
                case .failure(let error):
                    XCTAssertFalse(allowed.contains(code), "\(type) rejected 0x\(String(code, radix: 16)): \(error)")
                    XCTAssertEqual(error.violation, .invalidReasonCode(code, type))
                    XCTAssertEqual(error.offset, offset)
                }
            }
        }
    }

    /// 3.1.1 CONNACK return codes 0–5 (§2.2) and SUBACK 0, 1, 2, 0x80 [MQTT-3.9.3-2].
    func testEveryReturnCodeValueIn311() {
        for value in 0...255 {
            let code = UInt8(value)
            let connack = decodeOutcome(hex("20 02 00") + [code], .v3_1_1)
            if code <= 5 {
                XCTAssertEqual(try connack.get(), .connack(ConnAck(reasonCode: ReasonCode(code))))
            } else {
                XCTAssertEqual(decodeError(hex("20 02 00") + [code], .v3_1_1)?.violation, .invalidReasonCode(code, .connack))
            }
            let suback = hex("90 03 00 01") + [code]
            if [0, 1, 2, 0x80].contains(code) {
                XCTAssertEqual(try decodeOutcome(suback, .v3_1_1).get(), .suback(SubAck(packetID: 1, reasonCodes: [ReasonCode(code)])))
            } else {
                XCTAssertEqual(decodeError(suback, .v3_1_1)?.violation, .invalidReasonCode(code, .suback))
                XCTAssertEqual(decodeError(suback, .v3_1_1)?.offset, 4)
            }
        }
    }

    /// The reason code a 5.0 receiver sends: Malformed Packet for encoding errors, Protocol Error for
    /// broken rules (checklist §1.6, §2.5, §4).
    func testReasonCodesForViolations() {
        let expectations: [(Violation, ReasonCode)] = [
            (.unknownProperty(0x7F), .malformedPacket),
            (.propertyNotAllowed(.topicAlias, .packet(.subscribe)), .malformedPacket),
            (.duplicateProperty(.receiveMaximum), .protocolError),
            (.invalidPropertyValue(.receiveMaximum, 0), .protocolError),
            (.reservedSubscriptionOptionBits(0x40), .malformedPacket),
            (.invalidRetainHandling, .protocolError),
            (.invalidSubscriptionQoS(3), .protocolError),
            (.noLocalOnSharedSubscription, .protocolError),
            (.qos3, .malformedPacket),
            (.invalidUTF8, .malformedPacket),
            (.nullCharacter, .malformedPacket),
            (.invalidTopicFilter(.multiLevelWildcardNotLast), .topicFilterInvalid),
            (.wildcardInTopicName, .topicNameInvalid),
            (.emptyTopicName, .protocolError),
            (.invalidPropertyValue(.topicAlias, 0), .topicAliasInvalid),
            (.unsupportedProtocolLevel(6), .unsupportedProtocolVersion),
            (.packetTooLarge(size: 10, maximum: 5), .packetTooLarge),
            (.authenticationDataWithoutMethod, .protocolError),
            (.authWithoutMethod, .protocolError),
            (.passwordWithoutUsername, .protocolError),
        ]
        for (violation, code) in expectations {
            XCTAssertEqual(violation.reasonCode, code, "\(violation)")
        }
    }

    static func reasonCodes(of packet: Packet) -> [ReasonCode] {
        switch packet {
        case .connack(let connack): [connack.reasonCode]
        case .puback(let ack), .pubrec(let ack), .pubrel(let ack), .pubcomp(let ack): [ack.reasonCode]
        case .suback(let suback): suback.reasonCodes
        case .unsuback(let unsuback): unsuback.reasonCodes
        case .disconnect(let disconnect): [disconnect.reasonCode]
        case .auth(let auth): [auth.reasonCode]
        default: []
        }
    }
}
