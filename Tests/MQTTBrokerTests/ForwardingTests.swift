import MQTTBroker
import MQTTCodec
import XCTest

/// The untraced broker forwards received PUBLISH bytes. Over real sockets: small and big payloads (a big
/// QoS 0 one is one buffer shared by every subscriber), each subscriber's own packet ids, and both
/// protocol versions side by side, all arriving intact and in order.
final class ForwardingTests: BrokerServerTestCase {
    func testSmallAndBigPayloadsReachEverySubscriberIntactAndInOrder() async throws {
        let server = try await startServer()
        var subscribers: [WireClient] = []
        for (index, version) in [ProtocolVersion.v3_1_1, .v5_0, .v3_1_1].enumerated() {
            let subscriber = try client(server, id: "sub\(index)", version: version)
            try subscribe(subscriber, "casa/#", qos: .atLeastOnce)
            subscribers.append(subscriber)
        }
        let publisher = try client(server, id: "pub")
        let big = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try publisher.send(.publish(Publish(topic: "casa/a", payload: Array("small".utf8))))
        try publisher.send(.publish(Publish(topic: "casa/b", payload: big)))
        try publisher.send(.publish(Publish(topic: "casa/c", payload: Array("after".utf8), qos: .atLeastOnce, packetID: 77)))
        guard case .puback(let ack) = try publisher.receive() else { return XCTFail("expected PUBACK") }
        XCTAssertEqual(ack.packetID, 77)
        for (index, subscriber) in subscribers.enumerated() {
            var received: [Publish] = []
            while received.count < 3 {
                guard case .publish(let publish) = try subscriber.receive() else { continue }
                received.append(publish)
            }
            XCTAssertEqual(received.map(\.topic), ["casa/a", "casa/b", "casa/c"], "subscriber \(index)")
            XCTAssertEqual(received[1].payload, big, "subscriber \(index): the big payload, byte for byte")
            XCTAssertEqual(received.map(\.qos), [.atMostOnce, .atMostOnce, .atLeastOnce])
            XCTAssertEqual(received[2].packetID, 1, "the subscriber's own packet id, not the publisher's 77")
            XCTAssertEqual(received.map(\.retain), [false, false, false])
        }
    }
}
