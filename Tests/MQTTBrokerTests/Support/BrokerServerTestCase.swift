import MQTTBroker
import MQTTBrokerCore
import MQTTCodec
import XCTest

/// Starts a real `BrokerServer` on 127.0.0.1, port 0 (the OS picks), and shuts it down after the test.
class BrokerServerTestCase: XCTestCase {
    func startServer(
        sink: RecordingSink? = nil, _ configure: (inout BrokerServerConfiguration) -> Void = { _ in }
    ) async throws -> BrokerServer {
        var configuration = BrokerServerConfiguration(host: "127.0.0.1", port: 0)
        configure(&configuration)
        let server = try await BrokerServer.start(configuration: configuration, traceSink: sink)
        addTeardownBlock { try? await server.shutdown() }
        return server
    }

    /// A connected client whose CONNECT was accepted.
    func client(_ server: BrokerServer, id: String, version: ProtocolVersion = .v3_1_1, cleanStart: Bool = true,
                file: StaticString = #filePath, line: UInt = #line) throws -> WireClient {
        let client = try WireClient(port: server.port, version: version)
        let connack = try client.connect(clientID: id, cleanStart: cleanStart)
        XCTAssertEqual(connack.reasonCode, .success, "CONNACK for \(id)", file: file, line: line)
        return client
    }

    /// SUBSCRIBE and its SUBACK.
    func subscribe(_ client: WireClient, _ filter: String, qos: QoS = .atMostOnce, packetID: UInt16 = 1,
                   file: StaticString = #filePath, line: UInt = #line) throws {
        try client.send(.subscribe(Subscribe(packetID: packetID, subscriptions: [.init(filter: filter, qos: qos)])))
        let answer = try client.receive()
        guard case .suback(let suback) = answer else {
            return XCTFail("expected SUBACK, got \(answer)", file: file, line: line)
        }
        XCTAssertEqual(suback.packetID, packetID, file: file, line: line)
    }

    static func publish(_ topic: String, _ text: String, qos: QoS = .atMostOnce, packetID: UInt16? = nil) -> Packet {
        .publish(Publish(topic: topic, payload: Array(text.utf8), qos: qos, packetID: packetID))
    }
}
