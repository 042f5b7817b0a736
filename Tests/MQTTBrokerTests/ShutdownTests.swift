import MQTTBroker
import MQTTBrokerCore
import MQTTCodec
import XCTest

final class ShutdownTests: BrokerServerTestCase {
    func testShutdownClosesEveryConnectionAndTheListener() async throws {
        let server = try await BrokerServer.start(configuration: BrokerServerConfiguration(host: "127.0.0.1", port: 0))
        let port = server.port
        let old = try client(server, id: "old")
        let new = try client(server, id: "new", version: .v5_0)
        let silent = try WireClient(port: port)  // connected, never sent a CONNECT

        try await server.shutdown()

        for (name, connection) in [("3.1.1", old), ("not connected", silent)] {
            let (closed, _) = connection.waitUntilClosed(timeout: 5)
            XCTAssertTrue(closed, "\(name) client still open after shutdown")
        }
        let (closed, before) = new.waitUntilClosed(timeout: 5)
        XCTAssertTrue(closed, "5.0 client still open after shutdown")
        XCTAssertEqual(before, [.disconnect(Disconnect(reasonCode: .serverShuttingDown))])
        XCTAssertThrowsError(try WireClient(port: port), "the port still accepts connections")
    }

    func testShutdownTwiceIsHarmlessAndLaterCallsSayItIsDown() async throws {
        let server = try await BrokerServer.start(configuration: BrokerServerConfiguration(host: "127.0.0.1", port: 0))
        try await server.shutdown()
        try await server.shutdown()
        do {
            _ = try await server.statistics()
            XCTFail("statistics after shutdown")
        } catch let error as BrokerServerError {
            XCTAssertEqual(error, .alreadyShutDown)
        }
    }
}
