import Foundation
import XCTest
@testable import MQTTBrokerCore
import MQTTCodec
@testable import MQTTBrokerStore

/// Pending messages (in flight and queued) live in their own rows (schema v2), written as they change,
/// so a write costs what changed, not the length of a queue.
final class StorePendingTests: StoreTestCase {
    private func entry(_ text: String, stage: String = "queued", expires: UInt32? = nil) -> SessionSnapshot.MessageEntry {
        Fixtures.message("casa/luz", payload: Array(text.utf8), qos: .atLeastOnce, packetID: stage == "queued" ? 0 : 9,
                         stage: stage, expires: expires)
    }

    /// A session snapshot with no pending messages of its own.
    private func session(_ id: String) -> SessionSnapshot {
        var snapshot = Fixtures.session(id)
        snapshot.inflight = []
        snapshot.queue = []
        return snapshot
    }

    private func pendingChange(_ key: String, replacesAll: Bool = false, removed: [UInt64] = [],
                               upserted: [(UInt64, SessionSnapshot.MessageEntry)] = []) -> DurableChanges {
        var changes = DurableChanges()
        changes.pending[DurableKey(key)] = PendingMessagesChange(
            replacesAll: replacesAll, removed: removed,
            upserted: upserted.map { PendingMessagesChange.Entry(sequence: $0.0, message: $0.1) })
        return changes
    }

    private func texts(_ entries: [SessionSnapshot.MessageEntry]?) -> [String]? {
        entries?.map { String(decoding: $0.payload, as: UTF8.self) }
    }

    func testRowsComeBackInOrderSortedIntoInFlightAndQueueByStage() throws {
        let store = try open()
        var withOwn = session("ana")
        withOwn.queue = [entry("from the snapshot")]
        commit(changes(sessions: [withOwn]), to: store)
        commit(pendingChange("ana", upserted: [(7, entry("seven")), (3, entry("three", stage: "awaitingPuback"))]), to: store)
        commit(pendingChange("ana", upserted: [(9, entry("nine"))]), to: store)
        let loaded = try XCTUnwrap(try store.load().sessions.first)
        XCTAssertEqual(texts(loaded.inflight), ["three"])
        XCTAssertEqual(texts(loaded.queue), ["from the snapshot", "seven", "nine"])
    }

    func testRemovedEntriesGoAndAReplacementStartsOver() throws {
        let store = try open()
        commit(changes(sessions: [session("ana")]), to: store)
        commit(pendingChange("ana", upserted: [(1, entry("a")), (2, entry("b")), (3, entry("c"))]), to: store)
        // "a" acknowledged, "b" moved into the window.
        commit(pendingChange("ana", removed: [1], upserted: [(2, entry("b", stage: "awaitingPuback"))]), to: store)
        let loaded = try XCTUnwrap(try store.load().sessions.first)
        XCTAssertEqual(texts(loaded.inflight), ["b"])
        XCTAssertEqual(texts(loaded.queue), ["c"])
        commit(pendingChange("ana", replacesAll: true, upserted: [(10, entry("x"))]), to: store)
        XCTAssertEqual(texts(try store.load().sessions.first?.queue), ["x"])
        XCTAssertEqual(try store.textForTesting("SELECT group_concat(sequence) FROM pending"), "10")
    }

    func testADeletedSessionTakesItsPendingMessagesAlong() throws {
        let store = try open()
        commit(changes(sessions: [session("ana"), session("bea")]), to: store)
        commit(pendingChange("ana", upserted: [(1, entry("a"))]), to: store)
        var both = pendingChange("bea", upserted: [(2, entry("b"))])
        both.sessions[DurableKey("ana")] = .some(nil)
        commit(both, to: store)
        XCTAssertEqual(try store.textForTesting("SELECT group_concat(CAST(clientID AS TEXT)) FROM pending"), "bea")
        XCTAssertEqual(try store.load().sessions.map(\.clientID), ["bea"])
    }

    func testRowsAreReadableColumnsAndComeBackByteForByte() throws {
        let store = try open()
        commit(changes(sessions: [session("ana")]), to: store)
        var binary = entry("")
        binary.payload = [0xFF, 0x00, 0x80, 0x7F]
        var rich = entry("22.5 °C", stage: "awaitingPuback")
        rich.properties = [.contentType("text/plain"), .userProperty(name: "sala", value: "cocina")]
        rich.subscriptionIdentifiers = [4, 9]
        commit(pendingChange("ana", upserted: [(1, rich), (2, binary)]), to: store)
        XCTAssertEqual(try store.textForTesting("SELECT CAST(payload AS TEXT) FROM pending WHERE sequence = 1"), "22.5 °C")
        XCTAssertEqual(try store.textForTesting("SELECT stage || ' ' || packetID || ' ' || topic FROM pending WHERE sequence = 1"),
                       "awaitingPuback 9 casa/luz")
        XCTAssertEqual(try store.textForTesting("SELECT typeof(properties) || typeof(subscriptionIdentifiers) FROM pending WHERE sequence = 2"),
                       "nullnull", "absent fields cost nothing")
        XCTAssertEqual(try store.textForTesting("SELECT hex(payload) FROM pending WHERE sequence = 2"), "FF00807F")
        let loaded = try XCTUnwrap(try store.load().sessions.first)
        XCTAssertEqual(loaded.inflight, [rich])
        XCTAssertEqual(loaded.queue, [binary])
    }

    /// Pending rows are bound through SQLite's C API (PendingRowStatements): an empty payload must stay an
    /// empty BLOB (a NULL would not load), and odd client ids keep their exact bytes.
    func testEmptyPayloadsAndOddClientIDsKeepTheirExactBytes() throws {
        let store = try open()
        let odd = "sensor\u{0}é"
        commit(changes(sessions: [session(odd)]), to: store)
        var empty = entry("")
        empty.payload = []
        commit(pendingChange(odd, upserted: [(1, empty)]), to: store)
        XCTAssertEqual(try store.textForTesting("SELECT typeof(payload) || length(payload) FROM pending"), "blob0")
        XCTAssertEqual(try store.textForTesting("SELECT hex(CAST(clientID AS BLOB)) FROM pending"),
                       Array(odd.utf8).map { String(format: "%02X", $0) }.joined())
        let loaded = try XCTUnwrap(try store.load().sessions.first)
        XCTAssertEqual(loaded.clientID, odd)
        XCTAssertEqual(loaded.queue, [empty])
        commit(pendingChange(odd, removed: [1]), to: store)
        XCTAssertEqual(try store.textForTesting("SELECT count(*) FROM pending"), "0", "deleted by the same bytes")
    }

    /// A pending row SQLite refuses fails the whole batch with SQLite's own message, and the statements
    /// work again for the next batch (they are reset after a failure).
    func testARefusedPendingRowRollsTheBatchBack() throws {
        let store = try open()
        commit(changes(sessions: [session("ana")]), to: store)
        commit(pendingChange("ana", upserted: [(1, entry("kept"))]), to: store)
        try store.executeForTesting("""
            CREATE TRIGGER refuse BEFORE INSERT ON pending WHEN NEW.topic = 'boom'
            BEGIN SELECT RAISE(ABORT, 'refused by test'); END
            """)
        var batch = pendingChange("ana", removed: [1], upserted: [(2, entry("new"))])
        var boom = entry("boom")
        boom.topic = "boom"
        batch.pending["ana"]?.upserted.append(PendingMessagesChange.Entry(sequence: 3, message: boom))
        guard case .failure(let error) = outcome(of: batch, on: store) else { return XCTFail("the batch should have failed") }
        XCTAssertTrue("\(error)".contains("refused by test"), "\(error)")
        XCTAssertEqual(texts(try store.load().sessions.first?.queue), ["kept"], "nothing of the failed batch is left")
        try store.executeForTesting("DROP TRIGGER refuse")
        commit(pendingChange("ana", removed: [1], upserted: [(2, entry("new"))]), to: store)
        XCTAssertEqual(texts(try store.load().sessions.first?.queue), ["new"])
    }

    func testADamagedPendingRowFailsTheLoadWithItsKey() throws {
        let store = try open()
        commit(changes(sessions: [session("ana")]), to: store)
        commit(pendingChange("ana", upserted: [(5, entry("x"))]), to: store)
        try store.executeForTesting("UPDATE pending SET qos = 7")
        XCTAssertThrowsError(try store.load()) { error in
            XCTAssertTrue("\(error)".contains("ana #5"), "\(error)")
        }
        try store.executeForTesting("UPDATE pending SET qos = 1, stage = 'sent?'")
        XCTAssertThrowsError(try store.load()) { error in
            XCTAssertTrue("\(error)".contains("unknown stage"), "\(error)")
        }
    }

    /// A pending message's expiry counts down from when its row was written to the session's last write.
    func testMessageExpiryCountsTheTimeBetweenTheRowAndTheLastWrite() throws {
        let store = try open()
        commit(changes(sessions: [session("ana")]), to: store)
        commit(pendingChange("ana", upserted: [(1, entry("forever")), (2, entry("later", expires: 100))]), to: store)
        try store.executeForTesting("UPDATE pending SET updatedAt = '2026-01-01 10:00:00.000'")
        try store.executeForTesting("UPDATE session SET updatedAt = '2026-01-01 10:00:30.000'")
        let queue = try XCTUnwrap(try store.load().sessions.first?.queue)
        XCTAssertEqual(queue.map(\.expiresInSeconds), [nil, 70])
    }

    /// Random series of session and pending changes: what the store loads is what `DurableImage` — the
    /// batches' meaning, in memory — restores.
    func testRandomChangesLoadAsTheImageRestoresThem() throws {
        let store = try open()
        var generator = SeededGenerator(seed: 77)
        var image = DurableImage()
        var live: [String: [UInt64]] = [:]
        var nextSequence: UInt64 = 1
        for batchNumber in 0..<300 {
            var batch = DurableChanges()
            for id in ["ana", "bea", "cafe\u{301}"] where Bool.random(using: &generator) {
                let key = DurableKey(id)
                if Int.random(in: 0..<12, using: &generator) == 0 {
                    batch.sessions[key] = .some(nil)
                    live[id] = nil
                    continue
                }
                var change = PendingMessagesChange(replacesAll: Int.random(in: 0..<10, using: &generator) == 0)
                if change.replacesAll { live[id] = [] }
                var sequences = live[id] ?? []
                for sequence in sequences where Int.random(in: 0..<3, using: &generator) == 0 {
                    change.removed.append(sequence)
                }
                sequences.removeAll { change.removed.contains($0) }
                for sequence in sequences where Int.random(in: 0..<4, using: &generator) == 0 {
                    change.upserted.append(.init(sequence: sequence, message: entry("\(id) moved \(batchNumber)", stage: "awaitingPuback")))
                }
                for _ in 0..<Int.random(in: 0...3, using: &generator) {
                    change.upserted.append(.init(sequence: nextSequence, message: entry("\(id) \(nextSequence)")))
                    sequences.append(nextSequence)
                    nextSequence += 1
                }
                live[id] = sequences
                batch.pending[key] = change
                batch.sessions[key] = .some(session(id))
            }
            image.apply(batch)
            commit(batch, to: store)
        }
        let loaded = try store.load()
        XCTAssertEqual(loaded.sessions, image.restoredSessions)
        XCTAssertGreaterThan(loaded.sessions.reduce(0) { $0 + $1.queue.count + $1.inflight.count }, 0,
                             "the series must leave something pending")
    }

    /// A store written before pending messages had rows (schema 1, inside the snapshots) opens, migrates,
    /// and loads them.
    func testAVersion1StoreWithMessagesInsideSnapshotsStillLoads() throws {
        var old = session("ana")
        old.inflight = [entry("in flight", stage: "awaitingPuback")]
        old.queue = [entry("queued")]
        do {
            let store = try BrokerStore(path: path())
            commit(changes(sessions: [old]), to: store)
            // Make it look like schema 1.
            try store.executeForTesting("DROP TABLE pending")
            try store.executeForTesting("DELETE FROM grdb_migrations WHERE identifier LIKE 'v2%'")
            try store.executeForTesting("UPDATE meta SET value = '1' WHERE key = 'schemaVersion'")
            try store.close()
        }
        let store = try open()
        XCTAssertEqual(try store.textForTesting("SELECT value FROM meta WHERE key = 'schemaVersion'"), "2")
        XCTAssertEqual(try store.load().sessions, [old])
    }

    /// Session rows written before the user name was kept have no `username` key: they load, without one.
    func testASessionRowWithoutAUserNameLoads() throws {
        let store = try open()
        let ana = session("ana")
        XCTAssertNotNil(ana.username)
        commit(changes(sessions: [ana]), to: store)
        XCTAssertEqual(try store.load().sessions.first?.username, ana.username, "kept when present")
        try store.executeForTesting("UPDATE session SET snapshot = CAST(json_remove(CAST(snapshot AS TEXT), '$.username') AS BLOB)")
        XCTAssertEqual(try store.textForTesting("SELECT instr(CAST(snapshot AS TEXT), 'username') FROM session"), "0")
        var withoutName = ana
        withoutName.username = nil
        XCTAssertEqual(try store.load().sessions, [withoutName])
    }
}
