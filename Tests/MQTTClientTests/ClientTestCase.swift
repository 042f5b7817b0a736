import MQTTBroker
import MQTTClient
import MQTTCodec
import XCTest

/// Runs the client against a real `BrokerServer` (mqttlab's broker, in process) on a free port.
class ClientTestCase: XCTestCase {
    func startBroker() async throws -> BrokerServer {
        let server = try await BrokerServer.start(configuration: BrokerServerConfiguration(host: "127.0.0.1", port: 0))
        addTeardownBlock { try? await server.shutdown() }
        return server
    }

    func connect(_ server: BrokerServer, id: String, version: ProtocolVersion = .v3_1_1,
                 _ configure: (inout MQTTClientConfiguration) -> Void = { _ in }) async throws -> MQTTClient {
        var configuration = MQTTClientConfiguration(host: "127.0.0.1", port: server.port, version: version, clientID: id)
        configure(&configuration)
        let client = try await MQTTClient.connect(configuration)
        addTeardownBlock { await client.disconnect() }
        return client
    }

    /// The next message, failing the test after `seconds`.
    func next(_ client: MQTTClient, seconds: Double = 5, file: StaticString = #filePath, line: UInt = #line) async throws -> MQTTMessage {
        let message = try await withThrowingTaskGroup(of: MQTTMessage?.self) { group in
            group.addTask { try await client.nextMessage() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        return try XCTUnwrap(message, "no message within \(seconds) s", file: file, line: line)
    }
}
