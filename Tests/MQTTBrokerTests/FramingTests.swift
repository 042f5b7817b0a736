import MQTTBroker
import MQTTBrokerCore
import MQTTCodec
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The handler frames bytes itself: packets arrive whatever the chunking, and writes made while handling
/// a read burst are flushed once at its end without losing any.
final class FramingTests: BrokerServerTestCase {
    func testManyPacketsInOneWriteAreAllHandledInOrder() async throws {
        let server = try await startServer()
        let client = try WireClient(port: server.port)
        var bytes: [UInt8] = []
        bytes += try Packet.connect(Connect(clientID: "burst")).encode(version: .v3_1_1)
        bytes += try Packet.subscribe(Subscribe(packetID: 1, subscriptions: [.init(filter: "loop/#", qos: .atMostOnce)])).encode(version: .v3_1_1)
        for index in 0..<50 {
            bytes += try Self.publish("loop/\(index)", "message \(index)").encode(version: .v3_1_1)
        }
        bytes += try Packet.pingreq.encode(version: .v3_1_1)
        try client.sendRaw(bytes)

        guard case .connack(let connack) = try client.receive() else { return XCTFail("expected CONNACK") }
        XCTAssertEqual(connack.reasonCode, .success)
        guard case .suback = try client.receive() else { return XCTFail("expected SUBACK") }
        for index in 0..<50 {
            guard case .publish(let publish) = try client.receive() else { return XCTFail("expected PUBLISH \(index)") }
            XCTAssertEqual(publish.topic, "loop/\(index)")
        }
        XCTAssertEqual(try client.receive(), .pingresp)
    }

    func testAPacketSplitByteByByteIsReassembled() async throws {
        let server = try await startServer()
        let subscriber = try client(server, id: "sub")
        try subscribe(subscriber, "slow")
        let client = try WireClient(port: server.port, version: .v5_0)
        let connect = try Packet.connect(Connect(version: .v5_0, clientID: "bytewise", properties: [.sessionExpiryInterval(0)]))
            .encode(version: .v5_0)
        let publish = try Self.publish("slow", "one byte at a time", qos: .atLeastOnce, packetID: 3).encode(version: .v5_0)
        for byte in connect + publish {
            try client.sendRaw([byte])
            usleep(500)
        }
        guard case .connack(let connack) = try client.receive() else { return XCTFail("expected CONNACK") }
        XCTAssertEqual(connack.reasonCode, .success)
        guard case .puback(let ack) = try client.receive() else { return XCTFail("expected PUBACK") }
        XCTAssertEqual(ack.packetID, 3)
        guard case .publish(let delivered) = try subscriber.receive() else { return XCTFail("expected PUBLISH") }
        XCTAssertEqual(delivered.payload, Array("one byte at a time".utf8))
    }

    func testOneFlushPerBurstLosesNoPacketAndBatchesWrites() async throws {
        let server = try await startServer()
        let first = try client(server, id: "first")
        let second = try client(server, id: "second")
        try subscribe(first, "fan/#")
        try subscribe(second, "fan/#")
        let publisher = try client(server, id: "publisher")
        let count = 500
        var bytes: [UInt8] = []
        for index in 0..<count { bytes += try Self.publish("fan/\(index)", "\(index)").encode(version: .v3_1_1) }
        let before = try await server.statistics()
        try publisher.sendRaw(bytes)

        for subscriber in [first, second] {
            for index in 0..<count {
                guard case .publish(let publish) = try subscriber.receive() else { return XCTFail("expected PUBLISH \(index)") }
                XCTAssertEqual(publish.topic, "fan/\(index)")
                if publish.topic != "fan/\(index)" { return }
            }
        }
        let after = try await server.statistics()
        let written = after.packetsWritten - before.packetsWritten
        let flushes = after.flushes - before.flushes
        XCTAssertEqual(written, 2 * count)
        // 1000 packets went out in as many flushes as the publisher's bytes took reads (a few), not 1000.
        XCTAssertLessThan(flushes, written / 10, "flushes: \(flushes) for \(written) packets")
    }
}
