import MQTTCodec
import XCTest

@testable import MQTTLabCLI

/// What each key does to the inspector's state, without a terminal.
final class InspectBrowserTests: XCTestCase {
    /// ana publishes at QoS 2 and bea subscribes: 8 packets on two connections.
    private func classSession() -> InspectBrowser {
        InspectBrowser(list: InspectFixtures.list([
            (1, .toBroker, .connect(Connect(clientID: "ana"))),
            (1, .toClient, .connack(ConnAck())),
            (2, .toBroker, .connect(Connect(clientID: "bea"))),
            (2, .toBroker, .subscribe(Subscribe(packetID: 1, subscriptions: [.init(filter: "casa/#", qos: .exactlyOnce)]))),
            (1, .toBroker, .publish(Publish(topic: "casa/luz", payload: Array("ON".utf8), qos: .exactlyOnce, packetID: 7))),
            (1, .toClient, .pubrec(PublishAck(packetID: 7))),
            (1, .toBroker, .pubrel(PublishAck(packetID: 7))),
            (1, .toClient, .pubcomp(PublishAck(packetID: 7))),
        ]))
    }

    func testNextAndPreviousFieldWalkAcrossPacketBoundaries() {
        var browser = classSession()
        let steps = browser.stepCount
        XCTAssertGreaterThan(steps, 5)
        XCTAssertTrue(browser.handle(.right))
        XCTAssertTrue(browser.handle(.character("n")))
        XCTAssertEqual(browser.step, 2)
        XCTAssertTrue(browser.handle(.character("p")))
        XCTAssertEqual(browser.step, 1)
        for _ in 0..<(steps - 1) { _ = browser.handle(.character("n")) }
        XCTAssertEqual(browser.selected, 1, "past the last field of CONNECT comes CONNACK")
        XCTAssertEqual(browser.step, 0)
        _ = browser.handle(.left)
        XCTAssertEqual(browser.selected, 0)
        XCTAssertEqual(browser.step, steps - 1, "back onto the last field of CONNECT")
        _ = browser.handle(.home)
        XCTAssertEqual(browser.step, 0)
        _ = browser.handle(.left)
        XCTAssertEqual(browser.step, 0, "nothing before the first field of the first packet")
    }

    func testArrowsMoveBetweenPacketsAndStartAtTheFirstField() {
        var browser = classSession()
        _ = browser.handle(.right)
        _ = browser.handle(.down)
        XCTAssertEqual(browser.selectedPacket?.type, .connack)
        XCTAssertEqual(browser.step, 0)
        _ = browser.handle(.pageDown)
        XCTAssertEqual(browser.selectedPacket?.type, .pubcomp, "clamped at the last packet")
        _ = browser.handle(.up)
        XCTAssertEqual(browser.selectedPacket?.type, .pubrel)
        _ = browser.handle(.pageUp)
        XCTAssertEqual(browser.selected, 0)
    }

    func testTabFollowsTheFlowOfTheSelectedPacket() {
        var browser = classSession()
        browser.selectPacket(at: 4)  // the PUBLISH
        _ = browser.handle(.tab)
        XCTAssertEqual(browser.selectedPacket?.type, .pubrec)
        _ = browser.handle(.tab)
        _ = browser.handle(.tab)
        XCTAssertEqual(browser.selectedPacket?.type, .pubcomp)
        _ = browser.handle(.tab)
        XCTAssertEqual(browser.selectedPacket?.type, .pubcomp, "the end of the flow")
        _ = browser.handle(.backTab)
        XCTAssertEqual(browser.selectedPacket?.type, .pubrel)
    }

    func testSlashFiltersByClientTypeOrTopicAndEscapeCancels() {
        var browser = classSession()
        for key: Key in [.character("/"), .character("b"), .character("e"), .character("x"), .backspace, .character("a"), .enter] {
            XCTAssertTrue(browser.handle(key))
        }
        XCTAssertEqual(browser.filterText, "bea")
        XCTAssertEqual(browser.visible.map { browser.list.packets[$0].type }, [.connect, .subscribe])
        for key: Key in [.character("/"), .control("u"), .character("p"), .character("u"), .character("b"), .space, .character("a"), .character("n"), .character("a"), .enter] {
            _ = browser.handle(key)
        }
        XCTAssertEqual(browser.visible.map { browser.list.packets[$0].type }, [.publish, .pubrec, .pubrel, .pubcomp],
                       "type prefix and client together")
        _ = browser.handle(.character("/"))
        _ = browser.handle(.character("z"))
        _ = browser.handle(.escape)
        XCTAssertEqual(browser.filterText, "pub ana", "Esc leaves the filter as it was")
        XCTAssertEqual(browser.mode, .browse)
        for key: Key in [.character("/"), .control("u"), .character("l"), .character("u"), .character("z"), .enter] { _ = browser.handle(key) }
        XCTAssertEqual(browser.visible.count, 1, "casa/luz matches by topic")
        for key: Key in [.character("/"), .control("u"), .enter] { _ = browser.handle(key) }
        XCTAssertEqual(browser.visible.count, 8, "an empty filter shows everything")
    }

    func testATabIntoAFilteredOutPacketClearsTheFilter() {
        var browser = classSession()
        browser.applyFilter("publish")
        XCTAssertEqual(browser.visible.count, 1)
        _ = browser.handle(.tab)
        XCTAssertEqual(browser.selectedPacket?.type, .pubrec)
        XCTAssertEqual(browser.filterText, "")
    }

    func testHelpAndQuit() {
        var browser = classSession()
        XCTAssertTrue(browser.handle(.character("?")))
        XCTAssertEqual(browser.mode, .help)
        XCTAssertTrue(browser.handle(.character("x")))
        XCTAssertEqual(browser.mode, .browse)
        XCTAssertFalse(browser.handle(.character("q")))
        XCTAssertFalse(browser.handle(.control("c")))
    }

    func testFollowedPacketsAreAppendedWithoutMovingTheSelection() {
        var browser = InspectBrowser(list: PacketList(title: "live"))
        browser.following = true
        XCTAssertNil(browser.selectedIndex)
        let more = classSession().list.packets
        browser.append(Array(more.prefix(2)), notes: [])
        XCTAssertEqual(browser.selected, 0)
        _ = browser.handle(.down)
        browser.append(Array(more.dropFirst(2)), notes: ["trace.jsonl:9: not a JSON object"])
        XCTAssertEqual(browser.selected, 1)
        XCTAssertEqual(browser.visible.count, 8)
        XCTAssertEqual(browser.conversations.conversations.filter { $0.kind == .qos2 }.count, 1, "flows are linked again")
    }

    /// A followed trace keeps only the newest notes (before, a file of bad lines grew them without limit).
    func testAFollowedTraceKeepsTheNewestNotesWithinTheLimit() {
        var browser = InspectBrowser(list: PacketList(title: "live"))
        browser.following = true
        for round in 0..<5 {
            browser.append([], notes: (0..<100).map { "trace.jsonl:\(round * 100 + $0): not a JSON object" })
        }
        XCTAssertEqual(browser.list.notes.count, 200)
        XCTAssertEqual(browser.list.notes.last, "trace.jsonl:499: not a JSON object", "the newest note is kept")
        XCTAssertEqual(browser.list.notes.first, "trace.jsonl:300: not a JSON object")
    }
}
