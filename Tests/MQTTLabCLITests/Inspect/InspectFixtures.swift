import MQTTCodec
import XCTest

@testable import MQTTLabCLI

/// Packets built with the codec's encoder, and packet lists built from them as a capture or trace would
/// give them (connection, direction, client).
enum InspectFixtures {
    /// One packet of every type the version has, with the optional parts present (will, user name,
    /// password, properties, several subscriptions), so every kind of field is walked.
    static func everyType(_ version: ProtocolVersion) -> [(name: String, packet: Packet)] {
        let v5 = version.isV5
        let props: (Properties) -> Properties = { v5 ? $0 : [] }
        var list: [(String, Packet)] = [
            ("CONNECT", .connect(Connect(
                version: version, clientID: "sensor-1", cleanStart: false, keepAlive: 30,
                will: Connect.Will(topic: "casa/estado", payload: Array("offline".utf8), qos: .atLeastOnce, retain: true,
                                   properties: props([.willDelayInterval(5)])),
                username: "ana", password: Array("secreto".utf8),
                properties: props([.sessionExpiryInterval(3600), .userProperty(name: "aula", value: "2B")])))),
            ("CONNACK", .connack(ConnAck(sessionPresent: true, reasonCode: .success, properties: props([.receiveMaximum(10)])))),
            ("PUBLISH QoS 0", .publish(Publish(topic: "casa/luz", payload: Array("ON".utf8), retain: true))),
            ("PUBLISH QoS 2", .publish(Publish(
                topic: "casa/temp", payload: Array("22.5".utf8), qos: .exactlyOnce, dup: true, packetID: 10,
                properties: props([.messageExpiryInterval(60), .contentType("text/plain"), .correlationData([1, 2])])))),
            ("PUBACK", .puback(PublishAck(packetID: 9, reasonCode: v5 ? .noMatchingSubscribers : .success))),
            ("PUBREC", .pubrec(PublishAck(packetID: 10))),
            ("PUBREL", .pubrel(PublishAck(packetID: 10, properties: props([.reasonString("ok")])))),
            ("PUBCOMP", .pubcomp(PublishAck(packetID: 10))),
            ("SUBSCRIBE", .subscribe(Subscribe(packetID: 3, subscriptions: [
                Subscribe.Subscription(filter: "casa/#", options: Subscribe.Options(qos: .exactlyOnce, noLocal: v5, retainAsPublished: v5)),
                Subscribe.Subscription(filter: "+/luz", qos: .atMostOnce),
            ], properties: props([.subscriptionIdentifier(7)])))),
            ("SUBACK", .suback(SubAck(packetID: 3, reasonCodes: [.grantedQoS2, ReasonCode(0x80)]))),
            ("UNSUBSCRIBE", .unsubscribe(Unsubscribe(packetID: 4, filters: ["casa/#", "+/luz"]))),
            ("UNSUBACK", .unsuback(UnsubAck(packetID: 4, reasonCodes: v5 ? [.success, .noSubscriptionExisted] : []))),
            ("PINGREQ", .pingreq),
            ("PINGRESP", .pingresp),
            ("DISCONNECT", .disconnect(Disconnect(reasonCode: v5 ? .sessionTakenOver : .success))),
        ]
        if v5 { list.append(("AUTH", .auth(Auth(reasonCode: .continueAuthentication, properties: [.authenticationMethod("SCRAM")])))) }
        return list
    }

    static func bytes(_ packet: Packet, _ version: ProtocolVersion) -> [UInt8] {
        do {
            return try packet.encode(version: version)
        } catch {
            XCTFail("cannot encode \(packet): \(error)")
            return []
        }
    }

    /// A packet as it appears in a list: dissected by the codec from the encoder's bytes.
    static func inspected(
        _ packet: Packet, _ version: ProtocolVersion = .v3_1_1, number: Int, connection: Int, _ direction: PacketDirection,
        client: String? = nil
    ) -> InspectedPacket {
        InspectedPacket(number: number, time: 1_795_609_889 + Double(number) / 10, connection: connection, client: client,
                        direction: direction, dissection: PacketDecoder.dissect(bytes(packet, version), version: version),
                        origin: "test: packet \(number)")
    }

    /// Builds a list from (connection, direction, packet) triples, numbering them in order.
    static func list(_ items: [(Int, PacketDirection, Packet)], version: ProtocolVersion = .v3_1_1) -> PacketList {
        var list = PacketList(title: "test")
        list.packets = items.enumerated().map { index, item in
            inspected(item.2, version, number: index + 1, connection: item.0, item.1)
        }
        list.nameClientsFromConnects()
        return list
    }
}
