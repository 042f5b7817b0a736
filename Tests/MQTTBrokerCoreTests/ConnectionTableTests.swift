@testable import MQTTBrokerCore
import XCTest

/// `ConnectionTable` replaces the engine's `[ConnectionID: ClientConnection]` dictionary: after any series
/// of inserts, replacements and removals it must answer exactly as the dictionary would.
final class ConnectionTableTests: XCTestCase {
    func testRandomOperationsAnswerAsADictionary() {
        var random = SplitMix64(seed: 0xC0_77EC)
        for round in 0..<30 {
            var table = ConnectionTable<String>()
            var model: [ConnectionID: String] = [:]
            var nextID: UInt64 = 1
            // Ids grow like the transport's; some rounds leave gaps, some start high.
            if round % 3 == 0 { nextID = UInt64.random(in: 1...UInt64.max / 2, using: &random) }
            for step in 0..<2_000 {
                let roll = Int.random(in: 0..<10, using: &random)
                let live = Array(model.keys)
                if roll < 5 || live.isEmpty {
                    let id = ConnectionID(nextID)
                    nextID += round % 2 == 0 ? 1 : UInt64.random(in: 1...64, using: &random)
                    table[id] = "c\(step)"
                    model[id] = "c\(step)"
                } else if roll < 8 {
                    let id = live.randomElement(using: &random)!
                    XCTAssertEqual(table.removeValue(forKey: id), model.removeValue(forKey: id))
                } else if roll < 9 {
                    let id = live.randomElement(using: &random)!
                    table[id] = "replaced \(step)"
                    model[id] = "replaced \(step)"
                } else {
                    let id = ConnectionID(nextID + 1_000)  // never inserted
                    XCTAssertNil(table[id])
                    XCTAssertNil(table.removeValue(forKey: id))
                }
                XCTAssertEqual(table.count, model.count)
                if step % 50 == 0 {
                    for (id, value) in model { XCTAssertEqual(table[id], value, "round \(round) step \(step) #\(id)") }
                }
            }
            for (id, value) in model { XCTAssertEqual(table[id], value) }
            XCTAssertEqual(table.sortedByID.map(\.id), model.keys.sorted())
            XCTAssertEqual(table.sortedByID.map(\.value), model.keys.sorted().map { model[$0]! })
            XCTAssertEqual(table.values.sorted(), model.values.sorted())
        }
    }

    /// Removing every entry, in an order unrelated to insertion, leaves nothing reachable and nothing counted.
    func testEmptiedTableFindsNothing() {
        var table = ConnectionTable<Int>()
        let ids = (1...500).map { ConnectionID(UInt64($0) * 7) }
        for (index, id) in ids.enumerated() { table[id] = index }
        for id in ids.reversed() where id.rawValue % 2 == 0 { table[id] = nil }
        for id in ids where id.rawValue % 2 == 1 { XCTAssertNotNil(table.removeValue(forKey: id)) }
        XCTAssertEqual(table.count, 0)
        XCTAssertTrue(table.values.isEmpty)
        for id in ids { XCTAssertNil(table[id]) }
    }
}
