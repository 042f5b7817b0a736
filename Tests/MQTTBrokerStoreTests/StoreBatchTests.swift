import Dispatch
import Foundation
import XCTest
@testable import MQTTBrokerCore
import MQTTCodec
@testable import MQTTBrokerStore

/// Batches: upserts and deletes in one transaction, merge, ordering, concurrency, reopening.
final class StoreBatchTests: StoreTestCase {
    func testUpsertReplacesAndDeleteRemoves() throws {
        let store = try open()
        commit(changes(sessions: [Fixtures.session("ana", marker: 1), Fixtures.session("beto")],
                       retained: [Fixtures.retained("r/1"), Fixtures.retained("r/2")]), to: store)
        commit(changes(sessions: [Fixtures.session("ana", marker: 2)], deleteSessions: ["beto"],
                       deleteRetained: ["r/1"]), to: store)
        let loaded = try store.load()
        XCTAssertEqual(loaded.sessions.map(\.clientID), ["ana"])
        XCTAssertEqual(loaded.sessions.first?.nextPacketID, 2)
        XCTAssertEqual(loaded.retained.map(\.topic), ["r/2"])
        XCTAssertEqual(try store.textForTesting("SELECT count(*) FROM session"), "1")
    }

    func testDeletingWhatIsNotThereIsFine() throws {
        let store = try open()
        XCTAssertNoThrow(try commit(changes(deleteSessions: ["nobody"], deleteRetained: ["no/topic"]), to: store).get())
        XCTAssertNoThrow(try commit(DurableChanges(), to: store).get())
        XCTAssertTrue(try store.load().sessions.isEmpty)
    }

    /// Later changes win: writing `a.merge(b)` once leaves the same rows as writing a then b.
    func testAMergedBatchEqualsItsPartsWrittenInOrder() throws {
        let first = changes(sessions: [Fixtures.session("x", marker: 1), Fixtures.session("y", marker: 1)],
                            retained: [Fixtures.retained("keep"), Fixtures.retained("gone")])
        let second = changes(sessions: [Fixtures.session("z", marker: 3), Fixtures.session("y", marker: 2)],
                             deleteSessions: ["x"], deleteRetained: ["gone"])
        var third = changes(sessions: [Fixtures.session("x", marker: 9)])  // deleted, then back
        third.retained["keep"] = .some(nil)

        let sequential = try open(path("sequential.db"))
        for batch in [first, second, third] { commit(batch, to: sequential) }

        var merged = first
        merged.merge(second)
        merged.merge(third)
        let once = try open(path("merged.db"))
        commit(merged, to: once)

        let a = try sequential.load()
        let b = try once.load()
        XCTAssertEqual(a.sessions, b.sessions)
        XCTAssertEqual(a.retained, b.retained)
        XCTAssertEqual(b.sessions.map { "\($0.clientID)=\($0.nextPacketID)" }, ["x=9", "y=2", "z=3"])
        XCTAssertEqual(b.retained, [])
    }

    /// 2,000 random batches against a model keyed by bytes; the store ends where the model does.
    func testManyRandomBatchesMatchAModel() throws {
        let store = try open()
        var generator = SeededGenerator(seed: 2024)
        let ids = (0..<40).map { "client-\($0)" } + ["caf\u{E9}", "cafe\u{301}", "日本"]
        let topics = (0..<20).map { "t/\($0)" }
        var sessionModel: [[UInt8]: UInt16] = [:]
        var retainedModel: [[UInt8]: [UInt8]] = [:]
        let done = expectation(description: "all batches")
        done.expectedFulfillmentCount = 2_000
        let failures = Locked<[String]>([])
        for batchNumber in 0..<2_000 {
            var batch = DurableChanges()
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                let id = ids.randomElement(using: &generator)!
                // One change per key and batch (the model below applies changes in order).
                guard batch.sessions[DurableKey(id)] == nil else { continue }
                if Bool.random(using: &generator) {
                    let marker = UInt16(batchNumber % 65_535)
                    batch.sessions[DurableKey(id)] = .some(Fixtures.session(id, marker: marker))
                    sessionModel[Array(id.utf8)] = marker
                } else {
                    batch.sessions[DurableKey(id)] = .some(nil)
                    sessionModel[Array(id.utf8)] = nil
                }
            }
            let topic = topics.randomElement(using: &generator)!
            if Bool.random(using: &generator) {
                let payload = [UInt8(batchNumber % 256), UInt8(batchNumber / 256)]
                batch.retained[DurableKey(topic)] = .some(RetainedSnapshot(topic: topic, payload: payload, qos: .atMostOnce, properties: [], expiresInSeconds: nil))
                retainedModel[Array(topic.utf8)] = payload
            } else {
                batch.retained[DurableKey(topic)] = .some(nil)
                retainedModel[Array(topic.utf8)] = nil
            }
            store.write(batch) { result in
                if case .failure(let error) = result { failures.withValue { $0.append("batch \(batchNumber): \(error)") } }
                done.fulfill()
            }
        }
        wait(for: [done], timeout: 60)
        XCTAssertEqual(failures.current, [])
        let loaded = try store.load()
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: loaded.sessions.map { (Array($0.clientID.utf8), $0.nextPacketID) }), sessionModel)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: loaded.retained.map { (Array($0.topic.utf8), $0.payload) }), retainedModel)
    }

    /// Completions come in call order, each after its own commit (a later batch's completion never
    /// overtakes an earlier one), and never on the caller's thread.
    func testCompletionsComeInOrderOffTheCallersQueue() throws {
        let store = try open()
        let caller = DispatchQueue(label: "caller (an event loop stand-in)")
        let key = DispatchSpecificKey<Bool>()
        caller.setSpecific(key: key, value: true)
        let order = Locked<[Int]>([])
        let onCaller = Locked<Int>(0)
        let done = expectation(description: "completions")
        done.expectedFulfillmentCount = 300
        let batches = (0..<300).map { changes(sessions: [Fixtures.session("ordered", marker: UInt16($0))]) }
        caller.async {
            for (index, batch) in batches.enumerated() {
                store.write(batch) { _ in
                    if DispatchQueue.getSpecific(key: key) == true { onCaller.withValue { $0 += 1 } }
                    order.withValue { $0.append(index) }
                    done.fulfill()
                }
            }
        }
        wait(for: [done], timeout: 30)
        XCTAssertEqual(order.current, Array(0..<300))
        XCTAssertEqual(onCaller.current, 0, "a completion ran on the caller's queue")
        XCTAssertEqual(try store.load().sessions.first?.nextPacketID, 299)
    }

    /// Writes from many threads at once: all committed, one at a time — the last completion to run
    /// is the batch whose value the shared row holds.
    func testConcurrentWritesAreSerialized() throws {
        let store = try open()
        let threads = 8
        let perThread = 50
        let completionOrder = Locked<[UInt16]>([])
        let failures = Locked<Int>(0)
        let done = expectation(description: "all writes")
        done.expectedFulfillmentCount = threads * perThread
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in 0..<perThread {
                let marker = UInt16(thread * perThread + index)
                var batch = DurableChanges()
                batch.sessions["shared"] = .some(Fixtures.session("shared", marker: marker))
                batch.sessions[DurableKey("own-\(marker)")] = .some(Fixtures.session("own-\(marker)", marker: marker))
                store.write(batch) { result in
                    if case .failure = result { failures.withValue { $0 += 1 } }
                    completionOrder.withValue { $0.append(marker) }
                    done.fulfill()
                }
            }
        }
        wait(for: [done], timeout: 60)
        XCTAssertEqual(failures.current, 0)
        let loaded = try store.load().sessions
        XCTAssertEqual(loaded.count, threads * perThread + 1)
        XCTAssertEqual(loaded.first { $0.clientID == "shared" }?.nextPacketID, completionOrder.current.last)
        for session in loaded where session.clientID.hasPrefix("own-") {
            XCTAssertEqual("own-\(session.nextPacketID)", session.clientID)
        }
    }

    /// A batch that fails part-way leaves nothing of itself behind.
    func testAFailingBatchIsRolledBackWhole() throws {
        let store = try open()
        commit(changes(sessions: [Fixtures.session("before")]), to: store)
        try store.executeForTesting("""
            CREATE TRIGGER refuse AFTER INSERT ON retained WHEN NEW.topic = 'boom'
            BEGIN SELECT RAISE(ABORT, 'refused by test'); END
            """)
        let failing = changes(sessions: [Fixtures.session("during")], deleteSessions: ["before"], retained: [Fixtures.retained("boom")])
        guard case .failure(let error) = outcome(of: failing, on: store) else { return XCTFail("the batch should have failed") }
        XCTAssertTrue("\(error)".contains("refused by test"), "\(error)")
        let loaded = try store.load()
        XCTAssertEqual(loaded.sessions.map(\.clientID), ["before"])
        XCTAssertEqual(loaded.retained, [])
        // The store is still usable.
        try store.executeForTesting("DROP TRIGGER refuse")
        commit(changes(sessions: [Fixtures.session("after")]), to: store)
        XCTAssertEqual(try store.load().sessions.map(\.clientID), ["after", "before"])
    }

    func testTheAsyncVariantReturnsAfterTheCommit() async throws {
        let store = try BrokerStore(path: path())
        try await store.write(changes(sessions: [Fixtures.session("ana")], retained: [Fixtures.retained("r")]))
        let loaded = try store.load()
        XCTAssertEqual(loaded.sessions, [Fixtures.session("ana")])
        XCTAssertEqual(loaded.retained, [Fixtures.retained("r")])
        try store.close()
        do {
            try await store.write(changes(sessions: [Fixtures.session("late")]))
            XCTFail("a write after close should fail")
        } catch {}
    }

    func testReopeningAfterCloseFindsEverything() throws {
        var store: BrokerStore? = try BrokerStore(path: path())
        let sessions = [Fixtures.session("ana"), Fixtures.session("é"), Fixtures.session("e\u{301}", marker: 5)]
        for session in sessions { commit(changes(sessions: [session]), to: store!) }
        commit(changes(retained: [Fixtures.retained("r/1")]), to: store!)
        try store!.close()
        store = nil

        let reopened = try open()
        let loaded = try reopened.load()
        XCTAssertEqual(Set(loaded.sessions.idBytes), Set(sessions.idBytes))
        XCTAssertEqual(loaded.retained, [Fixtures.retained("r/1")])
        // And it can be written again.
        commit(changes(deleteSessions: ["ana"]), to: reopened)
        XCTAssertEqual(try reopened.load().sessions.count, 2)
    }

    /// WAL: what one store committed is visible to a second store opened on the same file while the first
    /// is still open (as a restarted broker sees what a killed one committed), and the other way round.
    func testASecondStoreOnTheSameFileSeesCommittedData() throws {
        let first = try open()
        commit(changes(sessions: [Fixtures.session("ana")], retained: [Fixtures.retained("r")]), to: first)

        let second = try open()
        let seen = try second.load()
        XCTAssertEqual(seen.sessions, [Fixtures.session("ana")])
        XCTAssertEqual(seen.retained, [Fixtures.retained("r")])

        commit(changes(sessions: [Fixtures.session("beto")], deleteRetained: ["r"]), to: second)
        let back = try first.load()
        XCTAssertEqual(back.sessions.map(\.clientID), ["ana", "beto"])
        XCTAssertEqual(back.retained, [])
        XCTAssertTrue(FileManager.default.fileExists(atPath: path() + "-wal"), "WAL mode keeps a -wal file beside the store")
    }
}
