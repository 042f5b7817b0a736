import MQTTCapture
import MQTTCodec
import XCTest

@testable import MQTTLabCLI

/// `decode --pcap` logic on captures built byte by byte: reassembly into MQTT packets, directions,
/// the version taken from the CONNECT, and which connections count as MQTT.
final class CaptureDecoderTests: XCTestCase {
    private func encode(_ packet: Packet, _ version: ProtocolVersion) throws -> [UInt8] {
        try packet.encode(version: version)
    }

    private func decode(_ writer: PcapWriter, ports: Set<UInt16> = [], version: ProtocolVersion? = nil) throws -> CaptureDecoder.Result {
        let capture = try CaptureReader.read(writer.bytes)
        return CaptureDecoder(forcedPorts: ports, givenVersion: version).decode(capture)
    }

    func testReassemblesSplitsAndFollowsTheConnectVersion() throws {
        let connect = try encode(.connect(Connect(version: .v5_0, clientID: "ana", properties: [.sessionExpiryInterval(60)])), .v5_0)
        let connack = try encode(.connack(ConnAck()), .v5_0)
        let publish = try encode(.publish(Publish(topic: "casa/luz", payload: Array("ON".utf8), qos: .atLeastOnce, packetID: 7)), .v5_0)
        // A 5.0 PUBACK with reason 0x10: malformed as 3.1.1, so it only decodes right if the CONNECT's version is used.
        let puback = try encode(.puback(PublishAck(packetID: 7, reasonCode: .noMatchingSubscribers)), .v5_0)
        let pingresp = try encode(.pingresp, .v5_0)
        var writer = PcapWriter()
        writer.append(payload: connect, fromClient: true, time: 100)
        writer.append(payload: connack, fromClient: false, time: 100.5)
        writer.append(payload: Array(publish.prefix(3)), fromClient: true, time: 101)  // split inside the topic
        writer.append(payload: Array(publish.dropFirst(3)), fromClient: true, time: 101.25)
        writer.append(payload: puback + pingresp, fromClient: false, time: 102)  // two packets in one segment

        let result = try decode(writer)
        XCTAssertEqual(result.notes, [])
        XCTAssertEqual(result.packets.map { $0.dissection.type }, [.connect, .connack, .publish, .puback, .pingresp])
        XCTAssertTrue(result.packets.allSatisfy { $0.dissection.error == nil && $0.dissection.version == .v5_0 })
        XCTAssertEqual(result.packets.map { $0.capture?.frame }, [1, 2, 4, 5, 5], "a packet belongs to the frame that completed it")
        XCTAssertEqual(result.packets.map { $0.capture?.fromClient }, [true, false, true, false, false])
        XCTAssertEqual(result.packets[2].capture?.source, "127.0.0.1:50000")
        XCTAssertEqual(result.packets[2].capture?.destination, "127.0.0.1:1883")
        XCTAssertEqual(result.packets[2].capture?.time ?? 0, 101.25, accuracy: 0.000_01)
        XCTAssertEqual(result.packets[3].dissection.packet, .puback(PublishAck(packetID: 7, reasonCode: .noMatchingSubscribers)))
    }

    func testAConnectionOnAnyPortCountsWhenItStartsWithConnect() throws {
        var writer = PcapWriter()
        let connect = try encode(.connect(Connect(version: .v3_1_1, clientID: "x")), .v3_1_1)
        writer.append(payload: connect, fromClient: true, time: 1, clientPort: 40_000, brokerPort: 18_883)
        writer.append(payload: Array("GET / HTTP/1.1\r\n\r\n".utf8), fromClient: true, time: 2, clientPort: 40_001, brokerPort: 8080)
        let result = try decode(writer)
        XCTAssertEqual(result.packets.count, 1)
        XCTAssertEqual(result.packets.first?.dissection.type, .connect)
        XCTAssertEqual(result.notes.count, 1)
        XCTAssertTrue(result.notes[0].contains("8080") && result.notes[0].contains("--port"), result.notes[0])
    }

    func testForcedPortDecodesAStreamCaughtMidway() throws {
        var writer = PcapWriter()
        // No CONNECT: the capture started after it. Without -V the decoder assumes 3.1.1.
        writer.append(payload: try encode(.pingreq, .v3_1_1), fromClient: true, time: 1, clientPort: 40_000, brokerPort: 9999)
        XCTAssertEqual(try decode(writer).packets.count, 0)
        let forced = try decode(writer, ports: [9999])
        XCTAssertEqual(forced.packets.map { $0.dissection.type }, [.pingreq])
        XCTAssertEqual(forced.packets.first?.versionSource, .assumed)
        XCTAssertEqual(try decode(writer, ports: [9999], version: .v5_0).packets.first?.versionSource, .given)
    }

    func testACaptureThatEndsMidPacketSaysSo() throws {
        var writer = PcapWriter()
        let publish = try encode(.publish(Publish(topic: "a/b", payload: Array(repeating: 0x41, count: 50))), .v3_1_1)
        writer.append(payload: Array(publish.prefix(20)), fromClient: true, time: 1)
        let result = try decode(writer)
        XCTAssertEqual(result.packets.count, 0)
        XCTAssertEqual(result.notes.count, 1)
        XCTAssertTrue(result.notes[0].contains("ends in the middle of a packet (20 bytes"), result.notes[0])
    }

    func testAFramingErrorStopsThatDirectionWithAnExplainedPacket() throws {
        var writer = PcapWriter()
        let connect = try encode(.connect(Connect(version: .v3_1_1, clientID: "x")), .v3_1_1)
        // A remaining length that would need a fifth byte: nothing after it can be framed.
        writer.append(payload: connect + [0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], fromClient: true, time: 1)
        let result = try decode(writer)
        XCTAssertEqual(result.packets.count, 2)
        XCTAssertEqual(result.packets[1].dissection.error?.violation, .remainingLengthTooLong)
        XCTAssertEqual(result.packets[1].dissection.error?.offset, 1)
    }
}
