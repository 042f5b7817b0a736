import MQTTBrokerCore
import MQTTCodec
import XCTest

final class ConnectTests: XCTestCase {
    func testAcceptsBothVersionsWithANewSession() {
        let harness = EngineHarness()
        let (_, v3) = harness.connect("ana")
        XCTAssertEqual(v3, ConnAck(sessionPresent: false, reasonCode: .success))
        let (_, v5) = harness.connect("ben", version: .v5_0)
        XCTAssertEqual(v5?.reasonCode, .success)
        XCTAssertTrue(v5?.properties.contains(.receiveMaximum(20)) ?? false, "5.0 CONNACK announces the broker's limits")
    }

    /// [MQTT-3.1.3-8]: 3.1.1 refuses an empty client id without a clean session; [MQTT-3.1.3-6]/5.0 assigns one.
    func testEmptyClientIdentifier() {
        let harness = EngineHarness()
        let (refused, refusal) = harness.connect("", clean: false)
        XCTAssertEqual(refusal?.reasonCode, ReasonCode(0x02))
        XCTAssertTrue(harness.closed.contains(refused))
        let (_, accepted) = harness.connect("", clean: true)
        XCTAssertEqual(accepted?.reasonCode, .success)
        let (_, v5) = harness.connect("", version: .v5_0, clean: false)
        XCTAssertEqual(v5?.reasonCode, .success)
        XCTAssertNotNil(v5?.properties.firstValue { if case .assignedClientIdentifier(let id) = $0 { id } else { nil } })
    }

    /// [MQTT-3.1.2-2] and pitfall §10.9: an unknown level gets `20 02 00 01` and the close.
    func testUnknownProtocolLevelGetsA311Refusal() throws {
        let harness = EngineHarness()
        let id = harness.open()
        let bytes: [UInt8] = [0x10, 0x0D, 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x06, 0x02, 0x00, 0x3C, 0x00, 0x01, 0x61]
        XCTAssertThrowsError(try PacketDecoder.decode(bytes, version: .v3_1_1)) { error in
            harness.feed(.malformed(id, error as! MalformedPacket))
        }
        let sent = harness.take(id)
        XCTAssertEqual(sent, [.connack(ConnAck(reasonCode: ReasonCode(0x01)))])
        XCTAssertEqual(try sent[0].encode(version: .v3_1_1), [0x20, 0x02, 0x00, 0x01])
        XCTAssertTrue(harness.closed.contains(id))
    }

    /// A second CONNECT is a protocol violation [MQTT-3.1.0-2]; 5.0 hears DISCONNECT 0x82 first.
    func testSecondConnectClosesTheConnection() {
        let harness = EngineHarness()
        let (id, _) = harness.connect("ana", version: .v5_0)
        harness.send(.connect(Connect(version: .v5_0, clientID: "ana")), from: id)
        XCTAssertEqual(harness.take(id), [.disconnect(Disconnect(reasonCode: .protocolError, properties: [
            .reasonString("a second CONNECT on a connection that is already connected [MQTT-3.1.0-2]"),
        ]))])
        XCTAssertTrue(harness.closed.contains(id))
    }

    /// A packet before CONNECT closes the connection without an answer [MQTT-3.1.0-1].
    func testPacketBeforeConnectCloses() {
        let harness = EngineHarness()
        let id = harness.open()
        harness.send(.pingreq, from: id)
        XCTAssertEqual(harness.take(id), [])
        XCTAssertTrue(harness.closed.contains(id))
    }

    /// [MQTT-3.1.4-2] 3.1.1 closes the old connection; [MQTT-3.1.4-3] 5.0 sends it DISCONNECT 0x8E.
    func testTakeOver() {
        let harness = EngineHarness()
        let (old, _) = harness.connect("ana", version: .v5_0)
        let (new, connack) = harness.connect("ana", version: .v5_0)
        XCTAssertEqual(harness.take(old), [.disconnect(Disconnect(reasonCode: .sessionTakenOver))])
        XCTAssertTrue(harness.closed.contains(old))
        XCTAssertFalse(harness.closed.contains(new))
        XCTAssertEqual(connack?.reasonCode, .success)
        XCTAssertTrue(harness.events.contains(.takenOver(old: old, new: new, clientID: "ana")))
    }

    /// Keep alive: no packet for 1.5 × keep alive closes the connection [MQTT-3.1.2-24]; any packet resets it.
    func testKeepAliveExpiry() {
        let harness = EngineHarness()
        let (id, _) = harness.connect("ana", keepAlive: 10)
        harness.advance(seconds: 14)
        XCTAssertFalse(harness.closed.contains(id))
        harness.send(.pingreq, from: id)
        XCTAssertEqual(harness.take(id), [.pingresp])
        harness.advance(seconds: 14)
        XCTAssertFalse(harness.closed.contains(id), "the PINGREQ reset the timer")
        harness.advance(seconds: 2)
        XCTAssertTrue(harness.closed.contains(id))
    }

    /// 5.0 Server Keep Alive when the client asks for more than the broker's maximum [MQTT-3.2.2-21].
    func testServerKeepAlive() {
        let harness = EngineHarness { $0.maxKeepAlive = 30 }
        let (_, connack) = harness.connect("ana", version: .v5_0, keepAlive: 600)
        XCTAssertTrue(connack?.properties.contains(.serverKeepAlive(30)) ?? false)
    }

    /// A malformed packet after CONNACK: 5.0 gets DISCONNECT with the violation's reason code.
    func testMalformedPacketAfterConnack() {
        let harness = EngineHarness()
        let (id, _) = harness.connect("ana", version: .v5_0)
        harness.feed(.malformed(id, MalformedPacket(.qos3, at: 0, version: .v5_0)))
        // With a reason string naming the rule, so the client's log says what went wrong.
        XCTAssertEqual(harness.take(id), [.disconnect(Disconnect(
            reasonCode: .malformedPacket, properties: [.reasonString("QoS 3 does not exist (both QoS bits set) [MQTT-3.3.1-4]")]))])
        XCTAssertTrue(harness.closed.contains(id))
    }

    /// Reason strings go on a refused SUBACK unless the client asked for none (Request Problem
    /// Information 0) [MQTT-3.1.2-29]; never to 3.1.1 clients.
    func testReasonStringsFollowRequestProblemInformation() {
        let harness = EngineHarness { $0.refusedFilters = ["secreto/#"] }
        let (curious, _) = harness.connect("curious", version: .v5_0)
        XCTAssertEqual(harness.subscribe(curious, "secreto/a")?.properties,
                       [.reasonString("refused by the broker's --refuse-subscribe setting")])
        let (quiet, _) = harness.connect("quiet", version: .v5_0, properties: [.requestProblemInformation(0)])
        XCTAssertEqual(harness.subscribe(quiet, "secreto/a")?.properties, [])
        let (old, _) = harness.connect("old")
        XCTAssertEqual(harness.subscribe(old, "secreto/a")?.properties, [])
    }
}
