import Foundation
import MQTTBrokerCore
import MQTTCodec
import XCTest

/// What the engine hands the store, and what it does with what the store gives back.
final class DurabilityTests: XCTestCase {
    func testOnlyChangedPersistentSessionsAndRetainedTopicsAreReported() {
        let harness = EngineHarness()
        harness.engine.enableDurability()
        let (ana, _) = harness.connect("ana", clean: false)
        harness.connect("temporal", clean: true)
        _ = harness.subscribe(ana, "casa/#")
        var changes = harness.engine.takeDurableChanges()
        XCTAssertEqual(changes.sessions["ana"]??.subscriptions.map(\.filter), ["casa/#"])
        XCTAssertEqual(changes.sessions["temporal"], .some(nil), "a clean session is never stored")
        XCTAssertTrue(harness.engine.takeDurableChanges().isEmpty, "nothing changed since")
        let (pub, _) = harness.connect("pub")
        harness.publish(pub, "casa/luz", "ON", qos: .atLeastOnce, retain: true)
        changes = harness.engine.takeDurableChanges()
        XCTAssertEqual(changes.retained["casa/luz"]??.payload, Array("ON".utf8))
        XCTAssertEqual(changes.pending["ana"]?.upserted.map(\.message.topic), ["casa/luz"], "the delivery in flight is recorded")
        harness.publish(pub, "casa/luz", "", retain: true)
        XCTAssertEqual(harness.engine.takeDurableChanges().retained["casa/luz"], .some(nil), "a cleared retained message is deleted")
    }

    /// A client away with a long queue: each write carries what changed in the queue — the entries added,
    /// where the sent head ends — never the whole queue (rewriting it made `--store` cost milliseconds per
    /// message with 1,000 messages queued).
    func testALongQueueIsWrittenByWhatChangedNotWhole() {
        let harness = EngineHarness()
        harness.engine.enableDurability()
        let (ana, _) = harness.connect("ana", clean: false)
        _ = harness.subscribe(ana, "casa/#", qos: .atLeastOnce)
        harness.feed(.disconnected(ana))
        let (pub, _) = harness.connect("pub")
        for number in 0..<500 { harness.publish(pub, "casa/luz", "\(number)", qos: .atLeastOnce, packetID: UInt16(number + 1)) }
        var image = DurableImage()
        let first = harness.engine.takeDurableChanges()
        XCTAssertEqual(first.sessions["ana"]??.queue, [], "the session's snapshot leaves its queue out")
        XCTAssertEqual(first.pending["ana"]?.upserted.count, 500)
        image.apply(first)

        harness.publish(pub, "casa/luz", "500", qos: .atLeastOnce, packetID: 501)
        let one = harness.engine.takeDurableChanges()
        XCTAssertFalse(one.sessions.keys.contains("ana"), "the session's own row did not change")
        XCTAssertEqual(one.pending["ana"]?.upserted.map { String(decoding: $0.message.payload, as: UTF8.self) }, ["500"],
                       "one message queued, one entry written")
        XCTAssertEqual(one.pending["ana"]?.removed, [])
        XCTAssertEqual(one.pending["ana"]?.replacesAll, false)
        image.apply(one)

        // Ana comes back: a window of 20 goes out; the store learns where the queue now starts.
        let (back, _) = harness.connect("ana", clean: false)
        XCTAssertEqual(harness.publishes(back).count, 20)
        let drained = harness.engine.takeDurableChanges()
        XCTAssertEqual(drained.pending["ana"]?.upserted.count, 20, "20 entries moved into the window")
        XCTAssertEqual(drained.pending["ana"]?.removed, [])
        image.apply(drained)
        // Two acknowledged: two rows go, two more move into the window.
        harness.send(.puback(PublishAck(packetID: 1)), from: back)
        harness.send(.puback(PublishAck(packetID: 2)), from: back)
        XCTAssertEqual(harness.publishes(back).count, 2)
        let acked = harness.engine.takeDurableChanges()
        XCTAssertEqual(acked.pending["ana"]?.removed.count, 2)
        XCTAssertEqual(acked.pending["ana"]?.upserted.count, 2)
        image.apply(acked)
        let restored = image.restoredSessions.first { $0.clientID == "ana" }
        XCTAssertEqual(restored?.inflight.map { String(decoding: $0.payload, as: UTF8.self) }, (2..<22).map { "\($0)" })
        XCTAssertEqual(restored?.queue.map { String(decoding: $0.payload, as: UTF8.self) }, (22...500).map { "\($0)" })
    }

    /// Messages flowing through a persistent session change its pending entries and its next packet id,
    /// not its row: the row (subscriptions, expiry, QoS 2 ids) is written again only when one of those
    /// changes, or after a failed write. Rewriting it every batch was a fifth of `--store`'s cost.
    func testASessionRowIsWrittenOnlyWhenItChanged() {
        let harness = EngineHarness()
        harness.engine.enableDurability()
        let (ana, _) = harness.connect("ana", clean: false)
        _ = harness.subscribe(ana, "casa/#", qos: .atLeastOnce)
        XCTAssertNotNil(harness.engine.takeDurableChanges().sessions["ana"] ?? nil, "a new session is written")
        let (pub, _) = harness.connect("pub")
        harness.publish(pub, "casa/luz", "ON", qos: .atLeastOnce, packetID: 1)
        XCTAssertEqual(harness.publishes(ana).count, 1)
        var changes = harness.engine.takeDurableChanges()
        XCTAssertFalse(changes.sessions.keys.contains("ana"), "only the pending message changed")
        XCTAssertEqual(changes.pending["ana"]?.upserted.count, 1)
        harness.send(.puback(PublishAck(packetID: 1)), from: ana)
        changes = harness.engine.takeDurableChanges()
        XCTAssertFalse(changes.sessions.keys.contains("ana"))
        XCTAssertEqual(changes.pending["ana"]?.removed.count, 1)

        _ = harness.subscribe(ana, "jardin/#", qos: .atLeastOnce, packetID: 2)
        XCTAssertEqual(harness.engine.takeDurableChanges().sessions["ana"]??.subscriptions.map(\.filter), ["casa/#", "jardin/#"])
        harness.publish(pub, "casa/luz", "OFF", qos: .atLeastOnce, packetID: 2)
        let failed = harness.engine.takeDurableChanges()
        XCTAssertFalse(failed.sessions.keys.contains("ana"))
        XCTAssertEqual(failed.pending["ana"]?.upserted.count, 1, "the failed batch carried only ana's message")
        harness.engine.durableWriteFailed(failed)
        // Nothing else happens: the next batch alone must carry ana's row and her messages again.
        let retry = harness.engine.takeDurableChanges()
        XCTAssertNotNil(retry.sessions["ana"] ?? nil, "after a failed write the row is written again")
        XCTAssertEqual(retry.pending["ana"]?.replacesAll, true)
        XCTAssertEqual(retry.pending["ana"]?.upserted.map { String(decoding: $0.message.payload, as: UTF8.self) }, ["OFF"])
    }

    /// The stored next packet id may be older than the messages in flight (see above): after a restart,
    /// a new message still never takes the id of one in flight [MQTT-2.3.1-2].
    func testARestoredSessionNeverReusesAnIDInFlight() {
        let before = EngineHarness()
        before.engine.enableDurability()
        let (ana, _) = before.connect("ana", clean: false)
        _ = before.subscribe(ana, "casa/#", qos: .atLeastOnce)
        var image = DurableImage()
        image.apply(before.engine.takeDurableChanges())
        let (pub, _) = before.connect("pub")
        for number in 1...3 { before.publish(pub, "casa/luz", "\(number)", qos: .atLeastOnce, packetID: UInt16(number)) }
        let inFlight = before.publishes(ana).compactMap(\.packetID)
        XCTAssertEqual(inFlight.count, 3)
        image.apply(before.engine.takeDurableChanges())
        XCTAssertEqual(image.restoredSessions.first?.nextPacketID, 1, "the row was not rewritten for the messages")

        let after = EngineHarness()
        after.engine.restore(sessions: image.restoredSessions, retained: [], at: after.clock)
        let (back, _) = after.connect("ana", clean: false)
        XCTAssertEqual(after.publishes(back).compactMap(\.packetID), inFlight, "resent with their ids")
        let (pub2, _) = after.connect("pub")
        after.publish(pub2, "casa/luz", "4", qos: .atLeastOnce, packetID: 9)
        let fresh = after.publishes(back)
        XCTAssertEqual(fresh.map(\.text), ["4"])
        XCTAssertFalse(inFlight.contains(fresh.first?.packetID ?? 0), "a new id, not one in flight")
    }

    /// A session that is away keeps its user name for the ACL's read checks (as Mosquitto checks queued
    /// messages against the client's user name), and so must a session restored from the store: before,
    /// the snapshot left the name out, and after a restart every message for an away session whose access
    /// comes from a `user` block was refused as anonymous.
    func testARestoredSessionKeepsItsUserNameForTheACL() throws {
        let acl = try AccessControlListParser(source: "acl.txt").parse("user ana\ntopic readwrite casa/#\n").get().list
        let before = EngineHarness { $0.accessControl = acl }
        before.engine.enableDurability()
        let ana = before.open()
        before.send(.connect(Connect(version: .v5_0, clientID: "ana", cleanStart: false, username: "ana",
                                     properties: [.sessionExpiryInterval(3600)])), from: ana)
        _ = before.take(ana)
        _ = before.subscribe(ana, "casa/#", qos: .atLeastOnce)
        before.feed(.disconnected(ana))
        var image = DurableImage()
        image.apply(before.engine.takeDurableChanges())
        XCTAssertEqual(image.restoredSessions.first?.username, "ana")

        let after = EngineHarness { $0.accessControl = acl }
        after.engine.restore(sessions: image.restoredSessions, retained: [], at: after.clock)
        let writer = after.open()
        after.send(.connect(Connect(version: .v5_0, clientID: "writer", username: "ana")), from: writer)
        _ = after.take(writer)
        after.publish(writer, "casa/luz", "ON", qos: .atLeastOnce, packetID: 1)
        XCTAssertTrue(after.events.allSatisfy { if case .accessDenied = $0 { false } else { true } },
                      "queued for ana under her own name, not refused as anonymous")
        let back = after.open()
        after.send(.connect(Connect(version: .v5_0, clientID: "ana", cleanStart: false, username: "ana",
                                    properties: [.sessionExpiryInterval(3600)])), from: back)
        XCTAssertEqual(after.take(back).compactMap { if case .publish(let p) = $0 { p.text } else { nil } }, ["ON"])
    }

    /// A batch that failed to commit rolled back: the next batch must carry everything again, or a message
    /// queued in the failed one would never reach the disk (the broker goes on after a failed write).
    func testAfterAFailedWriteTheNextBatchWritesEverythingAgain() {
        let harness = EngineHarness()
        harness.engine.enableDurability()
        let (ana, _) = harness.connect("ana", clean: false)
        _ = harness.subscribe(ana, "casa/#", qos: .atLeastOnce)
        harness.feed(.disconnected(ana))
        harness.connect("pasajera", clean: false)
        let (pub, _) = harness.connect("pub")
        harness.publish(pub, "casa/luz", "ON", qos: .atLeastOnce, retain: true, packetID: 1)
        var image = DurableImage()
        image.apply(harness.engine.takeDurableChanges())

        // This batch fails: a message queued for ana, a retained update, and pasajera's session deleted.
        harness.publish(pub, "casa/luz", "OFF", qos: .atLeastOnce, retain: true, packetID: 2)
        harness.connect("pasajera", clean: true)
        let failed = harness.engine.takeDurableChanges()
        XCTAssertEqual(failed.sessions["pasajera"], .some(nil))
        harness.engine.durableWriteFailed(failed)

        harness.publish(pub, "casa/puerta", "abierta", qos: .atLeastOnce, packetID: 3)
        let next = harness.engine.takeDurableChanges()
        XCTAssertEqual(next.pending["ana"]?.replacesAll, true, "ana's messages are written whole again")
        XCTAssertEqual(next.sessions["pasajera"], .some(nil), "the failed delete is repeated")
        image.apply(next)
        let restored = image.restoredSessions.first { $0.clientID == "ana" }
        XCTAssertEqual(restored?.queue.map { String(decoding: $0.payload, as: UTF8.self) }, ["ON", "OFF", "abierta"])
        XCTAssertEqual(image.restoredRetained.map { String(decoding: $0.payload, as: UTF8.self) }, ["OFF"])
        XCTAssertFalse(image.restoredSessions.contains { $0.clientID == "pasajera" })
    }

    /// Sequence numbers are shared by every session: draining one session's queue costs its own entries,
    /// whatever other sessions queued in between (the range of numbers is not walked).
    func testDrainingAQueueRemovesOnlyItsOwnEntries() {
        let harness = EngineHarness()
        harness.engine.enableDurability()
        for name in ["ana", "bea"] {
            let (id, _) = harness.connect(name, clean: false)
            _ = harness.subscribe(id, name == "ana" ? "a" : "b", qos: .atLeastOnce)
            harness.feed(.disconnected(id))
        }
        let (pub, _) = harness.connect("pub")
        harness.publish(pub, "a", "first", qos: .atLeastOnce, packetID: 1)
        for number in 0..<2_000 { harness.publish(pub, "b", "\(number)", qos: .atLeastOnce, packetID: UInt16(number % 60_000 + 2)) }
        harness.publish(pub, "a", "second", qos: .atLeastOnce, packetID: 1)
        _ = harness.engine.takeDurableChanges()
        let (back, _) = harness.connect("ana", clean: false)
        XCTAssertEqual(harness.publishes(back).map(\.text), ["first", "second"])
        for packetID: UInt16 in [1, 2] { harness.send(.puback(PublishAck(packetID: packetID)), from: back) }
        let change = harness.engine.takeDurableChanges().pending["ana"]
        XCTAssertEqual(change?.removed.count, 2, "two entries went, not the 2,000 numbers between them")
    }

    /// A restart: the new engine gets the snapshots; the subscriber comes back, finds its session, and gets
    /// the unacknowledged message again (DUP) and the queued one, in order.
    func testRestoredSessionsDeliverWhatWasPending() throws {
        let before = EngineHarness { $0.maxInflightMessages = 1 }
        before.engine.enableDurability()
        let (ana, _) = before.connect("ana", version: .v5_0, clean: false, properties: [.sessionExpiryInterval(3600)])
        _ = before.subscribe(ana, "casa/#", qos: .exactlyOnce, properties: [.subscriptionIdentifier(4)])
        let (pub, _) = before.connect("pub")
        before.publish(pub, "casa/cocina", "23.0", qos: .atLeastOnce, packetID: 1)
        before.publish(pub, "casa/salon", "21.0", qos: .exactlyOnce, packetID: 2, properties: [])
        before.publish(pub, "casa/luz", "ON", retain: true)
        XCTAssertEqual(before.publishes(ana).map(\.text), ["23.0", "ON"], "window of 1: the QoS 2 one waits (QoS 0 needs no slot)")
        var image = DurableImage()
        image.apply(before.engine.takeDurableChanges())

        // Encode and decode as the store does, to prove the snapshots survive the trip.
        let encoded = try JSONEncoder().encode(image.restoredSessions)
        let sessions = try JSONDecoder().decode([SessionSnapshot].self, from: encoded)
        let retained = image.restoredRetained

        let after = EngineHarness { $0.maxInflightMessages = 1 }
        after.engine.restore(sessions: sessions, retained: retained, at: after.clock)
        let (back, connack) = after.connect("ana", version: .v5_0, clean: false, properties: [.sessionExpiryInterval(3600)])
        XCTAssertEqual(connack?.sessionPresent, true)
        let resent = after.publishes(back)
        XCTAssertEqual(resent.map(\.text), ["23.0"])
        XCTAssertEqual(resent.first?.dup, true)
        XCTAssertTrue(resent.first?.properties.contains(.subscriptionIdentifier(4)) ?? false)
        after.send(.puback(PublishAck(packetID: resent[0].packetID!)), from: back)
        let next = after.publishes(back)
        XCTAssertEqual(next.map(\.text), ["21.0"])
        XCTAssertEqual(next.first?.qos, .exactlyOnce)
        // Subscriptions and retained messages are back too.
        let (late, _) = after.connect("late")
        _ = after.subscribe(late, "casa/#", qos: .atMostOnce)
        XCTAssertEqual(after.publishes(late).map(\.text), ["ON"])
        // The restored subscription routes new messages (queued behind the in-flight QoS 2 one).
        after.send(.pubrec(PublishAck(packetID: next[0].packetID!)), from: back)
        XCTAssertEqual(after.take(back), [.pubrel(PublishAck(packetID: next[0].packetID!))])
        after.send(.pubcomp(PublishAck(packetID: next[0].packetID!)), from: back)
        let (pub2, _) = after.connect("pub")
        after.publish(pub2, "casa/garaje", "abierto", qos: .atLeastOnce)
        XCTAssertEqual(after.publishes(back).map(\.text), ["abierto"])
    }

    /// Client ids that Swift's String calls equal but whose bytes differ are two sessions, and both are
    /// reported (with String keys one change swallowed the other).
    func testCanonicallyEquivalentClientIDsStayApart() {
        let harness = EngineHarness()
        harness.engine.enableDurability()
        harness.connect("caf\u{E9}", clean: false)
        harness.connect("cafe\u{301}", clean: false)
        let changes = harness.engine.takeDurableChanges()
        XCTAssertEqual(changes.sessions.count, 2)
        XCTAssertEqual(Set(changes.sessions.values.compactMap { $0?.clientID.utf8.count }), [5, 6])
    }
}
