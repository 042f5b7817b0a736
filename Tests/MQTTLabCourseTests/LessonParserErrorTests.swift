import XCTest
@testable import MQTTLabCourse

/// Every kind of mistake an author can make is reported as `path:line: message`, at the right line.
final class LessonParserErrorTests: XCTestCase {
    /// Asserts that `text` yields exactly one error, at `line`, whose message contains `fragment`.
    private func assertError(_ text: String, line: Int, _ fragment: String, file: StaticString = #filePath, testLine: UInt = #line) {
        let errors = CourseFixtures.diagnostics(text).filter { $0.severity == .error }
        XCTAssertEqual(errors.count, 1, "expected one error, got: \(errors)", file: file, line: testLine)
        guard let error = errors.first else { return }
        XCTAssertEqual(error.line, line, "\(error)", file: file, line: testLine)
        XCTAssertTrue(error.message.contains(fragment), "'\(error.message)' lacks '\(fragment)'", file: file, line: testLine)
        XCTAssertTrue(error.description.hasPrefix("t/01-x/en.md:\(line): "), error.description, file: file, line: testLine)
    }

    // MARK: Front matter

    func testMissingFrontMatterIsReportedOnLineOne() {
        assertError("## Step\n\nText.\n", line: 1, "front matter")
    }

    func testUnclosedFrontMatter() {
        assertError("---\ntitle: T\nsummary: S\n\n## Step\n", line: 1, "never closed")
    }

    func testMissingRequiredKeys() {
        assertError("---\ntitle: T\n---\n## Step\n", line: 1, "'summary:'")
        assertError("---\nsummary: S\n---\n## Step\n", line: 1, "'title:'")
        assertError("---\ntitle:\nsummary: S\n---\n## Step\n", line: 2, "'title:' is empty")
    }

    func testMalformedFrontMatterLines() {
        assertError("---\ntitle: T\nsummary: S\njust words\n---\n## Step\n", line: 4, "key: value")
        assertError("---\ntitle: T\nsummary: S\nminutes: ten\n---\n## Step\n", line: 4, "whole number")
        assertError("---\ntitle: T\nsummary: S\ntitle: U\n---\n## Step\n", line: 4, "already set on line 2")
    }

    func testUnknownKeyIsOnlyAWarning() {
        let diagnostics = CourseFixtures.diagnostics("---\ntitle: T\nsummary: S\ntitel: X\n---\n## Step\n\nText.\n")
        XCTAssertEqual(diagnostics.map(\.severity), [.warning])
        XCTAssertEqual(diagnostics.first?.description, "t/01-x/en.md:4: warning: unknown front matter key 'titel' (known: title, summary, minutes); it is ignored")
        XCTAssertNotNil(LessonParser.parse("---\ntitle: T\nsummary: S\ntitel: X\n---\n## Step\n", path: "p", language: .en).lesson)
    }

    // MARK: Steps

    func testTextBeforeTheFirstStep() {
        assertError(CourseFixtures.lesson("# Title\n\nStray text.\n\n## Step\n"), line: 7, "before the first step")
    }

    func testLessonWithoutSteps() {
        assertError(CourseFixtures.lesson("# Only a title\n"), line: 4, "no steps")
    }

    func testStepWithoutTitle() {
        assertError(CourseFixtures.lesson("## First\n\nText.\n\n##\n\nMore.\n"), line: 9, "needs a title")
    }

    func testLevelOneHeadingInsideAStep() {
        assertError(CourseFixtures.lesson("## First\n\n# Big\n"), line: 7, "# title may only come before")
    }

    func testHashesInsideACodeBlockDoNotStartAStep() throws {
        let text = CourseFixtures.lesson("## First\n\n```sh\n## not a step\n```\n\n## Second\n")
        let lesson = try LessonParser.parseOrThrow(text, path: "p", language: .en)
        XCTAssertEqual(lesson.steps.map(\.plainTitle), ["First", "Second"])
    }

    // MARK: Run and output blocks

    func testUnknownRunBlock() {
        assertError(CourseFixtures.lesson("## S\n\n```run forever\nmqttlab sub -t x\n```\n"), line: 7, "unknown run block 'run forever'")
    }

    func testMisspelledDirective() {
        assertError(CourseFixtures.lesson("## S\n\n```runn\nls\n```\n"), line: 7, "unknown block 'runn'")
    }

    func testBackgroundWithoutName() {
        assertError(CourseFixtures.lesson("## S\n\n```run background\nmqttlab sub -t x\n```\n"), line: 7, "needs one short name")
    }

    func testBackgroundNameUsedTwice() {
        let body = "## S\n\n```run background sub\nmqttlab sub -t a\n```\n\n## T\n\n```run background sub\nmqttlab sub -t b\n```\n"
        assertError(CourseFixtures.lesson(body), line: 13, "already started on line 7")
    }

    func testRunBlockWithTwoLines() {
        assertError(CourseFixtures.lesson("## S\n\n```run\nmqttlab pub -t a -m 1\nmqttlab pub -t a -m 2\n```\n"), line: 7, "exactly one command")
    }

    func testEmptyRunBlock() {
        assertError(CourseFixtures.lesson("## S\n\n```run\n\n```\n"), line: 7, "empty")
    }

    func testOutputWithoutRunBlock() {
        assertError(CourseFixtures.lesson("## S\n\nText.\n\n```output\nhello\n```\n"), line: 9, "right after the ```run block")
    }

    func testSecondOutputForOneRunBlock() {
        let body = "## S\n\n```run\nmqttlab decode 30 00\n```\n\n```output\nA\n```\n\n```output\nB\n```\n"
        assertError(CourseFixtures.lesson(body), line: 15, "already has an ```output block")
    }

    func testOutputOfAnUnknownBackgroundCommand() {
        assertError(CourseFixtures.lesson("## S\n\n```output sub\ncasa/luz ON\n```\n"), line: 7, "no ```run background sub block")
    }

    func testBrokerOutputWithoutBroker() {
        assertError(CourseFixtures.lesson("## S\n\n```output broker\n...\n```\n"), line: 7, "no ```run broker block")
    }

    func testUnclosedCodeBlock() {
        assertError(CourseFixtures.lesson("## S\n\n```sh\nls\n"), line: 7, "never closed")
    }

    func testRunBlockInsideACallout() {
        assertError(CourseFixtures.lesson("## S\n\n> [!TIP]\n> ```run\n> ls\n> ```\n"), line: 8, "cannot be inside a quote")
    }

    // MARK: Callouts and links

    func testUnknownCallout() {
        assertError(CourseFixtures.lesson("## S\n\n> [!FOO]\n> text\n"), line: 7, "unknown callout '[!FOO]'")
    }

    func testEmptyCallout() {
        assertError(CourseFixtures.lesson("## S\n\n> [!NOTE]\n"), line: 7, "empty")
    }

    func testUnknownLinkTargetOnItsOwnLine() {
        assertError(CourseFixtures.lesson("## S\n\nFirst line,\nthen [a link](other.md) here.\n"), line: 8, "unknown link target 'other.md'")
    }

    func testTableRowWithTooManyCells() {
        assertError(CourseFixtures.lesson("## S\n\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n"), line: 9, "3 cells")
    }

    func testSeveralMistakesAreAllReportedInLineOrder() {
        let body = "## S\n\n> [!FOO]\n> x\n\n```run forever\nls\n```\n\n[x](nowhere)\n"
        let lines = CourseFixtures.diagnostics(CourseFixtures.lesson(body)).map(\.line)
        XCTAssertEqual(lines, [7, 10, 14])
    }
}
