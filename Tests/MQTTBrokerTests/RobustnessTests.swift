import MQTTBroker
import MQTTBrokerCore
import MQTTCodec
import XCTest

/// Bad input and limits hurt only the connection that breaks them, and memory stays bounded.
final class RobustnessTests: BrokerServerTestCase {
    func testAMalformedPacketClosesOnlyItsConnection() async throws {
        let server = try await startServer()
        let healthy = try client(server, id: "healthy")
        try subscribe(healthy, "still/here")
        let broken = try client(server, id: "broken", version: .v5_0)
        // PUBLISH with both QoS bits set (QoS 3 does not exist).
        try broken.sendRaw([0x36, 0x05, 0x00, 0x01, 0x74, 0x00, 0x01])
        let (closed, before) = broken.waitUntilClosed()
        XCTAssertTrue(closed, "the broken connection stays open")
        // A 5.0 client is told why: DISCONNECT 0x81 Malformed Packet.
        if case .disconnect(let disconnect) = before.last {
            XCTAssertEqual(disconnect.reasonCode, .malformedPacket)
        } else {
            XCTFail("expected a DISCONNECT before the close, got \(before)")
        }

        let other = try client(server, id: "other")
        try other.send(Self.publish("still/here", "yes"))
        guard case .publish(let publish) = try healthy.receive() else { return XCTFail("expected PUBLISH") }
        XCTAssertEqual(publish.payload, Array("yes".utf8))
    }

    func testAPacketOverTheMaximumSizeIsRefusedFromItsFixedHeader() async throws {
        let server = try await startServer { $0.engine.maxPacketSize = 100 }
        let client = try self.client(server, id: "big", version: .v5_0)
        // A PUBLISH announcing 1,000,000 bytes; the body is never sent. The broker must not wait for it.
        try client.sendRaw([0x30, 0xC0, 0x84, 0x3D])
        let (closed, before) = client.waitUntilClosed(timeout: 5)
        XCTAssertTrue(closed, "the broker waited for the body of an oversized packet")
        if case .disconnect(let disconnect) = before.last {
            XCTAssertEqual(disconnect.reasonCode, .packetTooLarge)
        } else {
            XCTFail("expected DISCONNECT 0x95 before the close, got \(before)")
        }
        // A packet under the limit is fine on another connection.
        let small = try self.client(server, id: "small")
        try small.send(.pingreq)
        XCTAssertEqual(try small.receive(), .pingresp)
    }

    func testConnectionsOverTheLimitAreClosedAtOnce() async throws {
        let sink = RecordingSink()
        let server = try await startServer(sink: sink) { $0.maxConnections = 2 }
        let first = try client(server, id: "one")
        let second = try client(server, id: "two")
        let third = try WireClient(port: server.port)
        let (closed, _) = third.waitUntilClosed(timeout: 5)
        XCTAssertTrue(closed, "a third connection stayed open over a limit of 2")
        XCTAssertTrue(sink.waitUntil { $0.transport.contains { if case .refusedOverLimit(_, 2) = $0 { true } else { false } } })
        // The two admitted clients keep working, and a slot frees when one leaves.
        try first.send(.pingreq)
        XCTAssertEqual(try first.receive(), .pingresp)
        second.close()
        var admitted: WireClient?
        for _ in 0..<50 where admitted == nil {
            if let candidate = try? WireClient(port: server.port), (try? candidate.connect(clientID: "three", timeout: 1)) != nil {
                admitted = candidate
            } else {
                try await Task.sleep(nanoseconds: 20_000_000)
            }
        }
        XCTAssertNotNil(admitted, "no slot freed after a client left")
        let statistics = try await server.statistics()
        XCTAssertGreaterThanOrEqual(statistics.refusedConnections, 1)
        XCTAssertEqual(statistics.openConnections, 2)
    }

    func testASubscriberThatDoesNotReadGetsQoS0DroppedNotQueued() async throws {
        let sink = RecordingSink()
        let server = try await startServer(sink: sink) {
            $0.writeBufferWaterMark = .init(low: 16 * 1024, high: 64 * 1024)
        }
        let sleeper = try WireClient(port: server.port, receiveBuffer: 4096)
        try sleeper.connect(clientID: "sleeper")
        try subscribe(sleeper, "flood")
        let publisher = try client(server, id: "publisher")
        let payload = String(repeating: "x", count: 8 * 1024)
        var chunk: [UInt8] = []
        for _ in 0..<64 { chunk += try Self.publish("flood", payload).encode(version: .v3_1_1) }
        // 64 × 8 KB = 512 KB per write, 8 MB in all: far more than the socket buffers and water mark hold.
        for _ in 0..<16 { try publisher.sendRaw(chunk) }
        // The publisher is still served promptly: the broker did not stall on the sleeping subscriber.
        try publisher.send(.pingreq)
        var answer = try publisher.receive(timeout: 10)
        while case .publish = answer { answer = try publisher.receive(timeout: 10) }
        XCTAssertEqual(answer, .pingresp)
        let statistics = try await server.statistics()
        XCTAssertGreaterThan(statistics.droppedForSlowConsumers, 0)
        XCTAssertTrue(sink.transport.contains { if case .droppedForSlowConsumer(_, "sleeper", "flood") = $0 { true } else { false } })
    }
}

extension RobustnessTests {
    func testBytesThatDoNotStartWithAConnectAreClosedAtOnce() async throws {
        let sink = RecordingSink()
        let server = try await startServer(sink: sink)
        let browser = try WireClient(port: server.port)
        // 'G' reads as a PUBACK announcing 69 more bytes that never come: the broker must not wait for them.
        try browser.sendRaw(Array("GET / HTTP/1.1\r\nHost: mqttlab\r\n\r\n".utf8))
        let (closed, before) = browser.waitUntilClosed(timeout: 2)
        XCTAssertTrue(closed, "an HTTP request kept the connection open")
        XCTAssertEqual(before, [], "nothing is answered to a client that is not MQTT")
        XCTAssertTrue(sink.waitUntil { $0.transport.contains { if case .notAConnect(_, 0x47) = $0 { true } else { false } } })
        let fine = try client(server, id: "fine")
        try fine.send(.pingreq)
        XCTAssertEqual(try fine.receive(), .pingresp)
    }
}
