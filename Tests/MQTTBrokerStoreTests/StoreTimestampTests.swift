import Foundation
import GRDB
import XCTest
@testable import MQTTBrokerStore

/// The batch time is formatted by hand (GRDB's DateFormatter was a visible cost per batch): it must be
/// exactly the text GRDB writes for the same `Date`, and read back by GRDB as that date to the millisecond.
final class StoreTimestampTests: XCTestCase {
    func testTheTextIsGRDBsOwnForTheSameDate() throws {
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400.5),  // 2000-02-29
                     Date(timeIntervalSince1970: 1_796_083_199.999), Date()]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            // Whole milliseconds, and any instant (the formatter rounds to the nearest millisecond; a first
            // version truncated, and failed on `Date()` about half the time).
            let milliseconds = Double(UInt64.random(in: 0...4_102_444_800_000, using: &random))  // up to 2100
            dates.append(Date(timeIntervalSince1970: milliseconds / 1000))
            let instant = Double.random(in: 0...4_102_444_800, using: &random)
            dates.append(Date(timeIntervalSince1970: (instant * 1000).rounded() / 1000 + 0.0004))
            dates.append(Date(timeIntervalSince1970: (instant * 1000).rounded() / 1000 + 0.0006))
        }
        for date in dates {
            guard case .string(let expected) = date.databaseValue.storage else { return XCTFail("GRDB stores a Date as text") }
            let text = StoreTimestamp.text(for: date)
            XCTAssertEqual(text, expected, "\(date.timeIntervalSince1970)")
            let back = try XCTUnwrap(Date.fromDatabaseValue(text.databaseValue))
            XCTAssertEqual(back.timeIntervalSince1970, date.timeIntervalSince1970, accuracy: 0.001)
        }
    }
}
