import MQTTBroker
import MQTTBrokerCore
import MQTTCodec
import XCTest

final class ConnectionTests: BrokerServerTestCase {
    func testPortZeroListensOnAFreePortAndSaysWhich() async throws {
        let server = try await startServer()
        XCTAssertGreaterThan(server.port, 0)
        XCTAssertEqual(server.localAddress.ipAddress, "127.0.0.1")
        XCTAssertEqual(server.addressText, "127.0.0.1:\(server.port)")
    }

    func testConnectIsAnsweredInBothVersions() async throws {
        let server = try await startServer()
        for version in [ProtocolVersion.v3_1_1, .v5_0, .v3_1] {
            let client = try WireClient(port: server.port, version: version)
            let connack = try client.connect(clientID: "c-\(version)")
            XCTAssertEqual(connack.reasonCode, .success, "\(version)")
            XCTAssertFalse(connack.sessionPresent)
            try client.send(.pingreq)
            XCTAssertEqual(try client.receive(), .pingresp, "\(version)")
        }
    }

    func testPublishIsDeliveredToAnotherClient() async throws {
        let server = try await startServer()
        let ana = try client(server, id: "ana")
        try subscribe(ana, "Casa/+/Temperatura", qos: .atLeastOnce)
        let sensor = try client(server, id: "sensor1", version: .v5_0)
        try sensor.send(Self.publish("Casa/Cocina/Temperatura", "22.5", qos: .atLeastOnce, packetID: 7))
        guard case .puback(let ack) = try sensor.receive() else { return XCTFail("expected PUBACK") }
        XCTAssertEqual(ack.packetID, 7)
        guard case .publish(let delivered) = try ana.receive() else { return XCTFail("expected PUBLISH") }
        XCTAssertEqual(delivered.topic, "Casa/Cocina/Temperatura")
        XCTAssertEqual(delivered.payload, Array("22.5".utf8))
        XCTAssertEqual(delivered.qos, .atLeastOnce)
        XCTAssertNotNil(delivered.packetID)
    }

    func testAVersion5ConnectionIsAnsweredIn5AndA311OneIn311() async throws {
        // Each connection keeps the version of its own CONNECT: the same PUBLISH reaches a 5.0
        // subscriber with a properties block and a 3.1.1 subscriber without one.
        let server = try await startServer()
        let five = try client(server, id: "five", version: .v5_0)
        let three = try client(server, id: "three")
        try subscribe(five, "t")
        try subscribe(three, "t")
        let publisher = try client(server, id: "p")
        try publisher.send(Self.publish("t", "x"))
        guard case .publish(let toFive) = try five.receive(), case .publish(let toThree) = try three.receive() else {
            return XCTFail("expected two PUBLISH")
        }
        XCTAssertEqual(toFive.payload, Array("x".utf8))
        XCTAssertEqual(toThree.payload, Array("x".utf8))
    }

    func testATakenPortIsReportedAsSuch() async throws {
        let first = try await startServer()
        do {
            let second = try await BrokerServer.start(configuration: BrokerServerConfiguration(host: "127.0.0.1", port: first.port))
            try? await second.shutdown()
            XCTFail("a second broker started on a taken port")
        } catch let error as BrokerServerError {
            XCTAssertEqual(error, .addressInUse(host: "127.0.0.1", port: first.port))
        }
    }

    func testAnAddressThatIsNotThisMachinesIsRefused() async throws {
        do {
            let server = try await BrokerServer.start(configuration: BrokerServerConfiguration(host: "not an address", port: 0))
            try? await server.shutdown()
            XCTFail("started on a nonsense address")
        } catch let error as BrokerServerError {
            guard case .cannotResolve = error else { return XCTFail("\(error)") }
        }
    }
}
