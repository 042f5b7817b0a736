import Foundation
import XCTest
@testable import MQTTBrokerCore
import MQTTCodec
@testable import MQTTBrokerStore

/// Queued messages live in their own rows (schema v2): added at the tail, deleted as the head is sent,
/// so a write costs what changed, not the length of the queue.
final class StoreQueueTests: StoreTestCase {
    private func entry(_ text: String, expires: UInt32? = nil) -> SessionSnapshot.MessageEntry {
        Fixtures.message("casa/luz", payload: Array(text.utf8), qos: .atLeastOnce, packetID: 0, stage: "queued", expires: expires)
    }

    /// A session snapshot with an empty queue of its own.
    private func session(_ id: String) -> SessionSnapshot {
        var snapshot = Fixtures.session(id)
        snapshot.queue = []
        return snapshot
    }

    private func queueChange(_ key: String, replacesAll: Bool = false, removeBelow: UInt64 = 0,
                             added: [(UInt64, String)] = []) -> DurableChanges {
        var changes = DurableChanges()
        changes.queues[DurableKey(key)] = QueueChange(replacesAll: replacesAll, removeBelow: removeBelow,
                                                      added: added.map { QueueChange.Entry(sequence: $0.0, message: entry($0.1)) })
        return changes
    }

    func testQueuedRowsComeBackInOrderAfterTheSnapshotsOwnQueue() throws {
        let store = try open()
        var withQueue = session("ana")
        withQueue.queue = [entry("from the snapshot")]
        commit(changes(sessions: [withQueue]), to: store)
        commit(queueChange("ana", added: [(7, "seven"), (3, "three")]), to: store)
        commit(queueChange("ana", added: [(9, "nine")]), to: store)
        let loaded = try XCTUnwrap(try store.load().sessions.first)
        XCTAssertEqual(loaded.queue.map { String(decoding: $0.payload, as: UTF8.self) },
                       ["from the snapshot", "three", "seven", "nine"])
    }

    func testSentEntriesAreDeletedAndAReplacementStartsOver() throws {
        let store = try open()
        commit(changes(sessions: [session("ana")]), to: store)
        commit(queueChange("ana", added: [(1, "a"), (2, "b"), (3, "c")]), to: store)
        commit(queueChange("ana", removeBelow: 3), to: store)
        XCTAssertEqual(try store.textForTesting("SELECT group_concat(sequence) FROM queued"), "3")
        commit(queueChange("ana", replacesAll: true, added: [(10, "x")]), to: store)
        XCTAssertEqual(try store.load().sessions.first?.queue.map(\.payload), [Array("x".utf8)])
    }

    func testADeletedSessionTakesItsQueueAlong() throws {
        let store = try open()
        commit(changes(sessions: [Fixtures.session("ana"), Fixtures.session("bea")]), to: store)
        commit(queueChange("ana", added: [(1, "a")]), to: store)
        var both = queueChange("bea", added: [(2, "b")])
        both.sessions[DurableKey("ana")] = .some(nil)
        commit(both, to: store)
        XCTAssertEqual(try store.textForTesting("SELECT group_concat(CAST(clientID AS TEXT)) FROM queued"), "bea")
        XCTAssertEqual(try store.load().sessions.map(\.clientID), ["bea"])
    }

    /// A queued message's expiry counts down from when it was queued to the session's last write.
    func testMessageExpiryCountsTheTimeBetweenQueueingAndTheLastWrite() throws {
        let store = try open()
        commit(changes(sessions: [session("ana")]), to: store)
        commit(queueChange("ana", added: [(1, "soon")]), to: store)
        var timed = queueChange("ana", added: [(2, "later")])
        timed.queues[DurableKey("ana")]?.added[0].message.expiresInSeconds = 100
        commit(timed, to: store)
        try store.executeForTesting("UPDATE queued SET updatedAt = '2026-01-01 10:00:00.000'")
        try store.executeForTesting("UPDATE session SET updatedAt = '2026-01-01 10:00:30.000'")
        let queue = try XCTUnwrap(try store.load().sessions.first?.queue)
        XCTAssertEqual(queue.map(\.expiresInSeconds), [nil, 70])
    }

    /// Random series of session and queue changes: what the store loads is what `DurableImage` — the
    /// batches' meaning, in memory — restores.
    func testRandomQueueChangesLoadAsTheImageRestoresThem() throws {
        let store = try open()
        var generator = SeededGenerator(seed: 77)
        var image = DurableImage()
        var nextSequence: [String: UInt64] = [:]
        var firstKept: [String: UInt64] = [:]
        for batchNumber in 0..<300 {
            var batch = DurableChanges()
            for id in ["ana", "bea", "cafe\u{301}"] where Bool.random(using: &generator) {
                let key = DurableKey(id)
                switch Int.random(in: 0..<10, using: &generator) {
                case 0:
                    batch.sessions[key] = .some(nil)
                    nextSequence[id] = nil
                    firstKept[id] = nil
                    continue
                case 1:
                    let start = nextSequence[id, default: 1]
                    batch.queues[key] = QueueChange(replacesAll: true, added: [QueueChange.Entry(sequence: start, message: entry("r\(batchNumber)"))])
                    firstKept[id] = start
                    nextSequence[id] = start + 1
                default:
                    let next = nextSequence[id, default: 1]
                    let sent = UInt64.random(in: 0...2, using: &generator)
                    let below = min(next, firstKept[id, default: 1] + sent)
                    let added = (0..<Int.random(in: 0...3, using: &generator)).map { offset in
                        QueueChange.Entry(sequence: next + UInt64(offset), message: entry("\(id) \(batchNumber).\(offset)"))
                    }
                    batch.queues[key] = QueueChange(removeBelow: below, added: added)
                    firstKept[id] = below
                    nextSequence[id] = next + UInt64(added.count)
                }
                batch.sessions[key] = .some(Fixtures.session(id, marker: UInt16(batchNumber)))
            }
            image.apply(batch)
            commit(batch, to: store)
        }
        let loaded = try store.load()
        XCTAssertEqual(loaded.sessions, image.restoredSessions)
        XCTAssertGreaterThan(loaded.sessions.reduce(0) { $0 + $1.queue.count }, 0, "the series must leave something queued")
    }

    /// A store written before queues had rows (schema 1, queues inside the snapshots) opens, migrates, and
    /// loads its queues.
    func testAVersion1StoreWithQueuesInsideSnapshotsStillLoads() throws {
        var session = session("ana")
        session.queue = [entry("old")]
        do {
            let store = try BrokerStore(path: path())
            commit(changes(sessions: [session]), to: store)
            // Make it look like schema 1.
            try store.executeForTesting("DROP TABLE queued")
            try store.executeForTesting("DELETE FROM grdb_migrations WHERE identifier LIKE 'v2%'")
            try store.executeForTesting("UPDATE meta SET value = '1' WHERE key = 'schemaVersion'")
            try store.close()
        }
        let store = try open()
        XCTAssertEqual(try store.textForTesting("SELECT value FROM meta WHERE key = 'schemaVersion'"), "2")
        XCTAssertEqual(try store.load().sessions, [session])
    }
}
