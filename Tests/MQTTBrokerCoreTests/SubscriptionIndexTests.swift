import MQTTBrokerCore
import MQTTCodec
import XCTest

/// The subscription index keeps each filter's subscribers with their handle and options: many clients on
/// one filter, subscribing again with other options, unsubscribing and leaving, must route exactly as
/// the sessions say.
final class SubscriptionIndexTests: XCTestCase {
    func testManySubscribersOnOneFilterRouteAsTheirSessionsSay() {
        let harness = EngineHarness()
        var connections: [String: ConnectionID] = [:]
        for number in 0..<600 {
            let name = "c\(number)"
            let (id, _) = harness.connect(name)
            _ = harness.subscribe(id, "casa/#", qos: .atMostOnce)
            connections[name] = id
        }
        var expected: [String: QoS] = [:]
        for number in 0..<600 {
            let name = "c\(number)"
            let id = connections[name]!
            switch number % 4 {
            case 0:
                harness.send(.unsubscribe(Unsubscribe(packetID: 2, filters: ["casa/#"])), from: id)
                _ = harness.take(id)
            case 1:
                _ = harness.subscribe(id, "casa/#", qos: .atLeastOnce, packetID: 3)  // same filter: options replaced
                expected[name] = .atLeastOnce
            case 2:
                harness.send(.disconnect(Disconnect()), from: id)  // clean session: gone with its subscription
                connections[name] = nil
            default:
                expected[name] = .atMostOnce
            }
        }
        let (publisher, _) = harness.connect("pub")
        harness.publish(publisher, "casa/luz", "on", qos: .atLeastOnce, packetID: 9)
        var received: [String: QoS] = [:]
        for (name, id) in connections {
            let publishes = harness.publishes(id)
            XCTAssertLessThanOrEqual(publishes.count, 1, "\(name) got the message twice")
            if let publish = publishes.first { received[name] = publish.qos }
        }
        XCTAssertEqual(received, expected)
    }
}
