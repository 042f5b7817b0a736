import MQTTLabCourse
import XCTest
@testable import MQTTLabCLI

/// The reader's keys and screen without a terminal: paging, scrolling a long step, `r`, the footer.
final class ReaderModelTests: XCTestCase {
    private func lesson() throws -> Lesson {
        let long = (1...30).map { "Line \($0) of a long step." }.joined(separator: "\n\n")
        let text = """
            ---
            title: Queues
            summary: s
            ---
            ## One

            Short.

            ```run
            mqttlab decode 30 00
            ```

            ```run
            mqttlab decode e0 00
            ```

            ## Two

            \(long)

            ## Three

            ```run background sub
            mqttlab sub -t 'casa/#' -v
            ```
            """
        return try LessonParser.parseOrThrow(text, path: "p", language: .en)
    }

    private func screen() -> ReaderScreen {
        ReaderScreen(renderer: LessonRenderer(width: 80, style: Style(enabled: false), language: .en, course: nil),
                     id: LessonID(folderName: "06-queues")!, language: .en)
    }

    func testPagingThroughStepsAndALongStep() throws {
        var model = ReaderModel(lesson: try lesson(), step: 0)
        let screen = screen()
        var frame = screen.frame(&model, columns: 80, rows: 24)
        XCTAssertEqual(frame.count, 24)
        XCTAssertEqual(frame.last, "lesson 6 · step 1/3 · Enter next · b back · r run · q quit")
        XCTAssertEqual(model.handle(.next), .redraw)
        frame = screen.frame(&model, columns: 80, rows: 24)
        XCTAssertEqual(model.step, 1)
        XCTAssertTrue(model.hasMoreBelow)
        XCTAssertEqual(frame.last, "lesson 6 · step 2/3 · ↓ more · Enter next · b back · r run · q quit")
        // Enter scrolls a long step before it moves on.
        _ = model.handle(.next)
        frame = screen.frame(&model, columns: 80, rows: 24)
        XCTAssertEqual(model.step, 1)
        XCTAssertGreaterThan(model.scroll, 0)
        XCTAssertTrue(frame.contains("Line 30 of a long step.") || model.hasMoreBelow)
        while model.hasMoreBelow { _ = model.handle(.next); _ = screen.frame(&model, columns: 80, rows: 24) }
        _ = model.handle(.next)
        XCTAssertEqual(model.step, 2)
        frame = screen.frame(&model, columns: 80, rows: 24)
        XCTAssertEqual(frame.last, "lesson 6 · step 3/3 · Enter close · b back · r run · q quit")
        XCTAssertEqual(model.handle(.next), .quit, "Enter past the last step closes the reader")
        XCTAssertEqual(model.step, 2)
        _ = model.handle(.back)
        XCTAssertEqual(model.step, 1)
        XCTAssertEqual(model.scroll, 0, "a step is entered at its top")
        XCTAssertEqual(model.handle(.quit), .quit)
    }

    func testRunTakesTheStepsCommandsInTurnAndSendsLongRunningOnesElsewhere() throws {
        var model = ReaderModel(lesson: try lesson(), step: 0)
        guard case .runCommand(let first) = model.handle(.run) else { return XCTFail("r runs the first command") }
        XCTAssertEqual(first.command, "mqttlab decode 30 00")
        guard case .runCommand(let second) = model.handle(.run) else { return XCTFail("r again runs the next one") }
        XCTAssertEqual(second.command, "mqttlab decode e0 00")
        _ = model.handle(.next)
        XCTAssertEqual(model.handle(.run), .redraw)
        XCTAssertEqual(model.panel, .nothingToRun)
        _ = model.handle(.next)
        while model.step < 2 { _ = model.handle(.next) }
        XCTAssertEqual(model.handle(.run), .redraw)
        guard case .secondTerminal(let run) = model.panel else { return XCTFail("a background command is not run in place") }
        XCTAssertEqual(run.command, "mqttlab sub -t 'casa/#' -v")
        let frame = screen().frame(&model, columns: 80, rows: 24).joined(separator: "\n")
        XCTAssertTrue(frame.contains("open a second terminal"), frame)
    }

    func testFrameFitsANarrowTerminal() throws {
        var model = ReaderModel(lesson: try lesson(), step: 1)
        let frame = screen().frame(&model, columns: 40, rows: 12)
        XCTAssertEqual(frame.count, 12)
        for line in frame { XCTAssertLessThanOrEqual(DisplayWidth.of(line), 40, line) }
        XCTAssertEqual(frame.last, "lesson 6 · step 2/3 · ↓ more · ⏎ b r q")
        var wide = ReaderModel(lesson: try lesson(), step: 1)
        let spanish = ReaderScreen(renderer: LessonRenderer(width: 80, style: Style(enabled: false), language: .es, course: nil),
                                   id: LessonID(folderName: "12-home")!, language: .es)
        XCTAssertEqual(spanish.frame(&wide, columns: 80, rows: 24).last,
                       "lección 12 · paso 2/3 · ↓ más · Enter siguiente · b atrás · r ejecutar · q salir")
        XCTAssertEqual(spanish.frame(&wide, columns: 78, rows: 24).last,
                       "lección 12 · paso 2/3 · ↓ más · ⏎ siguiente · b atrás · r ejecutar · q salir")
    }

    func testKeyMapping() {
        XCTAssertEqual(LessonReader.command(for: .enter), .next)
        XCTAssertEqual(LessonReader.command(for: .space), .next)
        XCTAssertEqual(LessonReader.command(for: .character("b")), .back)
        XCTAssertEqual(LessonReader.command(for: .character("r")), .run)
        XCTAssertEqual(LessonReader.command(for: .character("q")), .quit)
        XCTAssertNil(LessonReader.command(for: .character("x")))
    }
}
