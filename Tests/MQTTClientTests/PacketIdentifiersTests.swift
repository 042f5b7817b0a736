import XCTest
@testable import MQTTClient

final class PacketIdentifiersTests: XCTestCase {
    func testIdsSkipThoseInUseAndWrapAround() {
        var ids = PacketIdentifiers()
        XCTAssertEqual(ids.allocate(), 1)
        XCTAssertEqual(ids.allocate(), 2)
        ids.release(1)
        XCTAssertEqual(ids.allocate(), 3, "a freed id is not reused at once")
        for _ in 4...65535 { _ = ids.allocate() }
        XCTAssertEqual(ids.allocate(), 1, "after 65535 the ids wrap to the first free one")
        XCTAssertNil(ids.allocate(), "all 65535 in use")
    }
}
