import MQTTBroker
import MQTTClient
import MQTTCodec
import XCTest

/// The client's acknowledgement flows, sessions and properties against mqttlab's broker.
final class ClientFlowTests: ClientTestCase {
    func testEveryQoSBothWaysInBothVersions() async throws {
        let server = try await startBroker()
        for version in [ProtocolVersion.v3_1_1, .v5_0] {
            let subscriber = try await connect(server, id: "sub-\(version)", version: version)
            let publisher = try await connect(server, id: "pub-\(version)", version: version)
            let suback = try await subscriber.subscribe([.init(filter: "lab/#", qos: .exactlyOnce)])
            XCTAssertEqual(suback.reasonCodes, [.grantedQoS2])
            for qos in QoS.allCases {
                let result = try await publisher.publish(topic: "lab/q\(qos.rawValue)", payload: Array("m\(qos.rawValue)".utf8), qos: qos)
                XCTAssertFalse(result.reasonCode.isFailure)
                let message = try await next(subscriber)
                XCTAssertEqual(message.topic, "lab/q\(qos.rawValue)")
                XCTAssertEqual(message.payload, Array("m\(qos.rawValue)".utf8))
                XCTAssertEqual(message.qos, qos, "delivered at min(published, subscribed)")
                XCTAssertEqual(message.packetID == 0, qos == .atMostOnce)
            }
        }
    }

    func testManyPublishesKeepTheInflightWindowAndAllArriveInOrder() async throws {
        let server = try await startBroker()
        let subscriber = try await connect(server, id: "s", version: .v5_0) { $0.inboxCapacity = 10 }
        _ = try await subscriber.subscribe([.init(filter: "w", qos: .atLeastOnce)])
        let publisher = try await connect(server, id: "p", version: .v5_0) { $0.maximumInflight = 3 }
        let futures = (0..<500).map { index in
            publisher.publishFuture(Publish(topic: "w", payload: Array("\(index)".utf8), qos: index % 2 == 0 ? .atLeastOnce : .exactlyOnce))
        }
        for future in futures { _ = try await future.get() }
        for index in 0..<500 {
            let message = try await next(subscriber)
            XCTAssertEqual(String(decoding: message.payload, as: UTF8.self), "\(index)")
        }
    }

    func testPersistentSessionReceivesWhatWasQueuedWhileOffline() async throws {
        let server = try await startBroker()
        for version in [ProtocolVersion.v3_1_1, .v5_0] {
            let id = "durable-\(version)"
            var first: MQTTClient? = try await connect(server, id: id, version: version) {
                $0.cleanStart = false
                $0.sessionExpiry = 300
            }
            _ = try await first!.subscribe([.init(filter: "offline/\(version)", qos: .atLeastOnce)])
            await first!.disconnect()
            first = nil
            let publisher = try await connect(server, id: "p-\(version)", version: version)
            try await publisher.publish(topic: "offline/\(version)", payload: Array("queued".utf8), qos: .atLeastOnce)
            let again = try await connect(server, id: id, version: version) {
                $0.cleanStart = false
                $0.sessionExpiry = 300
            }
            XCTAssertTrue(again.connectResult.sessionPresent)
            let message = try await next(again)
            XCTAssertEqual(message.payload, Array("queued".utf8))
        }
    }

    func testWillIsPublishedWhenTheConnectionDropsAndRetainedIsKept() async throws {
        let server = try await startBroker()
        let watcher = try await connect(server, id: "watcher")
        _ = try await watcher.subscribe([.init(filter: "status/#", qos: .atLeastOnce)])
        let mortal = try await connect(server, id: "mortal") {
            $0.will = Connect.Will(topic: "status/mortal", payload: Array("offline".utf8), qos: .atLeastOnce, retain: true)
        }
        await mortal.abort()
        let will = try await next(watcher)
        XCTAssertEqual(will.topic, "status/mortal")
        XCTAssertEqual(will.payload, Array("offline".utf8))
        let late = try await connect(server, id: "late")
        _ = try await late.subscribe([.init(filter: "status/#", qos: .atMostOnce)])
        let retained = try await next(late)
        XCTAssertTrue(retained.retain, "the will was retained")
    }

    func testV5PropertiesTravelAndNoLocalIsHonoured() async throws {
        let server = try await startBroker()
        let client = try await connect(server, id: "props", version: .v5_0)
        _ = try await client.subscribe([.init(filter: "own", options: .init(qos: .atLeastOnce, noLocal: true)),
                                        .init(filter: "req", qos: .atLeastOnce)])
        try await client.publish(topic: "own", payload: [1], qos: .atLeastOnce)
        let properties: Properties = [.userProperty(name: "k", value: "v"), .contentType("text/plain"),
                                      .responseTopic("reply/1"), .correlationData([9, 8]), .messageExpiryInterval(60)]
        try await client.publish(topic: "req", payload: Array("x".utf8), qos: .atLeastOnce, properties: properties)
        let message = try await next(client)
        XCTAssertEqual(message.topic, "req", "no local: its own message on 'own' was not sent back")
        XCTAssertEqual(message.properties.userProperties.map(\.name), ["k"])
        XCTAssertTrue(message.properties.contains(.responseTopic("reply/1")))
        XCTAssertTrue(message.properties.contains(.correlationData([9, 8])))
        XCTAssertTrue(message.properties.contains(.contentType("text/plain")))
    }

    func testRefusedConnectionCarriesTheCode() async throws {
        let server = try await startBroker()
        do {
            _ = try await connect(server, id: "", version: .v3_1_1) { $0.cleanStart = false }
            XCTFail("an empty id with a persistent session must be refused")
        } catch let error as MQTTClientError {
            XCTAssertEqual(error, .connectionRefused(ReasonCode(2), .v3_1_1))
        }
    }

    func testDeadBrokerIsDetectedByKeepAlive() async throws {
        // A listener that accepts, answers CONNACK, then never says anything again.
        let silent = try SilentBroker()
        defer { silent.stop() }
        let client = try await MQTTClient.connect(MQTTClientConfiguration(host: "127.0.0.1", port: silent.port, clientID: "k", keepAlive: 1))
        let start = ContinuousClock.now
        do {
            _ = try await client.nextMessage()
            XCTFail("the connection should fail")
        } catch {
            XCTAssertEqual(error, .keepAliveTimeout)
        }
        let elapsed = ContinuousClock.now - start
        XCTAssertLessThan(elapsed, .seconds(4), "PINGREQ after 1 s, given up 1 s later")
    }
}
