import XCTest
@testable import MQTTLabCourse

/// What the parser builds from a well-formed lesson.
final class LessonParserTests: XCTestCase {
    private func fixture(_ path: String) throws -> Lesson {
        let text = try String(contentsOfFile: CourseFixtures.fixtureCourse + "/" + path, encoding: .utf8)
        return try LessonParser.parseOrThrow(text, path: path, language: path.hasSuffix("es.md") ? .es : .en)
    }

    func testFrontMatterAndSteps() throws {
        let lesson = try fixture("01-decoding/en.md")
        XCTAssertEqual(lesson.title, "Bytes of a packet")
        XCTAssertEqual(lesson.summary, "Decode one PUBLISH and name every byte.")
        XCTAssertEqual(lesson.frontMatter.minutes, 5)
        XCTAssertEqual(lesson.steps.map(\.plainTitle), ["A packet is bytes", "Decode it yourself", "What each field means"])
        XCTAssertEqual(lesson.steps.map(\.line), [9, 19, 35])
    }

    func testRunBlocksWithTheirOutput() throws {
        let lesson = try fixture("02-publishing/en.md")
        let runs = lesson.runBlocks
        XCTAssertEqual(runs.map(\.kind), [.broker, .background(name: "sub"), .finishes, .finishes, .finishes])
        XCTAssertEqual(runs.map(\.command), [
            "mqttlab broker", "mosquitto_sub -t 'casa/#' -v -i ana", "mosquitto_pub -t casa/luz -m ON -i sensor",
            "mosquitto_pub -t casa/estado -m online -r -i sensor", "mosquitto_sub -t casa/estado -C 1 -W 5 -v",
        ])
        XCTAssertNil(runs[3].output)
        XCTAssertEqual(runs[4].output, ExpectedOutput(name: nil, lines: ["casa/estado online"], line: 60))
        // The named outputs are free-standing actions, in reading order after the publish.
        XCTAssertEqual(lesson.steps[2].actions, [
            .run(runs[2]),
            .checkOutput(ExpectedOutput(name: "sub", lines: ["casa/luz ON"], line: 36)),
            .checkOutput(ExpectedOutput(name: "broker", lines: ["...sensor...PUBLISH...casa/luz..."], line: 43)),
        ])
    }

    func testInlineMarkup() throws {
        let lesson = try fixture("01-decoding/en.md")
        guard case .paragraph(let inlines) = lesson.steps[0].blocks.first else { return XCTFail("no paragraph") }
        XCTAssertEqual(Array(inlines.prefix(6)), [
            .text("Every MQTT packet is a handful of "), .strong([.text("bytes")]), .text(". The first byte says "),
            .emphasis([.text("which")]), .text(" packet it is; the"), .softBreak,
        ])
        XCTAssertEqual(inlines[6], .code("remaining length"))
    }

    func testUnderscoresInsideWordsAreNotEmphasis() {
        let context = ParseContext(path: "p")
        XCTAssertEqual(InlineParser.parse("see client_id and $SYS/broker/clients_total", line: 1, context: context),
                       [.text("see client_id and $SYS/broker/clients_total")])
        XCTAssertEqual(InlineParser.parse("a _word_ and a * star", line: 1, context: context),
                       [.text("a "), .emphasis([.text("word")]), .text(" and a * star")])
        XCTAssertEqual(InlineParser.parse("`a*b` then **x *y* z**", line: 1, context: context),
                       [.code("a*b"), .text(" then "), .strong([.text("x "), .emphasis([.text("y")]), .text(" z")])])
    }

    func testListsNestAndTablesAlign() throws {
        let lesson = try fixture("01-decoding/en.md")
        guard case .list(let list) = lesson.steps[0].blocks[1] else { return XCTFail("no list") }
        XCTAssertNil(list.start)
        XCTAssertEqual(list.items.count, 3)
        guard case .list(let nested) = list.items[1].last else { return XCTFail("no nested list in item 2") }
        XCTAssertEqual(nested.items.count, 1)
        guard case .table(let table) = lesson.steps[2].blocks[0] else { return XCTFail("no table") }
        XCTAssertEqual(table.alignments, [.right, .left, .left])
        XCTAssertEqual(table.rows.count, 3)
        XCTAssertEqual(table.rows[1][2], [.text("remaining length: "), .strong([.text("10")]), .text(" bytes follow")])
        guard case .list(let ordered) = lesson.steps[2].blocks.last else { return XCTFail("no ordered list") }
        XCTAssertEqual(ordered.start, 1)
    }

    func testCalloutsAndLinksWithTheirLines() throws {
        let lesson = try fixture("01-decoding/en.md")
        guard case .callout(let callout) = lesson.steps[2].blocks[1] else { return XCTFail("no callout") }
        XCTAssertEqual(callout.kind, .note)
        XCTAssertEqual(lesson.links, [
            LessonLink(target: .lesson("02"), line: 44),
            LessonLink(target: .web("https://docs.oasis-open.org/mqtt/mqtt/v5.0/mqtt-v5.0.html"), line: 45),
        ])
    }

    func testCRLFAndByteOrderMarkAreAccepted() throws {
        let text = "\u{FEFF}---\r\ntitle: T\r\nsummary: S\r\n---\r\n## Step\r\n\r\n```run\r\nmqttlab decode 30 00\r\n```\r\n"
        let lesson = try LessonParser.parseOrThrow(text, path: "p", language: .en)
        XCTAssertEqual(lesson.runBlocks.map(\.command), ["mqttlab decode 30 00"])
        XCTAssertEqual(lesson.runBlocks.first?.line, 7)
    }
}
