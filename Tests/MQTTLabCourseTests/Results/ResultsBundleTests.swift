import XCTest
@testable import MQTTLabCourse

/// The export: its exact bytes (golden), its checksum, and that no edited byte passes as intact.
final class ResultsBundleTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws { folder = try ResultsPaths.makeFolder() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func anaExport() throws -> Data {
        let ana = try ResultsFixture.ana(in: folder)
        return try ResultsBundleFile.encode(try ana.export(at: "2026-12-07 18:00:00.000"))
    }

    /// Fixed clock and uuid: the file is byte for byte the golden one.
    /// To accept a deliberate change: `MQTTLAB_UPDATE_GOLDEN=1 swift test --filter ResultsBundleTests`.
    func testTheExportMatchesTheGoldenFile() throws {
        let text = String(decoding: try anaExport(), as: UTF8.self)
        let expected = try ResultsPaths.assertGolden(text, "ana-export.json")
        XCTAssertEqual(text, expected, "ana-export.json differs; run with MQTTLAB_UPDATE_GOLDEN=1 to see the change")
        // Luis has a reset (exerciseStates) and an attempt with what the checker observed.
        let luis = String(decoding: try ResultsBundleFile.encode(try ResultsFixture.luis(in: folder).export(at: "2026-12-07 18:05:00.000")),
                          as: UTF8.self)
        XCTAssertEqual(luis, try ResultsPaths.assertGolden(luis, "luis-export.json"),
                       "luis-export.json differs; run with MQTTLAB_UPDATE_GOLDEN=1 to see the change")
    }

    func testTheExportCarriesEverythingAndVerifies() throws {
        let data = try anaExport()
        let verified = try ResultsBundleFile.decode(data, path: "ana.json")
        XCTAssertEqual(verified.integrity, .intact)
        let bundle = verified.bundle
        XCTAssertEqual(bundle.format, "mqttlab-results")
        XCTAssertEqual(bundle.formatVersion, 1)
        XCTAssertEqual(bundle.mqttlabVersion, "0.1.0")
        XCTAssertEqual(bundle.exportedAt, "2026-12-07 18:00:00.000")
        XCTAssertEqual(bundle.student, StudentIdentity(uuid: "0a0a0a0a-0000-4000-8000-000000000001", name: "Ana López", schoolID: "A123",
                                                       createdAt: "2026-12-01 09:00:00.000"))
        XCTAssertEqual(bundle.catalog.map(\.id), ["filter-basics", "bytes-connect", "retained-light"])
        XCTAssertEqual(bundle.record.attempts.count, 3)
        XCTAssertEqual(bundle.record.attempts.last?.outcome, "running")
        XCTAssertNil(bundle.record.attempts.last?.endedAt)
        XCTAssertEqual(bundle.record.hintUses.count, 1)
        XCTAssertEqual(bundle.record.lessons.map(\.lessonID), ["01-intro", "02-publish"])
        // The checksum is SHA-256 over the compact, key-sorted content: recomputable by anyone, documented so.
        XCTAssertEqual(try ResultsBundleFile.checksum(of: bundle).count, 64)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains(try ResultsBundleFile.checksum(of: bundle)))
    }

    /// Every single byte of the file changed (to another printable byte) is caught: either the file no
    /// longer reads as an export, or it reads as changed. Never as intact.
    func testEveryEditedByteIsCaught() throws {
        let data = try anaExport()
        var changedCount = 0, unreadable = 0
        for index in data.indices {
            var edited = data
            edited[index] = data[index] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
            do {
                let verified = try ResultsBundleFile.decode(edited, path: "x")
                XCTAssertNotEqual(verified.integrity, .intact, "byte \(index) (\(UnicodeScalar(data[index]))) edited and not caught")
                changedCount += 1
            } catch {
                unreadable += 1
            }
        }
        XCTAssertEqual(changedCount + unreadable, data.count)
        XCTAssertGreaterThan(changedCount, data.count / 4, "most edits still parse: the checksum, not the parser, must catch them")
    }

    func testAnEditThatKeepsTheValuesIsCaughtByTheForm() throws {
        let text = String(decoding: try anaExport(), as: UTF8.self)
        // Same JSON value, different bytes: an escaped letter, and an extra space.
        let escaped = text.replacingOccurrences(of: "\"Ana L", with: "\"\\u0041na L")
        XCTAssertEqual(try ResultsBundleFile.decode(Data(escaped.utf8), path: "x").integrity, .changed(.notCanonical))
        let spaced = text.replacingOccurrences(of: "\"format\" :", with: "\"format\"  :")
        XCTAssertEqual(try ResultsBundleFile.decode(Data(spaced.utf8), path: "x").integrity, .changed(.notCanonical))
        // A score raised by hand.
        let raised = text.replacingOccurrences(of: "\"score\" : 0,", with: "\"score\" : 5,")
        XCTAssertNotEqual(raised, text)
        XCTAssertEqual(try ResultsBundleFile.decode(Data(raised.utf8), path: "x").integrity, .changed(.checksumMismatch))
    }

    func testOtherFilesAreRefusedWithAReason() throws {
        XCTAssertThrowsError(try ResultsBundleFile.decode(Data("{\"a\": 1}".utf8), path: "a.json")) { error in
            XCTAssertEqual("\(error)", "a.json: not an mqttlab results export (missing \"checksum\")")
        }
        XCTAssertThrowsError(try ResultsBundleFile.decode(Data("hello".utf8), path: "h.txt")) { error in
            XCTAssertTrue("\(error)".hasPrefix("h.txt: not an mqttlab results export (not valid JSON"), "\(error)")
        }
        let newer = String(decoding: try anaExport(), as: UTF8.self).replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 2")
        XCTAssertThrowsError(try ResultsBundleFile.decode(Data(newer.utf8), path: "n.json")) { error in
            XCTAssertEqual(error as? ResultsBundleFile.ReadError, .newerFormat(path: "n.json", found: 2, supported: 1))
        }
    }

    func testExportingNeedsAName() throws {
        let database = try StudentDatabase(path: folder.appendingPathComponent("anon.sqlite").path)
        XCTAssertThrowsError(try ResultsExport.bundle(database: database, course: "builtin", catalog: [], mqttlabVersion: "0", now: "t")) { error in
            XCTAssertEqual(error as? ResultsExport.Problem, .noIdentity)
        }
    }

    func testTimestampsHaveTheDatabasesForm() {
        XCTAssertEqual(ResultsExport.timestamp(Date(timeIntervalSince1970: 1_796_659_200.25)), "2026-12-07 16:00:00.250")
    }
}
