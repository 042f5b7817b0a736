import MQTTCodec

/// One hand-written packet: its bytes, written field by field from the layouts in
/// `mqtt-spec-checklist.md` §2 (and copied byte for byte from §11 where the name says so), and the
/// model those bytes mean.
struct GoldenVector: Sendable {
    let name: String
    let version: ProtocolVersion
    let bytes: [UInt8]
    let packet: Packet
    /// Nil when encoding `packet` must give `bytes` back exactly. Otherwise `bytes` is a valid but
    /// longer form the model cannot tell apart, and this is the shortest form the encoder must write.
    let canonical: [UInt8]?

    init(_ name: String, _ version: ProtocolVersion, _ segments: [String], _ packet: Packet, canonical: String? = nil) {
        self.name = name
        self.version = version
        self.bytes = hex(segments)
        self.packet = packet
        self.canonical = canonical.map { hex($0) }
    }

    init(_ name: String, _ version: ProtocolVersion, bytes: [UInt8], _ packet: Packet) {
        self.name = name
        self.version = version
        self.bytes = bytes
        self.packet = packet
        self.canonical = nil
    }

    /// What `packet.encode(version:)` must produce.
    var encoded: [UInt8] { canonical ?? bytes }
}

private let kv: Property = .userProperty(name: "k", value: "v")
private func text(_ string: String) -> [UInt8] { Array(string.utf8) }

enum Golden {
    // MARK: MQTT 3.1.1 — all 14 packet types

    static let v311: [GoldenVector] = [
        GoldenVector("3.1.1 CONNECT abc, clean session, keep alive 60 (§11)", .v3_1_1,
                     ["10 0F", "00 04 4D 51 54 54", "04", "02", "00 3C", "00 03 61 62 63"],
                     .connect(Connect(version: .v3_1_1, clientID: "abc", cleanStart: true, keepAlive: 60))),
        GoldenVector("3.1.1 CONNECT will QoS 2 retained, user name and password", .v3_1_1,
                     ["10 22", "00 04 4D 51 54 54", "04",
                      "F6",  // user name, password, will retain, will QoS 2, will, clean session
                      "00 0A", "00 02 63 31", "00 03 74 2F 77", "00 04 64 65 61 64", "00 03 62 6F 62", "00 02 70 77"],
                     .connect(Connect(version: .v3_1_1, clientID: "c1", cleanStart: true, keepAlive: 10,
                                      will: Connect.Will(topic: "t/w", payload: text("dead"), qos: .exactlyOnce, retain: true),
                                      username: "bob", password: text("pw")))),
        GoldenVector("3.1.1 CONNECT persistent session, keep alive off", .v3_1_1,
                     ["10 0E", "00 04 4D 51 54 54", "04", "00", "00 00", "00 02 69 64"],
                     .connect(Connect(version: .v3_1_1, clientID: "id", cleanStart: false, keepAlive: 0))),
        GoldenVector("3.1.1 CONNACK accepted, SP=0 (§11)", .v3_1_1, ["20 02", "00", "00"], .connack(ConnAck())),
        GoldenVector("3.1.1 CONNACK unacceptable protocol level (§11)", .v3_1_1, ["20 02", "00", "01"],
                     .connack(ConnAck(reasonCode: ReasonCode(1)))),
        GoldenVector("3.1.1 CONNACK session present", .v3_1_1, ["20 02", "01", "00"], .connack(ConnAck(sessionPresent: true))),
        GoldenVector("3.1.1 CONNACK not authorized", .v3_1_1, ["20 02", "00", "05"], .connack(ConnAck(reasonCode: ReasonCode(5)))),
        GoldenVector("3.1.1 PUBLISH QoS 1 a/b id 10 hi (§11)", .v3_1_1, ["32 09", "00 03 61 2F 62", "00 0A", "68 69"],
                     .publish(Publish(topic: "a/b", payload: text("hi"), qos: .atLeastOnce, packetID: 10))),
        GoldenVector("3.1.1 PUBLISH QoS 0 retained, empty payload", .v3_1_1, ["31 05", "00 03 61 2F 62"],
                     .publish(Publish(topic: "a/b", payload: [], retain: true))),
        GoldenVector("3.1.1 PUBLISH QoS 2 DUP binary payload", .v3_1_1, ["3C 07", "00 01 78", "12 34", "FF 00"],
                     .publish(Publish(topic: "x", payload: [0xFF, 0x00], qos: .exactlyOnce, dup: true, packetID: 0x1234))),
        GoldenVector("3.1.1 PUBLISH topic with empty levels and a space", .v3_1_1, ["30 08", "00 05 2F 61 20 2F 2F", "7A"],
                     .publish(Publish(topic: "/a //", payload: [0x7A]))),
        GoldenVector("3.1.1 PUBACK id 10 (§11)", .v3_1_1, ["40 02", "00 0A"], .puback(PublishAck(packetID: 10))),
        GoldenVector("3.1.1 PUBREC id 10 (§11)", .v3_1_1, ["50 02", "00 0A"], .pubrec(PublishAck(packetID: 10))),
        GoldenVector("3.1.1 PUBREL id 10 (§11)", .v3_1_1, ["62 02", "00 0A"], .pubrel(PublishAck(packetID: 10))),
        GoldenVector("3.1.1 PUBCOMP id 10 (§11)", .v3_1_1, ["70 02", "00 0A"], .pubcomp(PublishAck(packetID: 10))),
        GoldenVector("3.1.1 PUBACK id 65535", .v3_1_1, ["40 02", "FF FF"], .puback(PublishAck(packetID: 0xFFFF))),
        GoldenVector("3.1.1 SUBSCRIBE id 1 a/b QoS 1 (§11)", .v3_1_1, ["82 08", "00 01", "00 03 61 2F 62", "01"],
                     .subscribe(Subscribe(packetID: 1, subscriptions: [.init(filter: "a/b", qos: .atLeastOnce)]))),
        GoldenVector("3.1.1 SUBSCRIBE two filters with wildcards", .v3_1_1,
                     ["82 0E", "00 02", "00 03 61 2F 23", "00", "00 03 2B 2F 62", "02"],
                     .subscribe(Subscribe(packetID: 2, subscriptions: [.init(filter: "a/#", qos: .atMostOnce),
                                                                      .init(filter: "+/b", qos: .exactlyOnce)]))),
        // 3.1.1 has no shared subscriptions: "$share//x" is just a filter [checklist §5.5].
        GoldenVector("3.1.1 SUBSCRIBE $share//x is an ordinary filter", .v3_1_1, ["82 0E", "00 03", "00 09 24 73 68 61 72 65 2F 2F 78", "00"],
                     .subscribe(Subscribe(packetID: 3, subscriptions: [.init(filter: "$share//x", qos: .atMostOnce)]))),
        GoldenVector("3.1.1 SUBACK id 1 granted QoS 1 (§11)", .v3_1_1, ["90 03", "00 01", "01"],
                     .suback(SubAck(packetID: 1, reasonCodes: [.grantedQoS1]))),
        GoldenVector("3.1.1 SUBACK QoS 0, QoS 2, failure", .v3_1_1, ["90 05", "00 02", "00 02 80"],
                     .suback(SubAck(packetID: 2, reasonCodes: [.success, .grantedQoS2, ReasonCode(0x80)]))),
        GoldenVector("3.1.1 UNSUBSCRIBE id 2 a/b (§11)", .v3_1_1, ["A2 07", "00 02", "00 03 61 2F 62"],
                     .unsubscribe(Unsubscribe(packetID: 2, filters: ["a/b"]))),
        GoldenVector("3.1.1 UNSUBSCRIBE two filters", .v3_1_1, ["A2 09", "00 04", "00 01 23", "00 02 2B 2F"],
                     .unsubscribe(Unsubscribe(packetID: 4, filters: ["#", "+/"]))),
        GoldenVector("3.1.1 UNSUBACK id 2 (§11)", .v3_1_1, ["B0 02", "00 02"], .unsuback(UnsubAck(packetID: 2))),
        GoldenVector("3.1.1 PINGREQ (§11)", .v3_1_1, ["C0 00"], .pingreq),
        GoldenVector("3.1.1 PINGRESP (§11)", .v3_1_1, ["D0 00"], .pingresp),
        GoldenVector("3.1.1 DISCONNECT (§11)", .v3_1_1, ["E0 00"], .disconnect(Disconnect())),
        // A 2-byte Remaining Length: 203 = 0x4B | 0x80, 0x01.
        GoldenVector("3.1.1 PUBLISH with a 2-byte remaining length", .v3_1_1,
                     bytes: hex("30 CB 01 00 01 74") + (0..<200).map { UInt8($0) },
                     .publish(Publish(topic: "t", payload: (0..<200).map { UInt8($0) }))),
    ]

    // MARK: MQTT 3.1 (MQIsdp)

    static let v31: [GoldenVector] = [
        GoldenVector("3.1 CONNECT MQIsdp level 3", .v3_1,
                     ["10 11", "00 06 4D 51 49 73 64 70", "03", "02", "00 3C", "00 03 61 62 63"],
                     .connect(Connect(version: .v3_1, clientID: "abc", cleanStart: true, keepAlive: 60))),
        GoldenVector("3.1 SUBSCRIBE (same layout as 3.1.1)", .v3_1, ["82 08", "00 01", "00 03 61 2F 62", "01"],
                     .subscribe(Subscribe(packetID: 1, subscriptions: [.init(filter: "a/b", qos: .atLeastOnce)]))),
    ]

    // MARK: MQTT 5.0 — all 15 packet types and all 27 properties

    static let v5: [GoldenVector] = [
        GoldenVector("5.0 CONNECT abc, empty properties (§11)", .v5_0,
                     ["10 10", "00 04 4D 51 54 54", "05", "02", "00 3C", "00", "00 03 61 62 63"],
                     .connect(Connect(version: .v5_0, clientID: "abc", cleanStart: true, keepAlive: 60))),
        GoldenVector("5.0 CONNECT Session Expiry 3600, will w/bye QoS 1, Will Delay 5 (§11)", .v5_0,
                     ["10 23", "00 04 4D 51 54 54", "05", "0E", "00 3C", "05", "11 00 00 0E 10", "00 03 61 62 63",
                      "05", "18 00 00 00 05", "00 01 77", "00 03 62 79 65"],
                     .connect(Connect(version: .v5_0, clientID: "abc", cleanStart: true, keepAlive: 60,
                                      will: Connect.Will(topic: "w", payload: text("bye"), qos: .atLeastOnce,
                                                         properties: [.willDelayInterval(5)]),
                                      properties: [.sessionExpiryInterval(3600)]))),
        GoldenVector("5.0 CONNECT every CONNECT and will property", .v5_0,
                     ["10 6F", "00 04 4D 51 54 54", "05",
                      "C4",  // user name, password, will (QoS 0, not retained), clean start 0
                      "00 00",
                      "28",  // 40 bytes of properties
                      "11 00 00 00 3C", "21 00 14", "27 00 00 10 00", "22 00 0A", "19 01", "17 00",
                      "26 00 01 6B 00 01 76", "15 00 05 53 43 52 41 4D", "16 00 02 01 02",
                      "00 00",  // empty client id
                      "2A",  // 42 bytes of will properties
                      "18 00 00 00 0A", "01 01", "02 00 00 01 2C", "03 00 0A 74 65 78 74 2F 70 6C 61 69 6E",
                      "08 00 03 72 2F 31", "09 00 02 AB CD", "26 00 01 61 00 00",
                      "00 03 77 2F 74", "00 00", "00 01 75", "00 03 01 02 03"],
                     .connect(Connect(version: .v5_0, clientID: "", cleanStart: false, keepAlive: 0,
                                      will: Connect.Will(topic: "w/t", payload: [], properties: [
                                        .willDelayInterval(10), .payloadFormatIndicator(1), .messageExpiryInterval(300),
                                        .contentType("text/plain"), .responseTopic("r/1"), .correlationData([0xAB, 0xCD]),
                                        .userProperty(name: "a", value: ""),
                                      ]),
                                      username: "u", password: [1, 2, 3],
                                      properties: [
                                        .sessionExpiryInterval(60), .receiveMaximum(20), .maximumPacketSize(4096),
                                        .topicAliasMaximum(10), .requestResponseInformation(1), .requestProblemInformation(0),
                                        kv, .authenticationMethod("SCRAM"), .authenticationData([1, 2]),
                                      ]))),
        // 5.0 allows a password without a user name (3.1.1 forbids it [MQTT-3.1.2-22]).
        GoldenVector("5.0 CONNECT password without user name", .v5_0,
                     ["10 12", "00 04 4D 51 54 54", "05", "42", "00 3C", "00", "00 01 78", "00 02 70 77"],
                     .connect(Connect(version: .v5_0, clientID: "x", cleanStart: true, keepAlive: 60, password: text("pw")))),
        GoldenVector("5.0 CONNACK success, no properties (§11)", .v5_0, ["20 03", "00", "00", "00"], .connack(ConnAck())),
        GoldenVector("5.0 CONNACK Assigned Client Identifier x1 (§11)", .v5_0, ["20 08", "00", "00", "05", "12 00 02 78 31"],
                     .connack(ConnAck(properties: [.assignedClientIdentifier("x1")]))),
        GoldenVector("5.0 CONNACK every CONNACK property, session present", .v5_0,
                     ["20 47", "01", "00", "44",
                      "11 00 00 00 78", "21 00 0A", "24 01", "25 00", "27 00 01 00 00", "12 00 02 69 64", "22 00 05",
                      "1F 00 02 6F 6B", "26 00 01 6B 00 01 76", "28 00", "29 01", "2A 00", "13 00 1E",
                      "1A 00 04 72 65 73 70", "1C 00 04 68 6F 73 74", "15 00 01 4D", "16 00 01 FF"],
                     .connack(ConnAck(sessionPresent: true, reasonCode: .success, properties: [
                        .sessionExpiryInterval(120), .receiveMaximum(10), .maximumQoS(1), .retainAvailable(0),
                        .maximumPacketSize(65536), .assignedClientIdentifier("id"), .topicAliasMaximum(5),
                        .reasonString("ok"), kv, .wildcardSubscriptionAvailable(0), .subscriptionIdentifierAvailable(1),
                        .sharedSubscriptionAvailable(0), .serverKeepAlive(30), .responseInformation("resp"),
                        .serverReference("host"), .authenticationMethod("M"), .authenticationData([0xFF]),
                     ]))),
        GoldenVector("5.0 CONNACK 0x87 Not authorized", .v5_0, ["20 03", "00", "87", "00"],
                     .connack(ConnAck(reasonCode: .notAuthorized))),
        GoldenVector("5.0 PUBLISH QoS 1 a/b id 10 hi, no properties (§11)", .v5_0, ["32 0A", "00 03 61 2F 62", "00 0A", "00", "68 69"],
                     .publish(Publish(topic: "a/b", payload: text("hi"), qos: .atLeastOnce, packetID: 10))),
        GoldenVector("5.0 PUBLISH QoS 0 RETAIN a/b sets Topic Alias 1 (§11)", .v5_0, ["31 0B", "00 03 61 2F 62", "03", "23 00 01", "68 69"],
                     .publish(Publish(topic: "a/b", payload: text("hi"), retain: true, properties: [.topicAlias(1)]))),
        // An empty topic is allowed in 5.0 only together with a Topic Alias [MQTT-3.3.2-8..12].
        GoldenVector("5.0 PUBLISH QoS 0 using alias 1, empty topic (§11)", .v5_0, ["30 08", "00 00", "03", "23 00 01", "68 69"],
                     .publish(Publish(topic: "", payload: text("hi"), properties: [.topicAlias(1)]))),
        // Subscription Identifier may repeat in a PUBLISH (one per matching subscription).
        GoldenVector("5.0 PUBLISH QoS 2 every PUBLISH property, two subscription ids", .v5_0,
                     ["34 2F", "00 01 74", "00 05", "27",
                      "01 01", "02 00 00 00 3C", "23 00 02", "08 00 03 72 2F 32", "09 00 01 07", "26 00 01 6B 00 01 76",
                      "0B 01", "0B 80 01", "03 00 04 6A 73 6F 6E",
                      "7B 7D"],
                     .publish(Publish(topic: "t", payload: text("{}"), qos: .exactlyOnce, packetID: 5, properties: [
                        .payloadFormatIndicator(1), .messageExpiryInterval(60), .topicAlias(2), .responseTopic("r/2"),
                        .correlationData([7]), kv, .subscriptionIdentifier(1), .subscriptionIdentifier(128), .contentType("json"),
                     ]))),
        GoldenVector("5.0 PUBACK id 10 short form = Success (§11)", .v5_0, ["40 02", "00 0A"], .puback(PublishAck(packetID: 10))),
        GoldenVector("5.0 PUBACK id 10 0x10 No matching subscribers (§11)", .v5_0, ["40 03", "00 0A", "10"],
                     .puback(PublishAck(packetID: 10, reasonCode: .noMatchingSubscribers))),
        GoldenVector("5.0 PUBACK 0x80 with a reason string", .v5_0, ["40 09", "00 0A", "80", "05", "1F 00 02 6E 6F"],
                     .puback(PublishAck(packetID: 10, reasonCode: .unspecifiedError, properties: [.reasonString("no")]))),
        GoldenVector("5.0 PUBREC id 10 (§11)", .v5_0, ["50 02", "00 0A"], .pubrec(PublishAck(packetID: 10))),
        GoldenVector("5.0 PUBREC 0x91 Packet Identifier in use", .v5_0, ["50 03", "00 0A", "91"],
                     .pubrec(PublishAck(packetID: 10, reasonCode: .packetIdentifierInUse))),
        GoldenVector("5.0 PUBREL id 10 (§11)", .v5_0, ["62 02", "00 0A"], .pubrel(PublishAck(packetID: 10))),
        GoldenVector("5.0 PUBREL 0x92 Packet Identifier not found", .v5_0, ["62 03", "00 0A", "92"],
                     .pubrel(PublishAck(packetID: 10, reasonCode: .packetIdentifierNotFound))),
        GoldenVector("5.0 PUBCOMP id 10 0x92 (§11)", .v5_0, ["70 03", "00 0A", "92"],
                     .pubcomp(PublishAck(packetID: 10, reasonCode: .packetIdentifierNotFound))),
        GoldenVector("5.0 PUBCOMP Success with a user property", .v5_0, ["70 0B", "00 0A", "00", "07", "26 00 01 6B 00 01 76"],
                     .pubcomp(PublishAck(packetID: 10, properties: [kv]))),
        GoldenVector("5.0 SUBSCRIBE id 1 a/b QoS 1, no properties (§11)", .v5_0, ["82 09", "00 01", "00", "00 03 61 2F 62", "01"],
                     .subscribe(Subscribe(packetID: 1, subscriptions: [.init(filter: "a/b", qos: .atLeastOnce)]))),
        GoldenVector("5.0 SUBSCRIBE Subscription Identifier 7, QoS 1 + NL + RAP + RH 1 (§11)", .v5_0,
                     ["82 0B", "00 01", "02", "0B 07", "00 03 61 2F 62", "1D"],
                     .subscribe(Subscribe(packetID: 1, subscriptions: [
                        .init(filter: "a/b", options: .init(qos: .atLeastOnce, noLocal: true, retainAsPublished: true,
                                                            retainHandling: .sendOnlyIfNew)),
                     ], properties: [.subscriptionIdentifier(7)]))),
        GoldenVector("5.0 SUBSCRIBE shared $share/g/a, RH 2 + RAP + QoS 2, user property", .v5_0,
                     ["82 17", "00 03", "07", "26 00 01 6B 00 01 76", "00 0A 24 73 68 61 72 65 2F 67 2F 61", "2A"],
                     .subscribe(Subscribe(packetID: 3, subscriptions: [
                        .init(filter: "$share/g/a", options: .init(qos: .exactlyOnce, retainAsPublished: true, retainHandling: .doNotSend)),
                     ], properties: [kv]))),
        GoldenVector("5.0 SUBACK id 1 granted QoS 1 (§11)", .v5_0, ["90 04", "00 01", "00", "01"],
                     .suback(SubAck(packetID: 1, reasonCodes: [.grantedQoS1]))),
        GoldenVector("5.0 SUBACK reason string, 0x80 and 0xA2", .v5_0, ["90 0C", "00 01", "05", "1F 00 02 6F 6B", "00 02 80 A2"],
                     .suback(SubAck(packetID: 1, reasonCodes: [.success, .grantedQoS2, .unspecifiedError, .wildcardSubscriptionsNotSupported],
                                    properties: [.reasonString("ok")]))),
        GoldenVector("5.0 UNSUBSCRIBE id 2 a/b (§11)", .v5_0, ["A2 08", "00 02", "00", "00 03 61 2F 62"],
                     .unsubscribe(Unsubscribe(packetID: 2, filters: ["a/b"]))),
        // User Property may repeat, even with the same name; the order is kept [MQTT-3.3.2-18].
        GoldenVector("5.0 UNSUBSCRIBE two user properties with the same name", .v5_0,
                     ["A2 14", "00 03", "0E", "26 00 01 6B 00 01 31", "26 00 01 6B 00 01 32", "00 01 78"],
                     .unsubscribe(Unsubscribe(packetID: 3, filters: ["x"], properties: [
                        .userProperty(name: "k", value: "1"), .userProperty(name: "k", value: "2"),
                     ]))),
        GoldenVector("5.0 UNSUBACK id 2 0x00 (§11)", .v5_0, ["B0 04", "00 02", "00", "00"],
                     .unsuback(UnsubAck(packetID: 2, reasonCodes: [.success]))),
        GoldenVector("5.0 UNSUBACK 0x00 and 0x11", .v5_0, ["B0 05", "00 02", "00", "00 11"],
                     .unsuback(UnsubAck(packetID: 2, reasonCodes: [.success, .noSubscriptionExisted]))),
        GoldenVector("5.0 PINGREQ (§11)", .v5_0, ["C0 00"], .pingreq),
        GoldenVector("5.0 PINGRESP (§11)", .v5_0, ["D0 00"], .pingresp),
        GoldenVector("5.0 DISCONNECT short form = Normal disconnection (§11)", .v5_0, ["E0 00"], .disconnect(Disconnect())),
        GoldenVector("5.0 DISCONNECT 0x04 Disconnect with Will Message (§11)", .v5_0, ["E0 01", "04"],
                     .disconnect(Disconnect(reasonCode: .disconnectWithWillMessage))),
        // The model cannot tell "empty property block" from "no property block", so the encoder writes
        // the shorter form (Remaining Length 1 is allowed: the property length then defaults to 0).
        GoldenVector("5.0 DISCONNECT 0x8E Session taken over, empty properties (§11)", .v5_0, ["E0 02", "8E", "00"],
                     .disconnect(Disconnect(reasonCode: .sessionTakenOver)), canonical: "E0 01 8E"),
        GoldenVector("5.0 DISCONNECT from the client with Session Expiry and a user property", .v5_0,
                     ["E0 0E", "04", "0C", "11 00 00 00 0A", "26 00 01 6B 00 01 76"],
                     .disconnect(Disconnect(reasonCode: .disconnectWithWillMessage, properties: [.sessionExpiryInterval(10), kv]))),
        GoldenVector("5.0 DISCONNECT 0x9C Use another server, Server Reference", .v5_0,
                     ["E0 0C", "9C", "0A", "1C 00 03 68 3A 31", "1F 00 01 78"],
                     .disconnect(Disconnect(reasonCode: .useAnotherServer, properties: [.serverReference("h:1"), .reasonString("x")]))),
        GoldenVector("5.0 AUTH 0x18 Continue authentication, method SCRAM-SHA-1 (§11)", .v5_0,
                     ["F0 10", "18", "0E", "15 00 0B 53 43 52 41 4D 2D 53 48 41 2D 31"],
                     .auth(Auth(reasonCode: .continueAuthentication, properties: [.authenticationMethod("SCRAM-SHA-1")]))),
        GoldenVector("5.0 AUTH 0x19 Re-authenticate with data, reason string, user property", .v5_0,
                     ["F0 16", "19", "14", "15 00 01 4D", "16 00 02 01 02", "1F 00 01 72", "26 00 01 6B 00 01 76"],
                     .auth(Auth(reasonCode: .reAuthenticate, properties: [
                        .authenticationMethod("M"), .authenticationData([1, 2]), .reasonString("r"), kv,
                     ]))),
        // Remaining Length 0: Success, no properties (checklist §2.11).
        GoldenVector("5.0 AUTH short form", .v5_0, ["F0 00"], .auth(Auth())),
        // Multi-byte UTF-8 in a topic and a user property, kept byte for byte.
        GoldenVector("5.0 PUBLISH UTF-8 topic and user property", .v5_0,
                     ["30 16", "00 06 63 61 66 C3 A9 2F", "0D", "26 00 03 E2 82 AC 00 05 F0 9F 98 80 21"],
                     .publish(Publish(topic: "café/", payload: [], properties: [.userProperty(name: "€", value: "😀!")]))),
    ]

    static let all: [GoldenVector] = v311 + v31 + v5
}
