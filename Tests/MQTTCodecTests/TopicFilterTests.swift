import MQTTCodec
import XCTest

/// Topic filter syntax and matching (checklist §5), compared as UTF-8 bytes [MQTT-4.7.3-4].
final class TopicFilterTests: XCTestCase {
    /// The §5.3 table, row for row.
    static let checklistTable: [(filter: String, topic: String, matches: Bool)] = [
        ("sport/tennis/player1/#", "sport/tennis/player1", true),
        ("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true),
        ("sport/tennis/+", "sport/tennis/player1/ranking", false),
        ("sport/+", "sport", false),
        ("sport/+", "sport/", true),
        ("+/+", "/finance", true),
        ("+", "/finance", false),
        ("#", "$SYS/broker/uptime", false),
        ("$SYS/#", "$SYS", true),
        ("+/#", "$share", false),
        ("ACCOUNTS", "Accounts", false),
    ]

    func testTheChecklistMatchingTable() {
        for row in Self.checklistTable {
            XCTAssertEqual(TopicFilter.matches(filter: row.filter, topic: row.topic), row.matches, "\(row.filter) vs \(row.topic)")
        }
    }

    /// More of §5.3: `+` takes exactly one level (possibly empty), `#` the rest and the parent.
    func testSingleAndMultiLevelWildcards() {
        let rows: [(String, String, Bool)] = [
            ("sport/+", "sport/x", true),
            ("sport/+", "sport/x/y", false),
            ("sport/#", "sport", true),
            ("sport/#", "sport/", true),
            ("sport/#", "sport/x/y", true),
            ("sport/#", "sports", false),
            ("/+", "/finance", true),
            ("+/+", "a", false),
            ("a/+/c", "a//c", true),  // + matches an empty level
            ("a/+/c", "a/c", false),
            ("#", "a", true),
            ("#", "/", true),
            ("#", "a/b/c", true),
            ("+/#", "a", true),  // # matches the parent level too
            ("+/tennis/#", "sport/tennis", true),
            ("+/tennis/#", "sport/tennis/player1", true),
            ("+/tennis/#", "sport/golf/player1", false),
            ("a//b", "a//b", true),
            ("a//b", "a/b", false),
            ("/", "/", true),
            ("a/", "a", false),
            ("a", "a/", false),
            ("a/b", "a/b/", false),
            ("a b", "a b", true),
        ]
        for (filter, topic, expected) in rows {
            XCTAssertEqual(TopicFilter.matches(filter: filter, topic: topic), expected, "\(filter) vs \(topic)")
        }
    }

    /// A filter starting with a wildcard never matches a `$` topic [MQTT-4.7.2-1]; after a literal
    /// first level wildcards work normally.
    func testDollarTopics() {
        let rows: [(String, String, Bool)] = [
            ("#", "$SYS/monitor/Clients", false),
            ("+/monitor/Clients", "$SYS/monitor/Clients", false),
            ("+", "$SYS", false),
            ("$SYS/monitor/+", "$SYS/monitor/Clients", true),
            ("$SYS/#", "$SYS/monitor/Clients", true),
            ("$SYS/monitor/Clients", "$SYS/monitor/Clients", true),
            ("a/#", "a/$b", true),  // only a leading $ is special
            ("+/b", "a$/b", true),
        ]
        for (filter, topic, expected) in rows {
            XCTAssertEqual(TopicFilter.matches(filter: filter, topic: topic), expected, "\(filter) vs \(topic)")
        }
    }

    /// Swift's `==` says precomposed "é" (U+00E9) equals "e" + U+0301; MQTT compares bytes and must
    /// not [MQTT-4.7.3-4].
    func testMatchingComparesBytesNotCanonicalEquivalence() {
        let precomposed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        XCTAssertEqual(precomposed, decomposed, "the premise: Swift String == normalises")
        XCTAssertNotEqual(Array(precomposed.utf8), Array(decomposed.utf8))
        XCTAssertFalse(TopicFilter.matches(filter: precomposed, topic: decomposed))
        XCTAssertFalse(TopicFilter.matches(filter: decomposed, topic: precomposed))
        XCTAssertTrue(TopicFilter.matches(filter: precomposed, topic: precomposed))
        XCTAssertTrue(TopicFilter.matches(filter: decomposed, topic: decomposed))
        XCTAssertFalse(TopicFilter.matches(filter: "a/\(precomposed)/+", topic: "a/\(decomposed)/x"))
        XCTAssertTrue(TopicFilter.matches(filter: "a/+/x", topic: "a/\(decomposed)/x"), "+ takes the decomposed level whole")
        // The byte form of the API agrees with the String form.
        XCTAssertFalse(TopicFilter.matches(filter: Array(precomposed.utf8), topic: Array(decomposed.utf8)))
        // A combining mark after "/" must not glue the slash to the next level (grapheme pitfall, §12).
        XCTAssertTrue(TopicFilter.matches(filter: "a/+", topic: "a/\u{301}"))
        XCTAssertEqual(Array("a/\u{301}".utf8).filter { $0 == 0x2F }.count, 1)
    }

    /// The decoder keeps both spellings apart too: two SUBSCRIBE filters that Swift calls equal are
    /// two different filters on the wire.
    func testDecoderKeepsNormalisationVariantsApart() throws {
        let bytes = Wire.packet(0x82, hex("00 01") + Wire.string("caf\u{E9}") + [0] + Wire.string("cafe\u{301}") + [0])
        guard case .subscribe(let subscribe) = try PacketDecoder.decode(bytes, version: .v3_1_1) else { return XCTFail() }
        XCTAssertEqual(subscribe.subscriptions.map { Array($0.filter.utf8) }, [Array("caf\u{E9}".utf8), Array("cafe\u{301}".utf8)])
    }

    // MARK: Filter syntax

    func testValidFilters() {
        for filter in ["#", "a/#", "+/#", "/#", "+", "+/+", "a/+/c", "+/tennis/#", "a//b", "/", "$SYS/#", "a/b/c", "sport/tennis/player1/#",
                       "caf\u{E9}/+", "$share", "$shared/x", "a /b"] {
            for shared in [false, true] {
                XCTAssertNil(TopicFilter.problem(in: Array(filter.utf8), sharedSubscriptions: shared), "\(filter) shared=\(shared)")
            }
        }
        for filter in ["$share/g/a", "$share/g/#", "$share/group//finance", "$share/g/+/x"] {
            XCTAssertNil(TopicFilter.problem(in: Array(filter.utf8), sharedSubscriptions: true), filter)
        }
    }

    /// Invalid filters: the problem and the byte offset within the filter ([MQTT-4.7.1-*], checklist §5.2).
    func testInvalidFilters() {
        let rows: [(String, TopicFilterProblem, Int)] = [
            ("", .empty, -1),
            ("a#", .multiLevelWildcardNotAlone, 1),
            ("a/b#", .multiLevelWildcardNotAlone, 3),
            ("#a", .multiLevelWildcardNotAlone, 0),
            ("a/#/b", .multiLevelWildcardNotLast, 2),
            ("#/", .multiLevelWildcardNotLast, 0),
            ("a+", .singleLevelWildcardNotAlone, 1),
            ("a/+b", .singleLevelWildcardNotAlone, 2),
            ("sport+", .singleLevelWildcardNotAlone, 5),
            ("+a/b", .singleLevelWildcardNotAlone, 0),
        ]
        for (filter, problem, offset) in rows {
            for shared in [false, true] {
                let found = TopicFilter.problem(in: Array(filter.utf8), sharedSubscriptions: shared)
                XCTAssertEqual(found?.problem, problem, "\(filter)")
                XCTAssertEqual(found?.offset, offset, "\(filter)")
            }
        }
    }

    /// `$share/{ShareName}/{filter}` [MQTT-4.8.2-1], [MQTT-4.8.2-2], only when shared subscriptions exist (5.0).
    func testSharedSubscriptionSyntax() {
        let rows: [(String, TopicFilterProblem, Int)] = [
            ("$share//x", .emptyShareName, 0),
            ("$share/", .emptyShareName, 0),
            ("$share/g", .invalidSharedSubscription, 0),
            ("$share/g/", .invalidSharedSubscription, 0),
            ("$share/g+/x", .invalidSharedSubscription, 0),
            ("$share/#/x", .invalidSharedSubscription, 0),
            ("$share/g/a#", .multiLevelWildcardNotAlone, 10),
            ("$share/g/a/#/b", .multiLevelWildcardNotLast, 11),
        ]
        for (filter, problem, offset) in rows {
            let found = TopicFilter.problem(in: Array(filter.utf8), sharedSubscriptions: true)
            XCTAssertEqual(found?.problem, problem, filter)
            XCTAssertEqual(found?.offset, offset, filter)
        }
        // 3.1.1 has no shared subscriptions: these are ordinary filters (checklist §5.5). ("$share/g+/x"
        // is not among them: "g+" breaks the + rule in any version.)
        for filter in ["$share//x", "$share/", "$share/g", "$share/#"] {
            XCTAssertNil(TopicFilter.problem(in: Array(filter.utf8), sharedSubscriptions: false), filter)
        }
    }

    func testSharedSubscriptionSplitting() {
        XCTAssertTrue(TopicFilter.isShared("$share/g/a"))
        XCTAssertFalse(TopicFilter.isShared("$shared/a"))
        XCTAssertFalse(TopicFilter.isShared("a/$share/g/a"))
        XCTAssertFalse(TopicFilter.isShared("$SHARE/g/a"))
        let rows: [(String, String, String)] = [
            ("$share/g/a/b", "g", "a/b"),
            ("$share/g/#", "g", "#"),
            ("$share/group//finance", "group", "/finance"),
            ("$share/consumer1/sport/tennis/+", "consumer1", "sport/tennis/+"),
            ("$share/gr\u{FC}n/x", "gr\u{FC}n", "x"),
        ]
        for (filter, group, rest) in rows {
            let split = TopicFilter.splitShared(filter)
            XCTAssertEqual(split?.group, group, filter)
            XCTAssertEqual(split?.filter, rest, filter)
        }
        for filter in ["$share//x", "$share/g", "$share/g/", "a/b", "$share/g+/x", "$share/g/a#"] {
            XCTAssertNil(TopicFilter.splitShared(filter), filter)
        }
        // "$share/group//finance" shares "/finance", which matches topic /finance (checklist §5.5).
        let split = TopicFilter.splitShared("$share/group//finance")!
        XCTAssertTrue(TopicFilter.matches(filter: split.filter, topic: "/finance"))
        XCTAssertFalse(TopicFilter.matches(filter: split.filter, topic: "finance"))
    }
}
