import MQTTCodec
import MQTTLabExercises
import XCTest
@testable import MQTTLabCourse

/// `CourseLinter` over in-memory courses (one mistake each) and over the real folders.
final class CourseLintTests: XCTestCase {
    private func lesson(_ title: String, steps: [String]) -> String {
        "---\ntitle: \(title)\nsummary: s\n---\n" + steps.joined(separator: "\n")
    }

    private func lint(_ files: [String: String]) -> [String] {
        let source = CourseSource(displayName: "C", key: "test", files: files.map { CourseSource.File(path: $0.key, text: $0.value) })
        return CourseLinter().lint(Course(source: source)).map(\.description)
    }

    private let pub = "```run\nmqttlab pub -t a -m 1\n```\n"

    func testAWellFormedPairHasNoProblems() {
        let files = ["01-a/es.md": lesson("A", steps: ["## Uno\n\n" + pub]), "01-a/en.md": lesson("A", steps: ["## One\n\n" + pub])]
        XCTAssertEqual(lint(files), [])
    }

    func testMissingLanguage() {
        XCTAssertEqual(lint(["01-a/es.md": lesson("A", steps: ["## Uno\n"])]), [
            "C/01-a/es.md:1: this lesson has no English version: C/01-a/en.md is missing (every lesson comes in es.md and en.md)",
        ])
    }

    func testDifferentNumberOfSteps() {
        let files = ["01-a/es.md": lesson("A", steps: ["## Uno\n", "## Dos\n"]), "01-a/en.md": lesson("A", steps: ["## One\n"])]
        XCTAssertEqual(lint(files), [
            "C/01-a/es.md:7: step 2 'Dos' has no counterpart in C/01-a/en.md (2 steps here, 1 there; both languages have the same steps)",
        ])
    }

    func testDifferentCommands() {
        let other = "```run\nmqttlab pub -t a -m 2\n```\n"
        let files = ["01-a/es.md": lesson("A", steps: ["## Uno\n\n" + pub]), "01-a/en.md": lesson("A", steps: ["## One\n\n" + other])]
        XCTAssertEqual(lint(files), [
            "C/01-a/en.md:7: step 1 runs `mqttlab pub -t a -m 2` (run) here but `mqttlab pub -t a -m 1` (run) in C/01-a/es.md:7: both languages run the same commands",
        ])
    }

    func testMissingCommandAndDifferentKind() {
        let background = "```run background sub\nmqttlab pub -t a -m 1\n```\n"
        let files = [
            "01-a/es.md": lesson("A", steps: ["## Uno\n\n" + pub, "## Dos\n\n" + pub]),
            "01-a/en.md": lesson("A", steps: ["## One\n\n" + background, "## Two\n"]),
        ]
        XCTAssertEqual(lint(files), [
            "C/01-a/en.md:7: step 1 runs `mqttlab pub -t a -m 1` (run background sub) here but `mqttlab pub -t a -m 1` (run) in C/01-a/es.md:7: both languages run the same commands",
            "C/01-a/en.md:11: step 2 is missing the command `mqttlab pub -t a -m 1` that C/01-a/es.md:13 runs: both languages run the same commands",
        ])
    }

    func testLinksMustResolve() {
        let body = "## S\n\nSee [b](lesson:02), [c](lesson:03-c), [d](lesson:02-wrong) and [e](exercise:sms-1).\n"
        let files = ["01-a/es.md": lesson("A", steps: [body]), "01-a/en.md": lesson("A", steps: [body]),
                     "02-b/es.md": lesson("B", steps: ["## S\n"]), "02-b/en.md": lesson("B", steps: ["## S\n"])]
        let problems = lint(files).filter { $0.hasPrefix("C/01-a/en.md") }
        XCTAssertEqual(problems, [
            "C/01-a/en.md:7: exercise:sms-1 does not resolve: this course has no exercises yet",
            "C/01-a/en.md:7: lesson:02-wrong does not resolve: no lesson folder named 02-wrong in C",
            "C/01-a/en.md:7: lesson:03-c does not resolve: no lesson folder named 03-c in C",
        ])
    }

    func testFolderNamesAndNumbers() {
        let files = [
            "Intro/es.md": lesson("A", steps: ["## S\n"]),
            "01-a/es.md": lesson("A", steps: ["## S\n"]), "01-a/en.md": lesson("A", steps: ["## S\n"]),
            "01-b/es.md": lesson("B", steps: ["## S\n"]), "01-b/en.md": lesson("B", steps: ["## S\n"]),
            "01-a/fr.md": lesson("A", steps: ["## S\n"]),
        ]
        XCTAssertEqual(lint(files), [
            "C/01-a/fr.md:1: warning: this file is not read: a lesson folder holds es.md and en.md",
            "C/01-b/en.md:1: lesson number 1 is also used by 01-a: each lesson needs its own number",
            "C/Intro/es.md:1: 'Intro' is not a lesson folder name: use NN-slug (two digits, a dash, lowercase words: 04-wildcards)",
        ])
    }

    func testParseErrorsOfEveryFileAreIncluded() {
        let files = ["01-a/es.md": "## S\n", "01-a/en.md": lesson("A", steps: ["## S\n"])]
        XCTAssertEqual(lint(files), [
            "C/01-a/es.md:1: a lesson starts with front matter: a --- line, then title: and summary: lines, then a --- line",
        ])
    }

    // MARK: The real folders

    func testTheFixtureCourseIsClean() throws {
        let course = Course(source: try CourseSource.folder(CourseFixtures.fixtureCourse))
        XCTAssertEqual(course.entries.map(\.id.folderName), ["01-decoding", "02-publishing"])
        XCTAssertEqual(CourseLinter().lint(course).map(\.description), [])
    }

    /// The package's own course: both languages, same steps and commands, links resolve (passes trivially
    /// while Lessons/ holds only its README; it guards the content as soon as lessons land).
    func testTheLessonsFolderHasNoErrors() throws {
        let course = Course(source: try CourseSource.folder(CourseFixtures.lessonsFolder))
        // exercise:ID links resolve against the package's Exercises/ folder.
        let exercises = ExerciseCatalog.load(files: try ExerciseCatalog.readFolder(CourseFixtures.exercisesFolder), displayFolder: "Exercises", lessonIDs: nil)
        XCTAssertFalse(exercises.ids.isEmpty)
        let errors = CourseLinter(exerciseIDs: exercises.ids).lint(course).filter { $0.severity == .error }
        XCTAssertEqual(errors.map(\.description), [])
        for entry in course.entries {
            XCTAssertEqual(Set(entry.lessons.keys), Set(Language.allCases), "\(entry.id): both languages parse")
        }
    }
}
