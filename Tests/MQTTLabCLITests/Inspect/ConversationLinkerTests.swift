import MQTTCodec
import XCTest

@testable import MQTTLabCLI

/// Related packets are linked into flows by packet id, connection and direction — and only those.
final class ConversationLinkerTests: XCTestCase {
    private func publish(_ topic: String, _ payload: String, qos: QoS, id: UInt16?, dup: Bool = false) -> Packet {
        .publish(Publish(topic: topic, payload: Array(payload.utf8), qos: qos, dup: dup, packetID: id))
    }

    private func kinds(_ conversations: [Conversation]) -> [Conversation.Kind] { conversations.map(\.kind) }

    func testAQoS2ExchangeOnEachSideOfTheBrokerIsItsOwnFlowAndTheDeliveryLinksThem() {
        let list = InspectFixtures.list([
            (1, .toBroker, .connect(Connect(clientID: "pub"))),
            (1, .toClient, .connack(ConnAck())),
            (1, .toBroker, publish("casa/temp", "22.5", qos: .exactlyOnce, id: 1)),  // 2
            (2, .toClient, publish("casa/temp", "22.5", qos: .exactlyOnce, id: 1)),  // 3: same id, other connection
            (1, .toClient, .pubrec(PublishAck(packetID: 1))),
            (2, .toBroker, .pubrec(PublishAck(packetID: 1))),
            (1, .toBroker, .pubrel(PublishAck(packetID: 1))),
            (2, .toClient, .pubrel(PublishAck(packetID: 1))),
            (1, .toClient, .pubcomp(PublishAck(packetID: 1))),
            (2, .toBroker, .pubcomp(PublishAck(packetID: 1))),
        ])
        let conversations = ConversationLinker.link(list.packets)
        XCTAssertEqual(conversations, [
            Conversation(kind: .connect, members: [0, 1]),
            Conversation(kind: .delivery, members: [2, 3]),
            Conversation(kind: .qos2, members: [2, 4, 6, 8], packetID: 1),
            Conversation(kind: .qos2, members: [3, 5, 7, 9], packetID: 1),
        ])
        let index = ConversationIndex(list.packets)
        XCTAssertEqual(kinds(index.conversations(of: 2)), [.qos2, .delivery], "the exchange first, then the delivery")
        XCTAssertEqual(kinds(index.conversations(of: 7)), [.qos2])
    }

    func testAReusedPacketIdStartsANewExchangeAndAResendJoinsTheOpenOne() {
        let list = InspectFixtures.list([
            (1, .toBroker, publish("a", "1", qos: .atLeastOnce, id: 5)),
            (1, .toBroker, publish("a", "1", qos: .atLeastOnce, id: 5, dup: true)),
            (1, .toClient, .puback(PublishAck(packetID: 5))),
            (1, .toBroker, publish("a", "2", qos: .atLeastOnce, id: 5)),
            (1, .toClient, .puback(PublishAck(packetID: 5))),
            (1, .toClient, .puback(PublishAck(packetID: 6))),  // answers nothing
        ])
        let exchanges = ConversationLinker.link(list.packets).filter { $0.kind == .qos1 }
        XCTAssertEqual(exchanges.map(\.members), [[0, 1, 2], [3, 4]])
    }

    func testAnAcknowledgementGoingTheWrongWayIsNotLinked() {
        let list = InspectFixtures.list([
            (1, .toBroker, publish("a", "1", qos: .atLeastOnce, id: 5)),
            (1, .toBroker, .puback(PublishAck(packetID: 5))),  // the client acknowledging its own message
            (2, .toClient, .puback(PublishAck(packetID: 5))),  // another connection
        ])
        XCTAssertEqual(ConversationLinker.link(list.packets), [])
    }

    func testSubscribePingAndUnsubscribeExchanges() {
        let list = InspectFixtures.list([
            (1, .toBroker, .subscribe(Subscribe(packetID: 2, subscriptions: [.init(filter: "casa/#", qos: .atLeastOnce)]))),
            (1, .toBroker, .pingreq),
            (1, .toClient, .suback(SubAck(packetID: 2, reasonCodes: [.grantedQoS1]))),
            (1, .toClient, .pingresp),
            (1, .toBroker, .unsubscribe(Unsubscribe(packetID: 3, filters: ["casa/#"]))),
            (1, .toClient, .unsuback(UnsubAck(packetID: 3))),
        ])
        XCTAssertEqual(ConversationLinker.link(list.packets), [
            Conversation(kind: .subscribe, members: [0, 2], packetID: 2),
            Conversation(kind: .ping, members: [1, 3]),
            Conversation(kind: .unsubscribe, members: [4, 5], packetID: 3),
        ])
    }

    func testASessionTakeOverLinksBothConnectsAndTheDisconnectOfTheOldConnection() {
        let list = InspectFixtures.list([
            (1, .toBroker, .connect(Connect(version: .v5_0, clientID: "ana"))),
            (1, .toClient, .connack(ConnAck())),
            (2, .toBroker, .connect(Connect(version: .v5_0, clientID: "ana"))),
            (1, .toClient, .disconnect(Disconnect(reasonCode: .sessionTakenOver))),
            (2, .toClient, .connack(ConnAck(sessionPresent: true))),
        ], version: .v5_0)
        let takeOver = ConversationLinker.link(list.packets).filter { $0.kind == .takeOver }
        XCTAssertEqual(takeOver.map(\.members), [[0, 2, 3]])
        XCTAssertEqual(list.packets[3].client, "ana", "the old connection's packets keep their client name")
    }

    func testNoTakeOverAfterTheOldClientSaidGoodbye() {
        let list = InspectFixtures.list([
            (1, .toBroker, .connect(Connect(clientID: "ana"))),
            (1, .toBroker, .disconnect(Disconnect())),
            (2, .toBroker, .connect(Connect(clientID: "ana"))),
        ])
        XCTAssertFalse(ConversationLinker.link(list.packets).contains { $0.kind == .takeOver })
    }

    func testAWillIsLinkedToThePublishesOfItsMessage() {
        let will = Connect.Will(topic: "casa/estado", payload: Array("offline".utf8))
        let list = InspectFixtures.list([
            (1, .toBroker, .connect(Connect(clientID: "sensor", will: will))),
            (2, .toBroker, .connect(Connect(clientID: "panel"))),
            (2, .toClient, publish("casa/estado", "offline", qos: .atMostOnce, id: nil)),  // sensor vanished
        ])
        let wills = ConversationLinker.link(list.packets).filter { $0.kind == .will }
        XCTAssertEqual(wills.map(\.members), [[0, 2]])
    }

    func testAWillIsNotLinkedWhenTheClientDisconnectedNormally() {
        let will = Connect.Will(topic: "casa/estado", payload: Array("offline".utf8))
        let list = InspectFixtures.list([
            (1, .toBroker, .connect(Connect(clientID: "sensor", will: will))),
            (1, .toBroker, .disconnect(Disconnect())),
            (2, .toClient, publish("casa/estado", "offline", qos: .atMostOnce, id: nil)),
        ])
        XCTAssertFalse(ConversationLinker.link(list.packets).contains { $0.kind == .will })
    }
}
