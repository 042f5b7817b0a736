import Foundation
import XCTest

/// `mqttlab lesson N` without a terminal prints the whole lesson: golden files at 80 and 60 columns in both
/// languages, widths respected, colors only when asked and never with --plain.
///
/// To accept a deliberate change of the layout: `MQTTLAB_UPDATE_GOLDEN=1 swift test --filter LessonRenderingTests`,
/// then review the diff of Tests/Fixtures/Golden.
final class LessonRenderingTests: XCTestCase {
    private var mqttlab: CommandRunner!
    private var home: URL!
    private let course = InteropTools.packageRoot.appendingPathComponent("Tests/Fixtures/Course").path
    private let golden = InteropTools.packageRoot.appendingPathComponent("Tests/Fixtures/Golden")

    override func setUpWithError() throws {
        mqttlab = try CommandRunner.locate()
        home = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-render")
    }

    override func tearDownWithError() throws {
        if let home { try? FileManager.default.removeItem(at: home) }
    }

    private func render(_ lesson: String, language: String, width: Int, extra: [String] = []) throws -> String {
        let result = try mqttlab.run(["lesson", lesson, "--course", course, "--lang", language, "--width", "\(width)"] + extra,
                                     environment: ["MQTTLAB_HOME": home.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout
    }

    func testGoldenPlainRendering() throws {
        var compared = 0
        for lesson in ["1", "2"] {
            for language in ["en", "es"] {
                for width in [80, 60] {
                    let text = try render(lesson, language: language, width: width, extra: ["--plain"])
                    let file = golden.appendingPathComponent("lesson-0\(lesson)-\(language)-\(width).txt")
                    if ProcessInfo.processInfo.environment["MQTTLAB_UPDATE_GOLDEN"] == "1" {
                        try FileManager.default.createDirectory(at: golden, withIntermediateDirectories: true)
                        try text.write(to: file, atomically: true, encoding: .utf8)
                    }
                    let expected = try String(contentsOf: file, encoding: .utf8)
                    XCTAssertEqual(text, expected, "\(file.lastPathComponent) differs; run with MQTTLAB_UPDATE_GOLDEN=1 to see the change")
                    for line in text.split(separator: "\n") {
                        XCTAssertLessThanOrEqual(line.count, width, "\(file.lastPathComponent): '\(line)' is wider than \(width)")
                    }
                    compared += 1
                }
            }
        }
        XCTAssertEqual(compared, 8)
    }

    func testNeverWiderThanOneHundredColumns() throws {
        let text = try render("1", language: "en", width: 300)
        let widest = text.split(separator: "\n").map(\.count).max() ?? 0
        XCTAssertLessThanOrEqual(widest, 100)
        XCTAssertGreaterThan(widest, 80, "a wide terminal gets wider lines")
    }

    func testColorsOnlyWhenAskedAndNeverWithPlain() throws {
        let piped = try render("1", language: "en", width: 80)
        XCTAssertFalse(piped.contains("\u{1B}["), "no colors into a pipe")
        let colored = try render("1", language: "en", width: 80, extra: ["--color", "always"])
        XCTAssertTrue(colored.contains("\u{1B}[1;36mA packet is bytes") || colored.contains("\u{1B}[1m── 1/3 · A packet is bytes"), colored)
        XCTAssertTrue(colored.contains("\u{1B}[36mremaining length\u{1B}[0m"), "inline code is cyan")
        let plain = try render("1", language: "en", width: 80, extra: ["--color", "always", "--plain"])
        XCTAssertFalse(plain.contains("\u{1B}["), "--plain never colors")
        XCTAssertEqual(plain, piped)
    }

    func testMissingLessonAndBrokenFilesAreReported() throws {
        let missing = try mqttlab.run(["lesson", "9", "--course", course], environment: ["MQTTLAB_HOME": home.path])
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("there is no lesson '9'") && missing.stderr.contains("lessons: 1, 2"), missing.stderr)

        let broken = home.appendingPathComponent("course/01-broken")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        try "---\ntitle: T\nsummary: S\n---\n## S\n\n```run forever\nls\n```\n".write(to: broken.appendingPathComponent("en.md"), atomically: true, encoding: .utf8)
        let result = try mqttlab.run(["lesson", "1", "--course", home.appendingPathComponent("course").path, "--lang", "en"],
                                     environment: ["MQTTLAB_HOME": home.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("/01-broken/en.md:7: unknown run block 'run forever'"), result.stderr)

        let lint = try mqttlab.run(["lesson", "lint", home.appendingPathComponent("course").path])
        XCTAssertEqual(lint.status, 1)
        XCTAssertTrue(lint.stdout.contains("01-broken/en.md:7: unknown run block"), lint.stdout)
        XCTAssertTrue(lint.stdout.contains("01-broken/en.md:1: this lesson has no Spanish version"), lint.stdout)
        XCTAssertTrue(lint.stdout.contains("1 lesson, 1 file: 2 errors, 0 warnings"), lint.stdout)
        XCTAssertEqual(try mqttlab.run(["lesson", "lint", "/nonexistent-course"]).status, 66)
    }

    func testAnUnusableHomeCostsThePlaceNotTheLesson() throws {
        let bad = home.appendingPathComponent("bad-home")
        try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
        try "not a database, just words long enough to fill a header of sqlite".write(
            to: bad.appendingPathComponent("student.sqlite"), atomically: true, encoding: .utf8)
        let result = try mqttlab.run(["lesson", "next", "--course", course, "--lang", "es"], environment: ["MQTTLAB_HOME": bad.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Lección 1 · Los bytes de un paquete"), result.stdout)
        XCTAssertTrue(result.stderr.contains("no se guardará por dónde vas en las lecciones"), result.stderr)
        let missing = try mqttlab.run(["lesson", "9", "--course", course, "--lang", "es"], environment: ["MQTTLAB_HOME": home.path])
        XCTAssertTrue(missing.stderr.contains("no hay ninguna lección '9'"), missing.stderr)
    }

    func testLintWarnsAboutAStepTallerThanAScreen() throws {
        let folder = home.appendingPathComponent("long/01-long")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let paragraphs = (1...13).map { "Paragraph \($0)." }.joined(separator: "\n\n")
        for language in ["es", "en"] {
            try "---\ntitle: T\nsummary: S\n---\n## Short\n\nOne line.\n\n## Long\n\n\(paragraphs)\n"
                .write(to: folder.appendingPathComponent("\(language).md"), atomically: true, encoding: .utf8)
        }
        let lint = try mqttlab.run(["lesson", "lint", home.appendingPathComponent("long").path])
        XCTAssertEqual(lint.status, 0, "a warning does not fail lint")
        XCTAssertTrue(lint.stdout.contains("/01-long/en.md:9: warning: step 2 'Long' takes 27 lines at 80 columns"), lint.stdout)
        XCTAssertTrue(lint.stdout.contains("0 errors, 2 warnings"), lint.stdout)
    }

    func testHomeScreenShowsTheCourseMapAndProgress() throws {
        let first = try mqttlab.run(["--course", course], environment: ["MQTTLAB_HOME": home.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("▸  1 Bytes of a packet"), first.stdout)
        XCTAssertTrue(first.stdout.contains("Start:  mqttlab lesson next  → Lesson 1 · Bytes of a packet"), first.stdout)
        for command in ["mqttlab decode", "mqttlab broker", "mqttlab bench", "mqttlab inspect", "mqttlab pub", "mqttlab sub",
                        "mqttlab exercise list", "mqttlab progress", "mqttlab sniff"] {
            XCTAssertTrue(first.stdout.contains(command), "the home screen mentions \(command)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: home.appendingPathComponent("student.sqlite").path),
                       "looking at the map creates no state")

        let spanish = try mqttlab.run(["--course", course, "--lang", "es"], environment: ["MQTTLAB_HOME": home.path])
        XCTAssertTrue(spanish.stdout.contains("Empieza:  mqttlab lesson next  → Lección 1 · Los bytes de un paquete"), spanish.stdout)

        let builtIn = try mqttlab.run([], environment: ["MQTTLAB_HOME": home.path])
        XCTAssertEqual(builtIn.status, 0)
        _ = try render("1", language: "en", width: 80)
        XCTAssertFalse(FileManager.default.fileExists(atPath: home.appendingPathComponent("student.sqlite").path),
                       "printing a lesson creates no state either")
    }
}
