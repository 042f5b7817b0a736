import XCTest
@testable import MQTTLabCourse

/// Three students' exports turned into the CSV files a teacher imports, compared with the exact content.
final class GradebookCSVTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws { folder = try ResultsPaths.makeFolder() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// Writes each student's export (as `progress --export` does) and reads them back as `grade` does.
    private func classOfThree() throws -> ClassGradebook {
        var sources: [GradeSource] = []
        for (name, make, time) in [("luis", ResultsFixture.luis, "2026-12-07 18:05:00.000"), ("ana", ResultsFixture.ana, "2026-12-07 18:00:00.000"),
                                   ("marta", ResultsFixture.marta, "2026-12-07 18:10:00.000")] {
            let fixture = try make(folder)
            let path = folder.appendingPathComponent("\(name).json").path
            try ResultsBundleFile.encode(try fixture.export(at: time)).write(to: URL(fileURLWithPath: path))
            sources.append(try GradeSource.load(path: path, course: nil))
        }
        return ClassGradebook.make(sources: sources, catalog: [])
    }

    /// File paths are the test's temporary folder: shown relative so the expected text is exact.
    private func relative(_ text: String) -> String {
        text.replacingOccurrences(of: folder.path + "/", with: "")
    }

    func testThreeExportsMakeTheMoodleCSVForASpanishSpreadsheet() throws {
        let csv = GradebookCSV.wide(try classOfThree(), layout: .moodle, options: .init(delimiter: ";", decimalMark: ","))
        XCTAssertEqual(csv, """
            ID number;Full name;filter-basics;bytes-connect;retained-light;Total\r
            A123;Ana López;2;0;0;2\r
            A124;"Luis ""Lucho"" Pérez, Jr.";2;1,5;5;8,5\r
            ;Marta Núñez;0;0;0;0\r

            """)
    }

    func testThreeExportsMakeTheCanvasCSV() throws {
        let csv = GradebookCSV.wide(try classOfThree(), layout: .canvas, options: .init())
        XCTAssertEqual(csv, """
            Student,ID,SIS User ID,SIS Login ID,Section,filter-basics,bytes-connect,retained-light,Final Points\r
            Points Possible,,,,,2,3,5,10\r
            Ana López,,A123,,,2,0,0,2\r
            "Luis ""Lucho"" Pérez, Jr.",,A124,,,2,1.5,5,8.5\r
            Marta Núñez,,,,,0,0,0,0\r

            """)
    }

    func testThreeExportsMakeThePlainCSV() throws {
        let csv = relative(GradebookCSV.wide(try classOfThree(), layout: .plain, options: .init()))
        XCTAssertEqual(csv, """
            uuid,name,schoolID,filter-basics,bytes-connect,retained-light,total,points,attempts,lastActivity,integrity,file\r
            0a0a0a0a-0000-4000-8000-000000000001,Ana López,A123,2,0,0,2,10,3,2026-12-02 10:40:00.000,intact,ana.json\r
            0a0a0a0a-0000-4000-8000-000000000002,"Luis ""Lucho"" Pérez, Jr.",A124,2,1.5,5,8.5,10,4,2026-12-03 08:25:30.500,intact,luis.json\r
            0a0a0a0a-0000-4000-8000-000000000003,Marta Núñez,,0,0,0,0,10,0,,intact,marta.json\r

            """)
    }

    func testThreeExportsMakeTheLongCSV() throws {
        let csv = relative(GradebookCSV.long(try classOfThree(), options: .init()))
        let ana = "0a0a0a0a-0000-4000-8000-000000000001,Ana López,A123"
        let luis = "0a0a0a0a-0000-4000-8000-000000000002,\"Luis \"\"Lucho\"\" Pérez, Jr.\",A124"
        XCTAssertEqual(csv, """
            uuid,name,schoolID,exerciseID,lessonID,kind,generation,current,attemptID,startedAt,endedAt,outcome,score,maxScore,hintsShown,integrity,file\r
            \(ana),filter-basics,01-intro,answer,0,yes,1,2026-12-02 10:10:00.000,2026-12-02 10:10:05.250,failed,0,2,0,intact,ana.json\r
            \(ana),filter-basics,01-intro,answer,0,yes,2,2026-12-02 10:12:00.000,2026-12-02 10:12:01.000,passed,2,2,1,intact,ana.json\r
            \(ana),retained-light,02-publish,live,0,yes,3,2026-12-02 10:40:00.000,,interrupted,0,5,0,intact,ana.json\r
            \(luis),filter-basics,01-intro,answer,0,yes,1,2026-12-03 08:01:00.000,2026-12-03 08:01:02.000,passed,2,2,0,intact,luis.json\r
            \(luis),bytes-connect,01-intro,answer,0,no,2,2026-12-03 08:05:00.000,2026-12-03 08:05:03.000,passed,3,3,0,intact,luis.json\r
            \(luis),bytes-connect,01-intro,answer,1,yes,3,2026-12-03 08:07:00.000,2026-12-03 08:07:09.000,failed,1.5,3,0,intact,luis.json\r
            \(luis),retained-light,02-publish,live,0,yes,4,2026-12-03 08:25:00.000,2026-12-03 08:25:30.500,passed,5,5,0,intact,luis.json\r

            """)
    }

    func testDuplicatesKeepTheNewestAndChangedExportsAreMarked() throws {
        let ana = try ResultsFixture.ana(in: folder)
        let old = folder.appendingPathComponent("ana-monday.json").path
        try ResultsBundleFile.encode(try ana.export(at: "2026-12-07 08:00:00.000")).write(to: URL(fileURLWithPath: old))
        try ana.attempt("bytes-connect", started: "2026-12-07 09:00:00.000", ended: "2026-12-07 09:00:01.000", outcome: "passed", score: 3, max: 3)
        let new = folder.appendingPathComponent("ana-tuesday.json").path
        try ResultsBundleFile.encode(try ana.export(at: "2026-12-08 08:00:00.000")).write(to: URL(fileURLWithPath: new))

        let luis = try ResultsFixture.luis(in: folder)
        let edited = folder.appendingPathComponent("luis.json").path
        let text = String(decoding: try ResultsBundleFile.encode(try luis.export(at: "2026-12-07 18:05:00.000")), as: UTF8.self)
        try text.replacingOccurrences(of: "\"score\" : 1.5", with: "\"score\" : 3").write(toFile: edited, atomically: true, encoding: .utf8)

        // Given newest first: the order on the command line does not decide, the export time does.
        let book = ClassGradebook.make(sources: try [new, old, edited].map { try GradeSource.load(path: $0, course: nil) },
                                       catalog: ResultsFixture.catalog)
        XCTAssertEqual(book.students.map(\.source.path), [new, edited])
        XCTAssertEqual(book.students.first?.total, 5)
        XCTAssertEqual(book.duplicates, [.init(uuid: "0a0a0a0a-0000-4000-8000-000000000001", name: "Ana López", kept: new, dropped: [old])])
        XCTAssertEqual(book.students.last?.source.kind, .export(.changed(.checksumMismatch)))
        XCTAssertTrue(book.students.last?.source.isChanged == true)
        XCTAssertEqual(GradebookCSV.integrity(book.students[1].source), "changed: checksum mismatch")
    }

    func testStudentDatabasesAreGradedDirectly() throws {
        let luis = try ResultsFixture.luis(in: folder)
        try luis.database.close()
        let source = try GradeSource.load(path: folder.appendingPathComponent("luis.sqlite").path, course: nil)
        XCTAssertEqual(source.kind, .database)
        XCTAssertEqual(source.asOf, "2026-12-03 08:25:30.500")
        let book = ClassGradebook.make(sources: [source], catalog: ResultsFixture.catalog)
        XCTAssertEqual(book.students.first?.total, 8.5)
        XCTAssertEqual(book.students.first?.identity?.schoolID, "A124")
    }

    func testQuotingAndNumbers() {
        let writer = CSVWriter(delimiter: ";")
        XCTAssertEqual(writer.record(["a;b", "c,d", "say \"hi\"", "two\nlines", " padded", "plain"]),
                       "\"a;b\";c,d;\"say \"\"hi\"\"\";\"two\nlines\";\" padded\";plain\r\n")
        let comma = ScoreFormat(decimalMark: ",")
        XCTAssertEqual([0.1 + 0.2, 3.0000000000000004, 2.5, 10, 0.05, 1.999, -1.5].map(comma.text), ["0,3", "3", "2,5", "10", "0,05", "2", "-1,5"])
    }
}
