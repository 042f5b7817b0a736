import MQTTBroker
import MQTTBrokerCore
import MQTTCodec
import XCTest

final class TraceTests: BrokerServerTestCase {
    func testPacketRecordsCarryBytesVersionClientAndDirection() async throws {
        let sink = RecordingSink()
        let server = try await startServer(sink: sink)
        let ana = try client(server, id: "ana", version: .v5_0)
        try subscribe(ana, "Casa/#")
        XCTAssertTrue(sink.waitUntil { $0.packets.count >= 4 })
        let records = sink.packets
        XCTAssertEqual(records.map(\.direction), [.incoming, .outgoing, .incoming, .outgoing])
        XCTAssertEqual(records.map { $0.packet?.type }, [.connect, .connack, .subscribe, .suback])
        XCTAssertEqual(records.map(\.clientID), ["ana", "ana", "ana", "ana"])
        XCTAssertEqual(records[1...].map(\.version), [.v5_0, .v5_0, .v5_0])
        for record in records {
            // The bytes are the packet's own: decoding them gives the packet again.
            XCTAssertEqual(try PacketDecoder.decode(record.bytes, version: .v5_0), record.packet)
        }
        XCTAssertTrue(sink.events.contains { if case .sessionStarted(_, "ana", false, _, false) = $0 { true } else { false } })
    }

    func testNothingIsTracedWithoutASinkAndTracingStartsWhenOneIsAttached() async throws {
        let server = try await startServer()
        let early = try client(server, id: "early")
        try subscribe(early, "t")

        let sink = RecordingSink()
        try await server.setTraceSink(sink)
        let late = try client(server, id: "late")
        try late.send(Self.publish("t", "hi"))
        guard case .publish = try early.receive() else { return XCTFail("expected PUBLISH") }
        XCTAssertTrue(sink.waitUntil { $0.packets.contains { $0.clientID == "early" && $0.packet?.type == .publish } })
        XCTAssertFalse(sink.packets.contains { $0.packet?.type == .subscribe }, "a packet from before the sink was traced")
        XCTAssertTrue(sink.events.contains { if case .routed(topic: "t", _, _, _) = $0 { true } else { false } })

        try await server.setTraceSink(nil)
        let seen = sink.packets.count
        try late.send(.pingreq)
        XCTAssertEqual(try late.receive(), .pingresp)
        XCTAssertEqual(sink.packets.count, seen, "traced after the sink was detached")
    }

    func testAMalformedPacketIsTracedWithItsErrorAndTheViolationEvent() async throws {
        let sink = RecordingSink()
        let server = try await startServer(sink: sink)
        let broken = try client(server, id: "broken")
        try broken.sendRaw([0x36, 0x05, 0x00, 0x01, 0x74, 0x00, 0x01])
        XCTAssertTrue(broken.waitUntilClosed().closed)
        XCTAssertTrue(sink.waitUntil { $0.packets.contains { $0.error != nil } })
        let record = try XCTUnwrap(sink.packets.first { $0.error != nil })
        XCTAssertEqual(record.error?.violation, .qos3)
        XCTAssertEqual(record.bytes, [0x36, 0x05, 0x00, 0x01, 0x74, 0x00, 0x01])
        XCTAssertEqual(record.clientID, "broken")
        XCTAssertTrue(sink.waitUntil { $0.events.contains { if case .violation = $0 { true } else { false } } })
    }

    /// The trace shows what happened in order: the DISCONNECT the broker sends before the line saying the
    /// connection closed, although the engine decides both at once (a bug of the first trace).
    func testEventsAreTracedAmongThePacketsInTheOrderTheyHappen() async throws {
        let sink = RecordingSink()
        let server = try await startServer(sink: sink)
        let broken = try client(server, id: "broken", version: .v5_0)
        try broken.sendRaw([0x36, 0x00])  // QoS 3: malformed, 5.0 gets DISCONNECT 0x81 first
        XCTAssertTrue(broken.waitUntilClosed().closed)
        XCTAssertTrue(sink.waitUntil { $0.order.contains("event connectionEnded") })
        let order = sink.order
        let disconnect = try XCTUnwrap(order.firstIndex(of: "out DISCONNECT"))
        let ended = try XCTUnwrap(order.firstIndex(of: "event connectionEnded"))
        XCTAssertLessThan(disconnect, ended, "\(order)")
    }
}
