import Foundation
import MQTTLabExercises
import XCTest
@testable import MQTTLabCLI

/// `mqttlab exercise lint`: one fixture per kind of authoring mistake, each reported at its file, line and
/// column; the package's own exercises lint clean.
final class ExerciseLintTests: XCTestCase {
    /// A valid live exercise; each fixture changes one thing.
    static let valid = """
        id: luz
        lesson: 07-retained-and-will
        kind: live
        points: 1
        title:
          es: Luz
          en: Light
        statement:
          es: Publica ON.
          en: Publish ON.
        hints:
          - es: Uno
            en: One
          - es: Dos
            en: Two
        expect:
          - publish: {topic: casa/luz, payload: "ON"}
        """

    static let lessons: Set<String> = ["07-retained-and-will", "04-wildcards"]

    private func lint(_ files: [String: String]) -> [String] {
        ExerciseCatalog.load(files: files.map { ExerciseCatalog.File(path: $0.key, text: $0.value) }, displayFolder: "E", lessonIDs: Self.lessons)
            .diagnostics.map(\.description)
    }

    private func lintOne(_ text: String) -> [String] {
        lint(["luz.yaml": text])
    }

    func testTheValidFixtureIsClean() {
        XCTAssertEqual(lintOne(Self.valid), [])
    }

    func testUnknownKeyWithSuggestion() {
        XCTAssertEqual(lintOne(Self.valid.replacingOccurrences(of: "points: 1", with: "points: 1\npionts: 2")),
                       ["E/luz.yaml:5:1: the exercise: unknown key 'pionts' (did you mean 'points'?)"])
    }

    func testMissingLanguage() {
        XCTAssertEqual(lintOne(Self.valid.replacingOccurrences(of: "  en: Light\n", with: "")),
                       ["E/luz.yaml:6:3: title: missing the English (en) text"])
    }

    func testFewerThanTwoHints() {
        XCTAssertEqual(lintOne(Self.valid.replacingOccurrences(of: "  - es: Dos\n    en: Two\n", with: "")),
                       ["E/luz.yaml:12:3: hints: give at least 2 (revealed one at a time), found 1"])
    }

    func testUnknownLesson() {
        XCTAssertEqual(lintOne(Self.valid.replacingOccurrences(of: "07-retained-and-will", with: "07-retained-and-wil")),
                       ["E/luz.yaml:2:1: unknown lesson '07-retained-and-wil' (did you mean '07-retained-and-will'?)"])
    }

    func testDuplicateIDs() {
        XCTAssertEqual(lint(["a.yaml": Self.valid, "b.yaml": Self.valid]),
                       ["E/b.yaml:1:1: duplicate id 'luz': E/a.yaml has it too (ids are unique across the course)"])
    }

    func testUnknownCheckerName() {
        XCTAssertEqual(lintOne(Self.valid.replacingOccurrences(of: "publish: {topic: casa/luz, payload: \"ON\"}", with: "checker: qos2-handshak")),
                       ["E/luz.yaml:17:14: unknown checker 'qos2-handshak' (did you mean 'qos2-handshake'?)"])
    }

    func testBadTopicFilterThroughTheCodec() {
        XCTAssertEqual(lintOne(Self.valid.replacingOccurrences(of: "publish: {topic: casa/luz, payload: \"ON\"}", with: "subscribe: {filter: \"casa/#/luz\"}")),
                       ["E/luz.yaml:17:25: 'casa/#/luz' is not a valid topic filter: # must be the last level of the filter"])
    }

    func testWildcardInATopicName() {
        XCTAssertEqual(lintOne(Self.valid.replacingOccurrences(of: "topic: casa/luz", with: "topic: casa/+/luz")),
                       ["E/luz.yaml:17:22: publish.topic: 'casa/+/luz' is not a valid topic name (no + or #; use topic_matches for a filter)"])
    }

    func testUnknownVocabularyWord() {
        XCTAssertEqual(lintOne(Self.valid.replacingOccurrences(of: "  - publish: {", with: "  - publsh: {")),
                       ["E/luz.yaml:17:5: expect: unknown key 'publsh' (did you mean 'publish'?)",
                        "E/luz.yaml:17:5: expect: give exactly one condition (connect, publish, delivered, subscribe, unsubscribe, queued_delivery, will_published, retained, disconnect, packet, checker), found 0"])
    }

    func testBadValueInTheVocabulary() {
        XCTAssertEqual(lintOne(Self.valid.replacingOccurrences(of: "payload: \"ON\"", with: "payload: \"ON\", qos: 3")),
                       ["E/luz.yaml:17:52: publish.qos must be a whole number from 0 to 2, not '3'"])
    }

    func testAfterNamesNoLabel() {
        XCTAssertEqual(lintOne(Self.valid + "\n    after: stored"),
                       ["E/luz.yaml:17:1: after: no expectation has the label 'stored'"])
    }

    func testKeyOfAnotherKind() {
        XCTAssertEqual(lintOne(Self.valid + "\nseed: 4"),
                       ["E/luz.yaml:18:1: 'seed' does not belong to a live exercise (it is for kind ctf)"])
    }

    func testUnknownKind() {
        XCTAssertEqual(lintOne(Self.valid.replacingOccurrences(of: "kind: live", with: "kind: lives")),
                       ["E/luz.yaml:3:7: unknown kind 'lives' (did you mean 'live'?)"])
    }

    func testInvalidYAML() {
        XCTAssertEqual(lintOne(Self.valid.replacingOccurrences(of: "  es: Publica ON.", with: "  es: Publica: ON.")),
                       ["E/luz.yaml:9:14: not valid YAML: mapping values are not allowed in this context"])
    }

    func testAnswerFieldTheDissectionDoesNotHave() {
        let text = Self.valid.replacingOccurrences(of: "kind: live", with: "kind: answer")
            .replacingOccurrences(of: "expect:\n  - publish: {topic: casa/luz, payload: \"ON\"}",
                                  with: "answer:\n  type: field\n  bytes: \"c0 00\"\n  field: mqtt.kalive")
        XCTAssertEqual(lintOne(text), ["E/luz.yaml:19:10: answer.field: the dissection of these bytes has no field 'mqtt.kalive' (known: mqtt.hdr_reserved, mqtt.hdrflags, mqtt.len, mqtt.msgtype)"])
    }

    func testConfigProbeWithoutExpect() {
        let text = Self.valid.replacingOccurrences(of: "kind: live", with: "kind: config")
            .replacingOccurrences(of: "expect:\n  - publish: {topic: casa/luz, payload: \"ON\"}",
                                  with: "student_file: config\nprobes:\n  - connect: true")
        XCTAssertEqual(lintOne(text), ["E/luz.yaml:18:5: probe: missing 'expect'"])
    }

    func testInvalidID() {
        XCTAssertEqual(lintOne(Self.valid.replacingOccurrences(of: "id: luz", with: "id: Luz_1")),
                       ["E/luz.yaml:1:5: id 'Luz_1' must be lowercase words, digits and dashes (like 'retained-light')"])
    }

    /// The command: path:line:column lines, a summary, exit 1; the package's own folder is clean.
    func testTheCommandReportsAndFails() throws {
        let mqttlab = try CommandRunner.locate()
        let folder = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-exlint")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.valid.replacingOccurrences(of: "points: 1", with: "pionts: 1").write(to: folder.appendingPathComponent("luz.yaml"), atomically: true, encoding: .utf8)
        let lessons = InteropTools.packageRoot.appendingPathComponent("Lessons").path
        let bad = try mqttlab.run(["exercise", "lint", folder.path, "--course", lessons])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stdout.contains("\(folder.path)/luz.yaml:4:1: the exercise: unknown key 'pionts' (did you mean 'points'?)"), bad.stdout)
        XCTAssertTrue(bad.stdout.contains("\(folder.path)/luz.yaml:1:1: the exercise: missing 'points'"), bad.stdout)
        let good = try mqttlab.run(["exercise", "lint", InteropTools.packageRoot.appendingPathComponent("Exercises").path, "--course", lessons])
        XCTAssertEqual(good.status, 0, good.stdout)
        XCTAssertTrue(good.stdout.hasSuffix("no problems\n"), good.stdout)
    }

    /// Lessons link exercises: a link to an exercise that exists lints clean, one that does not names the id.
    func testLessonLinksToExercises() throws {
        let mqttlab = try CommandRunner.locate()
        let root = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-links")
        defer { try? FileManager.default.removeItem(at: root) }
        let lessons = root.appendingPathComponent("Lessons/07-retained-and-will")
        let exercises = root.appendingPathComponent("Exercises")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: exercises, withIntermediateDirectories: true)
        try Self.valid.write(to: exercises.appendingPathComponent("luz.yaml"), atomically: true, encoding: .utf8)
        for language in ["es", "en"] {
            try "---\ntitle: T\nsummary: S\n---\n\n## Paso\n\n[La luz](exercise:luz) y [otra](exercise:sombra).\n"
                .write(to: lessons.appendingPathComponent("\(language).md"), atomically: true, encoding: .utf8)
        }
        let result = try mqttlab.run(["lesson", "lint", root.appendingPathComponent("Lessons").path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("07-retained-and-will/en.md:8: exercise:sombra does not resolve: no exercise with that id"), result.stdout)
        XCTAssertFalse(result.stdout.contains("exercise:luz"), result.stdout)

        // A course folder's exercises are the Exercises folder beside it, for every exercise command.
        let environment = ["MQTTLAB_HOME": root.appendingPathComponent("home").path, "NO_COLOR": "1"]
        let course = root.appendingPathComponent("Lessons").path
        let list = try mqttlab.run(["exercise", "list", "--course", course], environment: environment)
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("· luz"), list.stdout)
        XCTAssertFalse(list.stdout.contains("wildcard-one-level"), "not the built-in exercises: \(list.stdout)")
        let show = try mqttlab.run(["exercise", "show", "luz", "--course", course, "--lang", "es"], environment: environment)
        XCTAssertTrue(show.stdout.hasPrefix("Luz  (luz · 07-retained-and-will"), show.stdout)
    }
}
