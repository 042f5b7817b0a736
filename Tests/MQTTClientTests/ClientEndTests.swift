import MQTTBroker
@testable import MQTTClient
import MQTTCodec
import NIOCore
import XCTest

/// Waiting ends: a cancelled wait for a message, and a broker that closes the socket before CONNACK.
final class ClientEndTests: ClientTestCase {
    /// A task waiting in `nextMessage()` stops with `.cancelled` when cancelled; before, it waited for
    /// ever, so a timeout racing it (like `next(_:seconds:)`) could never fire.
    func testCancellingAWaitForAMessageEndsIt() async throws {
        let server = try await startBroker()
        let client = try await connect(server, id: "waiter")
        let waiting = Task { try await client.nextMessage() }
        try await Task.sleep(for: .milliseconds(100))
        waiting.cancel()
        let started = ContinuousClock.now
        do {
            _ = try await waiting.value
            XCTFail("no message was published: the wait must end with an error")
        } catch MQTTClientError.cancelled {
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
        }
        // The client still works afterwards.
        _ = try await client.subscribe([.init(filter: "t", qos: .atMostOnce)])
    }

    /// A broker at its connection limit closes new sockets at once: connecting fails with an error.
    func testConnectingToAFullBrokerFailsInsteadOfHanging() async throws {
        var configuration = BrokerServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.maxConnections = 1
        let server = try await BrokerServer.start(configuration: configuration)
        addTeardownBlock { try? await server.shutdown() }
        _ = try await connect(server, id: "first")
        for attempt in 0..<5 {
            var second = MQTTClientConfiguration(host: "127.0.0.1", port: server.port, version: .v3_1_1, clientID: "second-\(attempt)")
            second.connectTimeout = .seconds(20)
            let started = ContinuousClock.now
            do {
                let client = try await MQTTClient.connect(second)
                await client.disconnect()
                XCTFail("a broker at its limit cannot accept a second client")
            } catch {
                XCTAssertLessThan(ContinuousClock.now - started, .seconds(10), "refused at once, not after the connect timeout")
            }
        }
    }

    /// A plain CONNECT sent to a TLS port gets a TLS alert back. Read as MQTT its first byte is a CONNECT
    /// with flags 0101, and the client used to report exactly that ("protocol error: … flags …"), which
    /// sent learners looking at the wrong thing. It says the port expects TLS (the CLI adds what to do).
    func testATLSAnswerToAPlainConnectSaysThePortExpectsTLS() async throws {
        // A TLS 1.2 record: alert, fatal, unexpected_message — what a TLS server sends to bytes that are
        // not a ClientHello.
        let broker = try SilentBroker(answer: [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0A])
        defer { broker.stop() }
        let configuration = MQTTClientConfiguration(host: "127.0.0.1", port: broker.port, version: .v3_1_1, clientID: "plain")
        do {
            let client = try await MQTTClient.connect(configuration)
            await client.disconnect()
            XCTFail("a TLS answer cannot be a CONNACK")
        } catch {
            XCTAssertEqual(error, .tlsExpected)
        }
    }

    func testOnlyATLSRecordHeaderLooksLikeTLS() {
        let view = { (bytes: [UInt8]) in ByteBuffer(bytes: bytes).readableBytesView }
        XCTAssertTrue(ClientConnectionHandler.looksLikeTLS(view([0x15, 0x03, 0x03])))
        XCTAssertTrue(ClientConnectionHandler.looksLikeTLS(view([0x16, 0x03, 0x01, 0x00])))
        XCTAssertFalse(ClientConnectionHandler.looksLikeTLS(view([0x20, 0x02, 0x00, 0x00])), "a CONNACK")
        XCTAssertFalse(ClientConnectionHandler.looksLikeTLS(view([0x15])), "too short to say")
        XCTAssertFalse(ClientConnectionHandler.looksLikeTLS(view([0x16, 0x02])))
    }

    /// A 5.0 client that announced Maximum Packet Size 1024 refuses a bigger packet from its fixed header,
    /// before buffering its body [MQTT-3.1.2-24]; before, it would buffer up to 256 MB.
    func testABiggerPacketThanTheAnnouncedMaximumEndsTheConnection() async throws {
        // CONNACK (5.0, no properties), then a PUBLISH announcing 65,535 bytes of body that never come.
        let broker = try SilentBroker(answer: [0x20, 0x03, 0x00, 0x00, 0x00, 0x30, 0xFF, 0xFF, 0x03])
        defer { broker.stop() }
        var configuration = MQTTClientConfiguration(host: "127.0.0.1", port: broker.port, version: .v5_0, clientID: "small")
        configuration.connectProperties = [.maximumPacketSize(1024)]
        let client = try await MQTTClient.connect(configuration)
        do {
            _ = try await client.nextMessage()
            XCTFail("the oversized packet must end the connection")
        } catch {
            guard case .protocolViolation(let why) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(why.contains("1024"), why)
        }
    }

    /// A 5.0 client that announced Receive Maximum 2 ends the connection when the broker leaves a third
    /// QoS 2 message unreleased [MQTT-3.3.4-9]; before, it kept every one of them in memory.
    func testMoreUnreleasedQoS2ThanTheReceiveMaximumEndsTheConnection() async throws {
        // CONNACK (5.0), then three QoS 2 PUBLISH "q" with ids 1, 2, 3 and no PUBREL ever.
        let qos2: (UInt8) -> [UInt8] = { id in [0x34, 0x07, 0x00, 0x01, 0x71, 0x00, id, 0x00, 0x78] }
        let broker = try SilentBroker(answer: [0x20, 0x03, 0x00, 0x00, 0x00] + qos2(1) + qos2(2) + qos2(3))
        defer { broker.stop() }
        var configuration = MQTTClientConfiguration(host: "127.0.0.1", port: broker.port, version: .v5_0, clientID: "few")
        configuration.connectProperties = [.receiveMaximum(2)]
        let client = try await MQTTClient.connect(configuration)
        do {
            _ = try await client.nextMessage()
            XCTFail("the third unreleased QoS 2 message must end the connection")
        } catch {
            guard case .protocolViolation(let why) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(why.contains("Receive Maximum of 2"), why)
        }
    }
}
