import MQTTBroker
import MQTTBrokerCore
import MQTTCodec
import NIOPosix
import XCTest

/// Several listeners share one engine: what is published on one port reaches subscribers on another.
final class ListenerTests: BrokerServerTestCase {
    func testTwoListenersShareOneBroker() async throws {
        let server = try await startServer { configuration in
            configuration.listeners.append(BrokerListenerAddress(host: "127.0.0.1", port: 0))
        }
        XCTAssertEqual(server.localAddresses.count, 2)
        let ports = server.localAddresses.compactMap(\.port)
        XCTAssertEqual(Set(ports).count, 2, "two different ports: \(ports)")
        XCTAssertEqual(server.addressTexts, ports.map { "127.0.0.1:\($0)" })

        let subscriber = try WireClient(port: ports[1], version: .v5_0)
        XCTAssertEqual(try subscriber.connect(clientID: "on-second").reasonCode, .success)
        try subscribe(subscriber, "casa/#")
        let publisher = try client(server, id: "on-first")
        try publisher.send(Self.publish("casa/luz", "ON"))
        guard case .publish(let delivered) = try subscriber.receive() else { return XCTFail("expected PUBLISH") }
        XCTAssertEqual(delivered.topic, "casa/luz")
    }

    func testAListenerThatCannotBindClosesTheOthersAndSaysWhichPort() async throws {
        // Occupy a port with a first broker, then ask a second one for a free port and that taken one.
        let first = try await startServer()
        var configuration = BrokerServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.listeners.append(BrokerListenerAddress(host: "127.0.0.1", port: first.port))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        addTeardownBlock { try? await group.shutdownGracefully() }
        do {
            let server = try await BrokerServer.start(configuration: configuration, eventLoopGroup: group)
            try? await server.shutdown()
            XCTFail("the second listener's port was taken: start must fail")
        } catch BrokerServerError.addressInUse(let host, let port) {
            XCTAssertEqual(host, "127.0.0.1")
            XCTAssertEqual(port, first.port)
        }
    }
}
