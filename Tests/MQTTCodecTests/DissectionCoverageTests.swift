import MQTTCodec
import XCTest

/// The dissection explains every byte exactly once, in order, with names a learner can read in
/// English and Spanish, and says the same thing the decoder decided.
final class DissectionCoverageTests: XCTestCase {
    func testEveryGoldenVectorIsCoveredExactlyOnce() {
        for vector in Golden.all {
            let dissection = PacketDecoder.dissect(vector.bytes, version: vector.version)
            assertWellFormedDissection(dissection, vector.name)
            XCTAssertNil(dissection.error, vector.name)
            XCTAssertEqual(dissection.packet, vector.packet, vector.name)
            XCTAssertEqual(dissection.packet, try? PacketDecoder.decode(vector.bytes, version: vector.version), vector.name)
            XCTAssertEqual(dissection.type, vector.packet.type, vector.name)
            XCTAssertEqual(dissection.bytes, vector.bytes, vector.name)
            XCTAssertFalse(dissection.leaves.contains { $0.kind == .malformed }, vector.name)
            for field in dissection.allFields {
                XCTAssertEqual(Array(dissection.raw(field)), Array(vector.bytes[field.range]), "\(vector.name) \(field.key)")
                if let note = field.note {
                    XCTAssertFalse(note.en.isEmpty || note.es.isEmpty, "\(vector.name) \(field.key)")
                }
            }
        }
    }

    /// Checklist §11's suggested explanation of the 5.0 will CONNECT, field by field with its offsets;
    /// strings and binary fields are split into their 2-byte length and their bytes, properties into
    /// identifier and value.
    func testTheChecklistWillConnectExplanation() throws {
        let vector = try XCTUnwrap(Golden.v5.first { $0.name.hasPrefix("5.0 CONNECT Session Expiry 3600") })
        let dissection = PacketDecoder.dissect(vector.bytes, version: .v5_0)
        let expected: [(Int, Int, String)] = [
            (0x00, 1, "mqtt.hdrflags"), (0x01, 1, "mqtt.len"),
            (0x02, 2, "mqtt.proto_len"), (0x04, 4, "mqtt.protoname"),
            (0x08, 1, "mqtt.ver"), (0x09, 1, "mqtt.conflags"), (0x0A, 2, "mqtt.kalive"),
            (0x0C, 1, "mqtt.property_len"), (0x0D, 1, "mqtt.property_id"), (0x0E, 4, "mqtt.prop_number"),
            (0x12, 2, "mqtt.clientid_len"), (0x14, 3, "mqtt.clientid"),
            (0x17, 1, "mqtt.property_len"), (0x18, 1, "mqtt.property_id"), (0x19, 4, "mqtt.prop_number"),
            (0x1D, 2, "mqtt.willtopic_len"), (0x1F, 1, "mqtt.willtopic"),
            (0x20, 2, "mqtt.willmsg_len"), (0x22, 3, "mqtt.willmsg"),
        ]
        XCTAssertEqual(dissection.leaves.map { "\($0.offset)+\($0.length) \($0.key)" }, expected.map { "\($0.0)+\($0.1) \($0.2)" })
        let values = dissection.leaves.map(\.value)
        XCTAssertEqual(values[1], .integer(35))
        XCTAssertEqual(values[3], .string("MQTT"))
        XCTAssertEqual(values[4], .integer(5))
        XCTAssertEqual(values[6], .integer(60))
        XCTAssertEqual(values[7], .integer(5))
        XCTAssertEqual(values[8], .integer(0x11))
        XCTAssertEqual(values[9], .integer(3600))
        XCTAssertEqual(values[11], .string("abc"))
        XCTAssertEqual(values[14], .integer(5))
        XCTAssertEqual(values[16], .string("w"))
        XCTAssertEqual(values[18], .bytes(Array("bye".utf8)))
        // Connect Flags 0000 1110: user name 0, password 0, will retain 0, will QoS 1, will 1, clean start 1, reserved 0.
        let flags = try XCTUnwrap(dissection.leaves.first { $0.kind == .connectFlags })
        XCTAssertEqual(flags.children.map(\.key), ["mqtt.conflag.uname", "mqtt.conflag.passwd", "mqtt.conflag.retain", "mqtt.conflag.qos",
                                                   "mqtt.conflag.willflag", "mqtt.conflag.cleansess", "mqtt.conflag.reserved"])
        XCTAssertEqual(flags.children.map(\.value), [.bool(false), .bool(false), .bool(false), .integer(1), .bool(true), .bool(true), .bool(false)])
        // The groups: the properties and the will properties, each spanning its length and its content.
        let groups = dissection.fields.filter { !$0.children.isEmpty && $0.mask == nil && $0.children.first?.mask == nil }
        XCTAssertEqual(groups.map(\.key), ["mqtt.properties", "mqtt.will_properties"])
        XCTAssertEqual(groups.map(\.range), [0x0C..<0x12, 0x17..<0x1D])
    }

    func testThePublishHeaderBits() throws {
        let bytes = hex("3B 07 00 01 78 12 34 68 69")  // DUP, QoS 1, RETAIN
        let dissection = PacketDecoder.dissect(bytes, version: .v3_1_1)
        XCTAssertEqual(dissection.leaves.map { "\($0.offset)+\($0.length) \($0.key)" },
                       ["0+1 mqtt.hdrflags", "1+1 mqtt.len", "2+2 mqtt.topic_len", "4+1 mqtt.topic", "5+2 mqtt.msgid", "7+2 mqtt.msg"])
        let header = dissection.leaves[0]
        XCTAssertEqual(header.children.map(\.key), ["mqtt.msgtype", "mqtt.dupflag", "mqtt.qos", "mqtt.retain"])
        XCTAssertEqual(header.children.map(\.mask), [0xF0, 0x08, 0x06, 0x01])
        XCTAssertEqual(header.children.map(\.value), [.integer(3), .bool(true), .integer(1), .bool(true)])
        XCTAssertEqual(dissection.leaves[4].value, .integer(0x1234))
        XCTAssertEqual(dissection.leaves[5].value, .bytes(Array("hi".utf8)))
    }

    /// The §11 5.0 SUBSCRIBE with options 0x1D: QoS 1, No Local, Retain As Published, Retain Handling 1.
    func testTheSubscriptionOptionBits() throws {
        let dissection = PacketDecoder.dissect(hex("82 0B 00 01 02 0B 07 00 03 61 2F 62 1D"), version: .v5_0)
        XCTAssertEqual(dissection.leaves.map { "\($0.offset)+\($0.length) \($0.key)" },
                       ["0+1 mqtt.hdrflags", "1+1 mqtt.len", "2+2 mqtt.msgid", "4+1 mqtt.property_len", "5+1 mqtt.property_id",
                        "6+1 mqtt.prop_number", "7+2 mqtt.topic_len", "9+3 mqtt.topic", "12+1 mqtt.subscription_options"])
        let options = dissection.leaves[8]
        let bits = Dictionary(uniqueKeysWithValues: options.children.map { ($0.key, $0.value) })
        XCTAssertEqual(bits["mqtt.subscription_options_qos"], .integer(1))
        XCTAssertEqual(bits["mqtt.subscription_options_nl"], .bool(true))
        XCTAssertEqual(bits["mqtt.subscription_options_rap"], .bool(true))
        XCTAssertEqual(bits["mqtt.subscription_options_retain"], .integer(1))
        XCTAssertEqual(bits["mqtt.subscription_options_reserved"], .integer(0))
        XCTAssertEqual(options.children.reduce(UInt8(0)) { $0 | ($1.mask ?? 0) }, 0xFF, "every bit of the byte is explained")
        let subscription = try XCTUnwrap(dissection.fields.first { $0.kind == .subscription })
        XCTAssertEqual(subscription.range, 7..<13)
    }

    /// Flag bytes explain all eight bits: header, connect flags, CONNACK flags, subscription options.
    func testFlagBytesExplainEveryBit() {
        for vector in Golden.all {
            let dissection = PacketDecoder.dissect(vector.bytes, version: vector.version)
            for field in dissection.allFields where field.children.contains(where: { $0.mask != nil }) {
                XCTAssertEqual(field.children.reduce(UInt8(0)) { $0 | ($1.mask ?? 0) }, 0xFF, "\(vector.name) \(field.key)")
            }
        }
    }

    func testConnAckFlagsAndReturnCode() {
        let present = PacketDecoder.dissect(hex("20 02 01 00"), version: .v3_1_1)
        XCTAssertEqual(present.leaves.map(\.key), ["mqtt.hdrflags", "mqtt.len", "mqtt.conack.flags", "mqtt.conack.val"])
        XCTAssertEqual(present.leaves[2].children.first { $0.kind == .sessionPresent }?.value, .bool(true))
        XCTAssertEqual(present.leaves[3].note?.en, "Connection accepted")
        let dissection = PacketDecoder.dissect(hex("20 02 00 05"), version: .v3_1_1)
        XCTAssertEqual(dissection.leaves[2].children.first { $0.kind == .sessionPresent }?.value, .bool(false))
        XCTAssertEqual(dissection.leaves[3].value, .integer(5))
        XCTAssertEqual(dissection.leaves[3].note?.en, "Refused: not authorized")
        let v5 = PacketDecoder.dissect(hex("20 03 00 87 00"), version: .v5_0)
        XCTAssertEqual(v5.leaves.map(\.key), ["mqtt.hdrflags", "mqtt.len", "mqtt.conack.flags", "mqtt.connack.reason_code", "mqtt.property_len"])
        XCTAssertEqual(v5.leaves[3].note?.en, "Not authorized")
    }

    /// 0x00 has three names in 5.0 (checklist §3): the dissection must pick the one of the packet.
    func testReasonCodeZeroIsNamedByPacket() {
        let rows: [(String, String)] = [("E0 01 00", "Normal disconnection"), ("90 04 00 01 00 00", "Granted QoS 0"), ("40 03 00 01 00", "Success")]
        for (bytes, name) in rows {
            let leaf = PacketDecoder.dissect(hex(bytes), version: .v5_0).leaves.first { $0.key.hasSuffix(".reason_code") }
            XCTAssertEqual(leaf?.note?.en, name, bytes)
        }
    }

    /// The malformed tail: where a packet breaks, what came before is still explained and the rest is
    /// one `.malformed` field.
    func testMalformedPacketsKeepWhatWasUnderstood() {
        // Wildcard in a 3.1.1 topic: the topic is shown, the payload after it is the malformed tail.
        let wildcard = PacketDecoder.dissect(hex("30 07 00 03 61 2F 2B 68 69"), version: .v3_1_1)
        XCTAssertEqual(wildcard.leaves.map { "\($0.offset)+\($0.length) \($0.key)" },
                       ["0+1 mqtt.hdrflags", "1+1 mqtt.len", "2+2 mqtt.topic_len", "4+3 mqtt.topic", "7+2 mqttlab.malformed"])
        XCTAssertEqual(wildcard.error?.offset, 6)
        XCTAssertNil(wildcard.packet)
        // QoS 3 breaks at the first byte: everything after it is the tail.
        let qos3 = PacketDecoder.dissect(hex("36 05 00 01 78 00 01"), version: .v3_1_1)
        XCTAssertEqual(qos3.leaves.map { "\($0.offset)+\($0.length) \($0.key)" }, ["0+1 mqtt.hdrflags", "1+6 mqttlab.malformed"])
        XCTAssertEqual(qos3.leaves[0].children.first { $0.kind == .qos }?.value, .integer(3))
        // A reserved type still gets its first byte explained.
        let reserved = PacketDecoder.dissect(hex("00 00"), version: .v5_0)
        XCTAssertNil(reserved.type)
        XCTAssertEqual(reserved.leaves.map(\.key), ["mqtt.hdrflags", "mqttlab.malformed"])
        // An unknown property inside a block: the block and the property group close where it broke.
        let unknown = PacketDecoder.dissect(hex("E0 04 00 02 7F 00"), version: .v5_0)
        XCTAssertEqual(unknown.leaves.map { "\($0.offset)+\($0.length) \($0.key)" },
                       ["0+1 mqtt.hdrflags", "1+1 mqtt.len", "2+1 mqtt.disconnect.reason_code", "3+1 mqtt.property_len",
                        "4+1 mqtt.property_id", "5+1 mqttlab.malformed"])
        // No bytes at all: nothing to explain, nothing left over.
        let empty = PacketDecoder.dissect([], version: .v3_1_1)
        XCTAssertTrue(empty.leaves.isEmpty)
        XCTAssertNotNil(empty.error)
    }

    // MARK: Keys: Wireshark's names where Wireshark has the field

    /// The MQTT field names of Wireshark's dissector (`tshark -G fields`, TShark 4.0.17). A key that is
    /// not one of these must be an `mqttlab.` name, so a learner never searches Wireshark in vain.
    static let wiresharkFields: Set<String> = [
        "mqtt.auth.reason_code", "mqtt.clientid", "mqtt.clientid_len", "mqtt.conack.flags", "mqtt.conack.flags.reserved",
        "mqtt.conack.flags.sp", "mqtt.conack.val", "mqtt.conflag.cleansess", "mqtt.conflag.passwd", "mqtt.conflag.qos",
        "mqtt.conflag.reserved", "mqtt.conflag.retain", "mqtt.conflag.uname", "mqtt.conflag.willflag", "mqtt.conflags",
        "mqtt.connack.reason_code", "mqtt.disconnect.reason_code", "mqtt.dupflag", "mqtt.hdr_reserved", "mqtt.hdrflags",
        "mqtt.illegal_topic_length", "mqtt.kalive", "mqtt.len", "mqtt.msg", "mqtt.msg_decoded_as", "mqtt.msg_text", "mqtt.msgid",
        "mqtt.msgtype", "mqtt.passwd", "mqtt.passwd_len", "mqtt.prop_key", "mqtt.prop_key_len", "mqtt.prop_number", "mqtt.prop_string",
        "mqtt.prop_string_len", "mqtt.prop_unknown", "mqtt.prop_value", "mqtt.prop_value_len", "mqtt.properties",
        "mqtt.property.content_type", "mqtt.property.max_qos", "mqtt.property.topic_alias", "mqtt.property_id", "mqtt.property_len",
        "mqtt.proto_len", "mqtt.protoname", "mqtt.puback.reason_code", "mqtt.pubcomp.reason_code", "mqtt.pubrec.reason_code",
        "mqtt.pubrel.reason_code", "mqtt.qos", "mqtt.retain", "mqtt.retain_reserved", "mqtt.sub.qos", "mqtt.suback.qos",
        "mqtt.suback.reason_code", "mqtt.subscription_options", "mqtt.subscription_options_nl", "mqtt.subscription_options_qos",
        "mqtt.subscription_options_rap", "mqtt.subscription_options_reserved", "mqtt.subscription_options_retain", "mqtt.topic",
        "mqtt.topic_len", "mqtt.unknown_topic_alias", "mqtt.unknown_version", "mqtt.unsuback.reason_code", "mqtt.username",
        "mqtt.username_len", "mqtt.ver", "mqtt.will_properties", "mqtt.willmsg", "mqtt.willmsg_len", "mqtt.willmsg_text",
        "mqtt.willtopic", "mqtt.willtopic_len",
    ]

    func testEveryKeyIsAWiresharkFieldOrAnMQTTLabOne() {
        for kind in Self.allKinds {
            // Only packets that carry a reason code have a reason-code field.
            if case .reasonCode(let type) = kind, MalformedPacketTests.allowedReasonCodes[type] == nil { continue }
            let key = kind.key
            XCTAssertTrue(Self.wiresharkFields.contains(key) || (key.hasPrefix("mqttlab.") && key.count > 8), "\(kind): \(key)")
        }
        // Reason codes of packets that carry one map to Wireshark's per-packet field.
        for type in [PacketType.connack, .puback, .pubrec, .pubrel, .pubcomp, .suback, .unsuback, .disconnect, .auth] {
            XCTAssertTrue(Self.wiresharkFields.contains(FieldKind.reasonCode(type).key), "\(type)")
        }
    }

    // MARK: Both languages

    /// Every field kind, built by hand because `FieldKind` carries values; `testEveryKindSeenIsListed`
    /// catches a kind added later and missing here.
    static var allKinds: [FieldKind] {
        var kinds: [FieldKind] = [
            .packetTypeAndFlags, .packetType, .dupFlag, .qos, .retain, .reservedFlags, .retainReserved, .remainingLength,
            .protocolNameLength, .protocolName, .protocolLevel, .connectFlags, .usernameFlag, .passwordFlag, .willRetainFlag,
            .willQoSFlag, .willFlag, .cleanStartFlag, .connectReservedFlag, .keepAlive, .clientIDLength, .clientID,
            .willTopicLength, .willTopic, .willPayloadLength, .willPayload, .usernameLength, .username, .passwordLength, .password,
            .connAckFlags, .sessionPresent, .connAckReservedFlags, .connectReturnCode, .topicLength, .topic, .packetIdentifier,
            .payload, .subscription, .requestedQoS, .subscriptionOptions, .optionMaximumQoS, .optionNoLocal,
            .optionRetainAsPublished, .optionRetainHandling, .optionReserved, .grantedQoS, .properties, .willProperties,
            .propertyLength, .propertyIdentifier, .contentType, .userPropertyNameLength, .userPropertyName,
            .userPropertyValueLength, .userPropertyValue, .malformed,
        ]
        kinds += PacketType.allCases.map { .reasonCode($0) }
        for id in PropertyIdentifier.allCases {
            kinds += [.property(id), .propertyNumber(id), .propertyStringLength(id), .propertyString(id)]
        }
        return kinds
    }

    func testEveryKindHasANameAndMeaningInBothLanguages() {
        for kind in Self.allKinds {
            for language in Language.allCases {
                XCTAssertFalse(kind.name.text(language).isEmpty, "\(kind) name \(language)")
                XCTAssertFalse(kind.meaning.text(language).isEmpty, "\(kind) meaning \(language)")
            }
            // A meaning is a sentence: it reads differently in Spanish, except pure notation.
            if kind != .protocolLevel {  // "3 = MQTT 3.1, 4 = 3.1.1, 5 = 5.0"
                XCTAssertNotEqual(kind.meaning.en, kind.meaning.es, "\(kind) meaning is not translated")
            }
        }
    }

    /// Names may legitimately stay the same ("QoS", "DUP", "keep alive"); these must not.
    func testSpanishNamesAreTranslated() {
        let sample: [FieldKind] = [
            .packetTypeAndFlags, .packetType, .remainingLength, .protocolNameLength, .protocolName, .protocolLevel, .connectFlags,
            .usernameFlag, .passwordFlag, .willFlag, .willTopic, .willPayload, .clientID, .username, .password, .sessionPresent,
            .connectReturnCode, .topic, .packetIdentifier, .payload, .subscription, .requestedQoS, .subscriptionOptions,
            .properties, .willProperties, .propertyLength, .propertyIdentifier, .malformed, .reasonCode(.puback),
            .property(.sessionExpiryInterval), .propertyString(.reasonString), .propertyStringLength(.reasonString),
            .userPropertyName, .userPropertyValue, .grantedQoS, .optionRetainHandling,
        ]
        for kind in sample {
            XCTAssertNotEqual(kind.name.en, kind.name.es, "\(kind)")
        }
        for id in PropertyIdentifier.allCases {
            XCTAssertNotEqual(id.name.en, id.name.es, "\(id)")
            XCTAssertNotEqual(id.purpose.en, id.purpose.es, "\(id)")
        }
        for type in PacketType.allCases {
            XCTAssertNotEqual(type.purpose.en, type.purpose.es, "\(type)")
        }
    }

    func testViolationMessagesAreTranslated() {
        let problems: [TopicFilterProblem] = [.empty, .multiLevelWildcardNotLast, .multiLevelWildcardNotAlone, .singleLevelWildcardNotAlone,
                                              .emptyShareName, .invalidSharedSubscription]
        for problem in problems {
            XCTAssertFalse(problem.message.en.isEmpty)
            XCTAssertNotEqual(problem.message.en, problem.message.es, "\(problem)")
        }
        for testCase in Malformed.cases {
            let message = testCase.violation.message
            XCTAssertFalse(message.en.isEmpty || message.es.isEmpty, testCase.name)
            XCTAssertNotEqual(message.en, message.es, testCase.name)
        }
    }

    /// Every kind that any dissection in this suite produces is in `allKinds`, so the language checks
    /// above see it.
    func testEveryKindSeenIsListed() {
        let all = Self.allKinds
        var dissections = Golden.all.map { PacketDecoder.dissect($0.bytes, version: $0.version) }
        dissections += Malformed.cases.map { PacketDecoder.dissect($0.bytes, version: $0.version) }
        for dissection in dissections {
            for field in dissection.allFields {
                XCTAssertTrue(all.contains(field.kind), "\(field.kind) missing from allKinds")
            }
        }
    }
}
