import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hand-made byte streams (no mosquitto client produces these) sent to Mosquitto under capture and compared with
/// tshark: several MQTT packets in one TCP segment, a packet split mid-field, a 2-byte remaining length,
/// subscription options, binary correlation data, UTF-8 user properties, topic aliases, DUP, PUBREL with a
/// reason code, AUTH, MQTT 3.1.
final class InteropRawClientTests: InteropTestCase {
    /// MQTT 5.0 corner cases (one connection, plus one for AUTH).
    func testV5PacketsSharingSegmentsAndSplitAcrossSegments() throws {
        try runInteropScenario(
            .v5, expectedTypes: ["CONNECT", "CONNACK", "SUBSCRIBE", "SUBACK", "PUBLISH", "PUBACK", "PINGREQ", "PINGRESP",
                                 "UNSUBSCRIBE", "UNSUBACK", "PUBREC", "PUBREL", "PUBCOMP", "DISCONNECT", "AUTH"]
        ) { scenario in
            let client = try RawMQTTClient(port: scenario.port)
            defer { client.close() }
            // CONNECT + SUBSCRIBE + PUBLISH + PUBLISH + PINGREQ in one write (one TCP segment).
            let connect = RawMQTT.connect5(clientID: "raw5", properties: [0x11] + RawMQTT.u32(0) + [0x22] + RawMQTT.u16(4))
            let subscribe = RawMQTT.packet(0x82, RawMQTT.u16(7)
                + RawMQTT.properties([0x0B] + RawMQTT.varint(268_435_455))
                + RawMQTT.string("raw/#") + [0x2D]  // QoS 1, no local, retain as published, retain handling 2
                + RawMQTT.string("raw2/+") + [0x12])  // QoS 2, retain handling 1
            let publishBinary = RawMQTT.packet(0x32, RawMQTT.string("raw/bin") + RawMQTT.u16(9)
                + RawMQTT.properties([0x09] + RawMQTT.binary([0x00, 0xFF, 0x01])  // correlation data tshark can't show
                    + [0x26] + RawMQTT.string("cañón") + RawMQTT.string("ñ")
                    + [0x01, 0x00])
                + [0x00, 0x01, 0xFE, 0xFF])
            let publishBig = RawMQTT.packet(0x30, RawMQTT.string("raw/big") + RawMQTT.properties([])
                + (0..<512).map { UInt8($0 % 256) })  // remaining length 522: a 2-byte varint
            try client.send(connect + subscribe + publishBinary + publishBig + RawMQTT.packet(0xC0, []))
            client.drain()
            // A PUBLISH split after the remaining length, in the middle of the topic (tshark reassembles this).
            let split = RawMQTT.packet(0x30, RawMQTT.string("raw/mid") + RawMQTT.properties([]) + Array("mid".utf8))
            try client.send(Array(split[..<5]))
            usleep(150_000)
            try client.send(Array(split[5...]))
            client.drain()
            // Topic alias: bind alias 1 to a topic, then publish with an empty topic and the alias.
            try client.send(RawMQTT.packet(0x30, RawMQTT.string("raw/alias") + RawMQTT.properties([0x23] + RawMQTT.u16(1)) + Array("a1".utf8)))
            try client.send(RawMQTT.packet(0x30, RawMQTT.string("") + RawMQTT.properties([0x23] + RawMQTT.u16(1)) + Array("a2".utf8)))
            // Correlation data that is valid text, auth-free reason string on DISCONNECT.
            try client.send(RawMQTT.packet(0x32, RawMQTT.string("raw/text") + RawMQTT.u16(10)
                + RawMQTT.properties([0x09] + RawMQTT.string("req-42") + [0x08] + RawMQTT.string("raw/reply"))
                + Array("body".utf8)))
            client.drain()
            try client.send(RawMQTT.packet(0xA2, RawMQTT.u16(8) + RawMQTT.properties([]) + RawMQTT.string("raw/#") + RawMQTT.string("nope/#")))
            client.drain()
            // A retransmitted QoS 1 PUBLISH (DUP set); a QoS 2 flow whose PUBREL carries a reason code and a property.
            try client.send(RawMQTT.packet(0x3A, RawMQTT.string("raw/dup") + RawMQTT.u16(11) + RawMQTT.properties([]) + Array("again".utf8)))
            try client.send(RawMQTT.packet(0x34, RawMQTT.string("raw/q2") + RawMQTT.u16(12) + RawMQTT.properties([]) + Array("q2".utf8)))
            client.drain()
            try client.send(RawMQTT.packet(0x62, RawMQTT.u16(12) + [0x00] + RawMQTT.properties([0x1F] + RawMQTT.string("rel"))))
            client.drain()
            try client.send(RawMQTT.packet(0xE0, [0x04] + RawMQTT.properties([0x1F] + RawMQTT.string("bye now"))))
            client.waitForClose()
            // AUTH (re-authenticate, method + data). Mosquitto without an auth plugin just closes the connection.
            let second = try RawMQTTClient(port: scenario.port)
            defer { second.close() }
            try second.send(RawMQTT.connect5(clientID: "raw-auth"))
            second.drain()
            try second.send(RawMQTT.packet(0xF0, [0x19] + RawMQTT.properties([0x15] + RawMQTT.string("PLAIN") + [0x16] + RawMQTT.binary(Array("ab".utf8)))))
            second.waitForClose()
        }
    }

    /// MQTT 3.1 ("MQIsdp", level 3): tshark shows the SUBSCRIBE fixed header as dup/qos/retain_reserved there.
    func testV31ConnectSubscribeTwoFiltersAndEmptyPayload() throws {
        try runInteropScenario(
            .v311, expectedTypes: ["CONNECT", "CONNACK", "SUBSCRIBE", "SUBACK", "PUBLISH", "PUBACK", "DISCONNECT"]
        ) { scenario in
            let client = try RawMQTTClient(port: scenario.port)
            defer { client.close() }
            try client.send(RawMQTT.packet(0x10, RawMQTT.string("MQIsdp") + [3, 0x02] + RawMQTT.u16(30) + RawMQTT.string("old31")))
            client.drain()
            try client.send(RawMQTT.packet(0x82, RawMQTT.u16(3) + RawMQTT.string("a/b") + [0x01] + RawMQTT.string("c/#") + [0x02]))
            client.drain()
            try client.send(RawMQTT.packet(0x32, RawMQTT.string("a/b") + RawMQTT.u16(4)))  // QoS 1, empty payload
            client.drain()
            try client.send(RawMQTT.packet(0xE0, []))
            client.waitForClose()
        }
    }

    /// A remaining-length varint split across two TCP segments. tshark 4.0.17 loses sync here (quirk 1: the rest
    /// of the stream is not compared), but mqttlab must still decode the packets before it and not fail.
    func testRemainingLengthSplitAcrossSegments() throws {
        try runInteropScenario(.v5, expectedTypes: ["CONNECT", "CONNACK"]) { scenario in
            let client = try RawMQTTClient(port: scenario.port)
            defer { client.close() }
            try client.send(RawMQTT.connect5(clientID: "split"))
            client.drain()
            let publish = RawMQTT.packet(0x30, RawMQTT.string("raw/split") + RawMQTT.properties([]) + [UInt8](repeating: 0x78, count: 300))
            try client.send(Array(publish[..<2]))  // type byte + first varint byte
            usleep(150_000)
            try client.send(Array(publish[2...]))
            client.drain()
        }
    }
}
