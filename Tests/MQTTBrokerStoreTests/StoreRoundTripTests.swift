import Foundation
import XCTest
@testable import MQTTBrokerCore
import MQTTCodec
@testable import MQTTBrokerStore

/// What goes in comes back: every field, every property kind, every byte, every kind of string.
final class StoreRoundTripTests: StoreTestCase {
    func testTheFixtureCoversEveryPropertyKind() {
        let kinds = Set(Fixtures.everyProperty.map(\.identifier))
        XCTAssertEqual(kinds, Set(PropertyIdentifier.allCases), "a property kind is missing from the round-trip fixture")
    }

    func testASessionWithEveryFieldComesBackEqual() throws {
        let store = try open()
        let v5 = Fixtures.session("ana", version: .v5_0, marker: 777)
        let v311 = Fixtures.session("beto", version: .v3_1_1, marker: 65_535)
        let v31 = Fixtures.session("carla", version: .v3_1, marker: 1)
        commit(changes(sessions: [v5, v311, v31]), to: store)

        let loaded = try store.load()
        XCTAssertEqual(loaded.sessions, [v5, v311, v31])
        XCTAssertEqual(loaded.retained, [])
        // Field by field for the 5.0 one, so a failure says which.
        let back = try XCTUnwrap(loaded.sessions.first)
        XCTAssertEqual(back.subscriptions, v5.subscriptions)
        XCTAssertEqual(back.inflight.map(\.stage), ["awaitingPuback", "awaitingPubrec", "awaitingPubcomp"])
        XCTAssertEqual(back.inflight[0].properties, Fixtures.everyProperty)
        XCTAssertEqual(back.inflight[0].payload, Fixtures.allBytes)
        XCTAssertEqual(back.inflight[0].subscriptionIdentifiers, [42, 7])
        XCTAssertEqual(back.queue.map(\.topic), ["q/1", "q/2"])
        XCTAssertEqual(back.queue[0].expiresInSeconds, 0)
        XCTAssertNil(back.queue[1].expiresInSeconds)
        XCTAssertEqual(back.receivedQoS2, [1, 7, 65_535])
        XCTAssertEqual(back.nextPacketID, 777)
        XCTAssertEqual(back.expiryInterval, 3600)
        XCTAssertEqual(loaded.sessions[1].expiryInterval, UInt32.max)
    }

    func testRetainedMessagesComeBackEqual() throws {
        let store = try open()
        let messages = [
            Fixtures.retained("home/ñandú/温度"),
            Fixtures.retained("empty/properties", payload: []),
            RetainedSnapshot(topic: "plain", payload: Array("21.5".utf8), qos: .atMostOnce, properties: [], expiresInSeconds: nil),
        ]
        commit(changes(retained: messages), to: store)
        let loaded = try store.load().retained
        XCTAssertEqual(Set(loaded.topicBytes), Set(messages.topicBytes))
        for message in messages {
            XCTAssertEqual(loaded.first { Array($0.topic.utf8) == Array(message.topic.utf8) }, message)
        }
    }

    func testALargeBinaryPayloadComesBackByteForByte() throws {
        let store = try open()
        var generator = SeededGenerator(seed: 7)
        let payload = (0..<262_144).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var session = Fixtures.session("big")
        session.queue = [Fixtures.message("big/blob", payload: payload, qos: .exactlyOnce, packetID: 0, stage: "queued")]
        commit(changes(sessions: [session], retained: [Fixtures.retained("big/retained", payload: payload)]), to: store)
        let loaded = try store.load()
        XCTAssertEqual(loaded.sessions.first?.queue.first?.payload, payload)
        XCTAssertEqual(loaded.retained.first?.payload, payload)
    }

    func testNonASCIIClientIDsAndTopicsKeepTheirBytes() throws {
        let store = try open()
        let ids = ["José", "日本語のクライアント", "😀🎉", "Ωμέγα", "tab\there", "quote\"and\\backslash", ""]
        commit(changes(sessions: ids.map { Fixtures.session($0) }), to: store)
        let loaded = try store.load().sessions
        XCTAssertEqual(Set(loaded.idBytes), Set(ids.map { Array($0.utf8) }))
        XCTAssertEqual(loaded.count, ids.count)
    }

    /// "é" (U+00E9) and "e" + U+0301 are equal as Swift strings but are two clients and two topics:
    /// two rows each, each coming back with its own bytes.
    func testCanonicallyEquivalentKeysStayTwoRows() throws {
        let store = try open()
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        XCTAssertEqual(composed, decomposed, "precondition: Swift calls them equal")
        XCTAssertNotEqual(Array(composed.utf8), Array(decomposed.utf8))

        // One batch holding both: DurableChanges keys compare bytes, so neither change swallows the other.
        let both = changes(sessions: [Fixtures.session(composed, marker: 1), Fixtures.session(decomposed, marker: 2)],
                           retained: [Fixtures.retained("t/" + composed), Fixtures.retained("t/" + decomposed, payload: [2])])
        XCTAssertEqual(both.sessions.count, 2)
        commit(both, to: store)

        var loaded = try store.load()
        XCTAssertEqual(loaded.sessions.count, 2)
        XCTAssertEqual(Set(loaded.sessions.idBytes), [Array(composed.utf8), Array(decomposed.utf8)])
        let byBytes = Dictionary(uniqueKeysWithValues: loaded.sessions.map { (Array($0.clientID.utf8), $0.nextPacketID) })
        XCTAssertEqual(byBytes[Array(composed.utf8)], 1)
        XCTAssertEqual(byBytes[Array(decomposed.utf8)], 2)
        XCTAssertEqual(Set(loaded.retained.topicBytes), [Array(("t/" + composed).utf8), Array(("t/" + decomposed).utf8)])

        // Deleting one leaves the other.
        commit(changes(deleteSessions: [decomposed], deleteRetained: ["t/" + composed]), to: store)
        loaded = try store.load()
        XCTAssertEqual(loaded.sessions.idBytes, [Array(composed.utf8)])
        XCTAssertEqual(loaded.retained.topicBytes, [Array(("t/" + decomposed).utf8)])
        XCTAssertEqual(loaded.retained.first?.payload, [2])
    }

    /// Keys are bound by length, not as C strings: an embedded NUL does not truncate one into another.
    func testAKeyWithANULIsNotTruncated() throws {
        let store = try open()
        commit(changes(sessions: [Fixtures.session("a"), Fixtures.session("a\u{0}b")]), to: store)
        XCTAssertEqual(Set(try store.load().sessions.idBytes), [[0x61], [0x61, 0x00, 0x62]])
        commit(changes(deleteSessions: ["a\u{0}b"]), to: store)
        XCTAssertEqual(try store.load().sessions.idBytes, [[0x61]])
    }

    func testLoadReturnsRowsInKeyByteOrder() throws {
        let store = try open()
        let ids = ["b", "a", "é", "Z", "aa"]
        commit(changes(sessions: ids.map { Fixtures.session($0) }), to: store)
        XCTAssertEqual(try store.load().sessions.map(\.clientID), ["Z", "a", "aa", "b", "é"])
    }

    func testSnapshotsAreStoredAsReadableJSON() throws {
        let store = try open()
        commit(changes(sessions: [Fixtures.session("ana")]), to: store)
        let json = try XCTUnwrap(store.textForTesting("SELECT CAST(snapshot AS TEXT) FROM session"))
        XCTAssertTrue(json.hasPrefix("{"), json)
        XCTAssertTrue(json.contains(#""clientID":"ana""#), json)
        XCTAssertTrue(json.contains(#""filter":"sensors/+/température""#), "slashes and accents unescaped: \(json.prefix(300))")
        XCTAssertEqual(try store.textForTesting("SELECT typeof(snapshot) FROM session"), "blob")
        XCTAssertEqual(try store.textForTesting("SELECT typeof(clientID) FROM session"), "text")
        XCTAssertNotNil(try store.textForTesting("SELECT updatedAt FROM session"))
    }
}

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
