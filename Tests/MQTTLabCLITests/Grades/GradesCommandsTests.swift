import Foundation
import MQTTLabCourse
import XCTest

/// `mqttlab student`, `progress` and `grade` as a student and a teacher run them: three students export,
/// the teacher turns the exports into a CSV, a changed export is caught.
final class GradesCommandsTests: XCTestCase {
    private var mqttlab: CommandRunner!
    private var directory: URL!

    override func setUpWithError() throws {
        mqttlab = try CommandRunner.locate()
        directory = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-grades-cli")
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private func home(_ name: String) -> [String: String] {
        ["MQTTLAB_HOME": directory.appendingPathComponent("home-\(name)").path]
    }

    private func run(_ arguments: [String], _ environment: [String: String]) throws -> CommandRunner.Result {
        try mqttlab.run(arguments, environment: environment)
    }

    func testTheStudentSaysWhoTheyAreOnce() throws {
        let ana = home("ana")
        var result = try run(["student"], ana)
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("mqttlab student --name"), result.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("home-ana/student.sqlite").path),
                       "looking must not create the database")

        result = try run(["student", "--name", "Ana López", "--id", "A123"], ana)
        XCTAssertEqual(result.status, 0, result.stderr)
        let uuid = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.contains("Student uuid") }?.split(separator: " ").last)
        result = try run(["student", "--id", "A124", "--lang", "es"], ana)
        XCTAssertTrue(result.stdout.contains("Guardado"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Ana López"))
        XCTAssertTrue(result.stdout.contains("A124"))
        XCTAssertTrue(result.stdout.contains(String(uuid)), "the uuid never changes")

        result = try run(["student", "--name", "  "], ana)
        XCTAssertEqual(result.status, 64)
    }

    func testExportIsRefusedUntilTheStudentHasAName() throws {
        let result = try run(["progress", "--export", directory.appendingPathComponent("x.json").path], home("anon"))
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("mqttlab student --name"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("x.json").path))
    }

    /// In a terminal (a pseudo-terminal from `script`), `--export` asks for the name and the id instead of stopping.
    func testExportAsksForTheNameInATerminal() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { throw XCTSkip("script(1) is not installed") }
        let file = directory.appendingPathComponent("eva.json").path
        let command = "'\(mqttlab.binary.path)' progress --export '\(file)' --lang es"
        let result = try CommandRunner(binary: URL(fileURLWithPath: "/usr/bin/script"))
            .run(["-qec", command, "/dev/null"], stdin: Data("Eva Ruiz\nE77\n".utf8), environment: home("eva"))
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("Tu nombre, como te conoce tu profesor:"), result.stdout)
        let export = try ResultsBundleFileReader.read(file)
        XCTAssertEqual(export.name, "Eva Ruiz")
        XCTAssertEqual(export.schoolID, "E77")
    }

    func testProgressListsTheLessonsAndItsJSONHasStableKeys() throws {
        let course = InteropTools.packageRoot.appendingPathComponent("Tests/Fixtures/Course").path
        var result = try run(["progress", "--course", course], home("p"))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Lessons"), result.stdout)
        XCTAssertTrue(result.stdout.contains("not started"), result.stdout)
        XCTAssertTrue(result.stdout.contains("mqttlab lesson 1"), result.stdout)

        result = try run(["progress", "--course", course, "--json"], home("p"))
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["formatVersion", "course", "lessons", "exercises", "score", "points", "next"],
                       "student is left out (null) until set")
        let lessons = try XCTUnwrap(object["lessons"] as? [[String: Any]])
        XCTAssertEqual(lessons.count, 2)
        XCTAssertEqual(lessons.first?["status"] as? String, "not started")
        XCTAssertEqual((object["next"] as? [String: Any])?["command"] as? String, "mqttlab lesson 1")
    }

    /// The issue's "done when": a teacher turns three students' exports into a correct CSV.
    ///
    /// The attempts are written (as `exercise check` writes them) for a teacher's course with no Exercises
    /// folder beside it, so the columns are exactly the exercises attempted, whatever exercises the build has.
    func testThreeStudentsExportAndTheTeacherGetsTheCSV() throws {
        let course = directory.appendingPathComponent("class/Lessons")
        try FileManager.default.createDirectory(at: course.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: InteropTools.packageRoot.appendingPathComponent("Tests/Fixtures/Course"), to: course)
        let courseKey = try CourseSource.folder(course.path).key
        var exports: [String] = []
        for (name, id, passes) in [("Ana López", "A123", 3), ("Luis Pérez", "A124", 1), ("Marta Núñez", "", 2)] {
            let environment = home(id.isEmpty ? "marta" : id)
            XCTAssertEqual(try run(["student", "--name", name] + (id.isEmpty ? [] : ["--id", id]), environment).status, 0)
            // Passed attempts of exercises t-1 … t-N, written as `exercise check` writes them.
            let writer = try run(["_test-db-writer", "--tag", "t", "--count", "\(passes)", "--course", courseKey], environment)
            XCTAssertEqual(writer.status, 0, writer.stderr)
            let file = directory.appendingPathComponent("\(id.isEmpty ? "marta" : id).json").path
            let export = try run(["progress", "--export", file, "--course", course.path], environment)
            XCTAssertEqual(export.status, 0, export.stderr)
            XCTAssertTrue(export.stdout.contains("Results written to \(file)"), export.stdout)
            exports.append(file)
        }
        let csv = directory.appendingPathComponent("moodle.csv").path
        var result = try run(["grade"] + exports + ["--course", course.path, "--csv", csv, "--format", "moodle", "--delimiter", ";", "--decimal", ","], [:])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("3 student(s) · 3 exercise(s) · 3 points"), result.stdout)
        XCTAssertEqual(try String(contentsOfFile: csv, encoding: .utf8), """
            ID number;Full name;t-1;t-2;t-3;Total\r
            A123;Ana López;1;1;1;3\r
            A124;Luis Pérez;1;0;0;1\r
            ;Marta Núñez;1;1;0;2\r

            """)

        // Luis raises his score by hand: the table marks him, the CSV leaves him out, the status says so.
        let edited = try String(contentsOfFile: exports[1], encoding: .utf8)
            .replacingOccurrences(of: "\"exerciseID\" : \"t-1\"", with: "\"exerciseID\" : \"t-2\"")
        try edited.write(toFile: exports[1], atomically: true, encoding: .utf8)
        result = try run(["grade"] + exports + ["--course", course.path, "--csv", csv, "--format", "canvas"], [:])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("! Luis Pérez"), result.stdout)
        XCTAssertTrue(result.stdout.contains("\(exports[1]): CHANGED after export (checksum mismatch)"), result.stdout)
        let canvas = try String(contentsOfFile: csv, encoding: .utf8)
        XCTAssertFalse(canvas.contains("Luis"), canvas)
        XCTAssertTrue(canvas.hasPrefix("Student,ID,SIS User ID,SIS Login ID,Section,t-1,t-2,t-3,Final Points\r\nPoints Possible,,,,,1,1,1,3\r\n"), canvas)

        // The teacher can also read a student's database directly (read-only).
        let database = directory.appendingPathComponent("home-A123/student.sqlite").path
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        result = try run(["grade", database, "--course", course.path, "--lang", "es"], [:])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("1 estudiante(s)"), result.stdout)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: database)), before, "grading changed the student's file")
    }

    func testGradeRejectsBadOptionsAndReportsUnreadableFiles() throws {
        var result = try run(["grade", "x.json", "--decimal", ","], [:])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("--decimal ',' needs another --delimiter"), result.stderr)
        result = try run(["grade", "x.json", "--delimiter", "::"], [:])
        XCTAssertEqual(result.status, 64)

        let junk = directory.appendingPathComponent("junk.json").path
        try "{\"hello\": 1}".write(toFile: junk, atomically: true, encoding: .utf8)
        result = try run(["grade", junk, directory.appendingPathComponent("missing.json").path], [:])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("\(junk): not an mqttlab results export"), result.stdout)
        XCTAssertTrue(result.stdout.contains("missing.json"), result.stdout)
    }
}

/// The student part of an export, read as plain JSON (what a teacher's own script would see).
enum ResultsBundleFileReader {
    static func read(_ path: String) throws -> (name: String, schoolID: String) {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let student = (object?["content"] as? [String: Any])?["student"] as? [String: Any]
        return (student?["name"] as? String ?? "", student?["schoolID"] as? String ?? "")
    }
}
