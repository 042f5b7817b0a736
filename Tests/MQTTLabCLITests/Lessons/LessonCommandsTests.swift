import Foundation
import MQTTCodec
import MQTTLabCourse
import XCTest

/// Every command of every lesson runs and prints what the lesson says it prints.
final class LessonCommandsTests: XCTestCase {
    private var directory: URL!
    private var runner: LessonCommandsRunner!

    override func setUpWithError() throws {
        let (binary, searched) = InteropTools.mqttlabBinary()
        guard let binary else { throw XCTSkip("the mqttlab executable was not built next to the tests; looked in: \(searched.joined(separator: ", "))") }
        directory = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-lesson-commands")
        runner = LessonCommandsRunner(mqttlab: binary, directory: directory)
    }

    override func tearDownWithError() throws {
        runner = nil
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// Skips when a lesson needs a program this machine lacks (mosquitto clients, say).
    private func requirePrograms(of course: Course) throws {
        var programs = Set<String>()
        for entry in course.entries {
            for lesson in entry.lessons.values {
                for run in lesson.runBlocks {
                    if let first = run.command.split(separator: " ").first, first != "mqttlab" { programs.insert(String(first)) }
                }
            }
        }
        _ = try InteropTools.require(programs.sorted())
    }

    private func runEveryLesson(in folder: String) throws -> Int {
        let course = Course(source: try CourseSource.folder(folder))
        try requirePrograms(of: course)
        var ran = 0
        for entry in course.entries {
            for language in Language.allCases {
                guard let lesson = entry.lessons[language] else {
                    XCTFail("\(entry.id)/\(language.rawValue).md does not parse: \(entry.errors(for: language))")
                    continue
                }
                let failures = try runner.run(lesson)
                XCTAssertEqual(failures, [], failures.joined(separator: "\n\n"))
                ran += lesson.runBlocks.count
            }
        }
        return ran
    }

    /// The package's course: every lesson of Lessons/, in both languages.
    func testEveryCommandOfTheLessonsFolder() throws {
        let course = Course(source: try CourseSource.folder(InteropTools.packageRoot.appendingPathComponent("Lessons").path))
        guard !course.entries.isEmpty else { throw XCTSkip("Lessons/ has no lessons yet (they arrive with the lessons-content branch)") }
        let ran = try runEveryLesson(in: InteropTools.packageRoot.appendingPathComponent("Lessons").path)
        XCTAssertGreaterThan(ran, 0)
    }

    /// The engine's fixture course: mqttlab decode, a broker, a background subscriber, retained messages.
    func testEveryCommandOfTheFixtureCourse() throws {
        let ran = try runEveryLesson(in: InteropTools.packageRoot.appendingPathComponent("Tests/Fixtures/Course").path)
        XCTAssertEqual(ran, 2 * (1 + 5))
    }

    /// The runner fails when a command does not print what the lesson says (a test that can fail).
    func testAWrongOutputBlockIsReportedWithItsLine() throws {
        let text = """
            ---
            title: T
            summary: S
            ---
            ## Decode

            ```run
            mqttlab decode 30 0a 00 04 43 61 73 61 32 32 2e 35
            ```

            ```output
            SUBSCRIBE · 12 bytes · ...
            ```
            """
        let lesson = try LessonParser.parseOrThrow(text, path: "wrong/en.md", language: .en)
        let failures = try runner.run(lesson)
        XCTAssertEqual(failures.count, 1)
        XCTAssertTrue(failures.first?.hasPrefix("wrong/en.md:11: `mqttlab decode 30 0a") == true, "\(failures)")
        XCTAssertTrue(failures.first?.contains("PUBLISH · 12 bytes") == true, "the failure shows what was printed: \(failures)")
    }

    /// A mistyped mqttlab command without an output block is caught by its usage-error status.
    func testAMistypedCommandIsReported() throws {
        let text = "---\ntitle: T\nsummary: S\n---\n## Decode\n\n```run\nmqttlab decode --pcapp x.pcap\n```\n"
        let lesson = try LessonParser.parseOrThrow(text, path: "typo/en.md", language: .en)
        let failures = try runner.run(lesson)
        XCTAssertEqual(failures.count, 1, "\(failures)")
        XCTAssertTrue(failures.first?.hasPrefix("typo/en.md:7: `mqttlab decode --pcapp x.pcap` is a usage error (status 64)") == true, "\(failures)")
    }

    /// A background command's expected output that never comes is reported (after the 10 s wait).
    func testAMissingBackgroundOutputIsReported() throws {
        _ = try InteropTools.require(["mosquitto_sub", "mosquitto_pub"])
        let text = """
            ---
            title: T
            summary: S
            ---
            ## Broker

            ```run broker
            mqttlab broker
            ```

            ```run background sub
            mosquitto_sub -t casa/luz -v
            ```

            ```run
            mosquitto_pub -t casa/otra -m ON
            ```

            ```output sub
            casa/luz ON
            ```
            """
        let lesson = try LessonParser.parseOrThrow(text, path: "quiet/en.md", language: .en)
        let failures = try runner.run(lesson)
        XCTAssertEqual(failures.count, 1, "\(failures)")
        XCTAssertTrue(failures.first?.hasPrefix("quiet/en.md:19: `sub` within 10 s") == true, "\(failures)")
    }
}

extension InteropTools {
    /// <root> from <root>/Tests/MQTTLabCLITests/Lessons/LessonCommandsTests.swift.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
}
