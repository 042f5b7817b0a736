import Foundation
import MQTTBroker
import MQTTBrokerCore
import MQTTCodec
import XCTest

/// The clock and the engine's `.close`: ticks reach the engine, and a close waits for the packet that
/// explains it.
final class TimeAndCloseTests: BrokerServerTestCase {
    func testTicksLetTheEngineEndASilentConnection() async throws {
        let sink = RecordingSink()
        let server = try await startServer(sink: sink) { $0.tickInterval = .milliseconds(100) }
        let quiet = try WireClient(port: server.port)
        try quiet.connect(clientID: "quiet", keepAlive: 1)
        // Keep alive 1 s: after 1.5 s without a packet the broker closes the connection.
        let (closed, _) = quiet.waitUntilClosed(timeout: 5)
        XCTAssertTrue(closed, "a connection silent for over 1.5 × its keep alive stayed open")
        XCTAssertTrue(sink.waitUntil {
            $0.events.contains { if case .connectionEnded(_, "quiet", _, .keepAliveExpired) = $0 { true } else { false } }
        })
    }

    /// `$SYS/broker/bytes/sent` counts what the transport wrote (it stayed 0: nothing told the engine).
    func testSysBytesSentCountsWhatWasWritten() async throws {
        let server = try await startServer {
            $0.tickInterval = .milliseconds(100)
            $0.engine.sysInterval = 1
        }
        let watcher = try client(server, id: "watcher")
        try subscribe(watcher, "$SYS/broker/bytes/sent")
        try subscribe(watcher, "casa/#", packetID: 2)
        let sender = try client(server, id: "sender")
        for number in 0..<5 { try sender.send(Self.publish("casa/luz", "message \(number)")) }
        var counted: Int?
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            guard case .publish(let publish) = try watcher.receive() else { continue }
            if publish.topic == "$SYS/broker/bytes/sent", let value = Int(String(decoding: publish.payload, as: UTF8.self)), value > 0 {
                counted = value
                break
            }
        }
        // At least the CONNACKs, the SUBACKs and the five deliveries of 18 bytes each.
        XCTAssertGreaterThan(try XCTUnwrap(counted, "no $SYS/broker/bytes/sent above 0 within 5 s"), 4 + 4 + 5 * 18)
    }

    func testARefusedConnectGetsItsConnAckBeforeTheClose() async throws {
        let server = try await startServer()
        let client = try WireClient(port: server.port)
        // CONNECT with protocol level 6, which does not exist.
        try client.sendRaw([0x10, 0x0F, 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x06, 0x02, 0x00, 0x3C, 0x00, 0x03, 0x61, 0x62, 0x63])
        let (closed, before) = client.waitUntilClosed()
        XCTAssertTrue(closed)
        guard case .connack(let connack) = before.first else { return XCTFail("expected a CONNACK before the close, got \(before)") }
        XCTAssertEqual(connack.reasonCode.rawValue, 0x01, "3.1.1: unacceptable protocol version")
    }

    func testARefusedSubscriptionIsAnsweredWith0x80() async throws {
        let server = try await startServer { $0.engine.refusedFilters = ["secret/#"] }
        let client = try client(server, id: "curious")
        try client.send(.subscribe(Subscribe(packetID: 9, subscriptions: [.init(filter: "secret/#", qos: .atLeastOnce),
                                                                           .init(filter: "open", qos: .atLeastOnce)])))
        guard case .suback(let suback) = try client.receive() else { return XCTFail("expected SUBACK") }
        XCTAssertEqual(suback.reasonCodes.map(\.rawValue), [0x80, 0x01])
    }
}
