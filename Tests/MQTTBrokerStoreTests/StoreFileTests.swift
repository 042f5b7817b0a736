import Foundation
import XCTest
@testable import MQTTBrokerCore
@testable import MQTTBrokerStore

/// Opening: journal mode, synchronous mode, schema bookkeeping, and every way a path can be wrong.
final class StoreFileTests: StoreTestCase {
    func testANewStoreIsInWALModeWithTheSchemaRecorded() throws {
        let store = try open()
        XCTAssertEqual(try store.textForTesting("PRAGMA journal_mode"), "wal")
        XCTAssertEqual(try store.textForTesting("PRAGMA synchronous"), "1", "NORMAL by default")
        XCTAssertEqual(try store.textForTesting("SELECT value FROM meta WHERE key = 'schemaVersion'"), "\(BrokerStore.schemaVersion)")
        XCTAssertEqual(try store.textForTesting("SELECT value FROM meta WHERE key = 'application'"), "mqttlab broker store")
        XCTAssertEqual(try store.textForTesting("SELECT value FROM meta WHERE key = 'createdBy'"), "mqttlab")
        XCTAssertEqual(
            try store.textForTesting("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)"),
            "grdb_migrations,meta,pending,retained,session"
        )
    }

    func testFullSynchronousIsAvailable() throws {
        let store = try open(synchronous: .full)
        XCTAssertEqual(try store.textForTesting("PRAGMA synchronous"), "2")
        commit(changes(sessions: [Fixtures.session("ana")]), to: store)
        XCTAssertEqual(try store.load().sessions.count, 1)
    }

    func testOpeningTwiceDoesNotMigrateAgain() throws {
        try BrokerStore(path: path(), openedBy: "mqttlab 0.1").close()
        let store = try open()
        XCTAssertEqual(try store.textForTesting("SELECT count(*) FROM grdb_migrations"), "\(BrokerStore.schemaVersion)")
        XCTAssertEqual(try store.textForTesting("SELECT value FROM meta WHERE key = 'createdBy'"), "mqttlab 0.1")
    }

    func testAnEmptyExistingFileBecomesAStore() throws {
        XCTAssertTrue(FileManager.default.createFile(atPath: path(), contents: Data()))
        let store = try open()
        XCTAssertEqual(try store.load().sessions, [])
    }

    func testAFolderIsRefused() {
        assertOpenFails(directory.path) {
            guard case .isDirectory = $0 else { return false }
            return "\($0)".contains("is a folder")
        }
    }

    func testAMissingFolderIsNamed() {
        let path = directory.appendingPathComponent("no/such/folder/broker.db").path
        assertOpenFails(path) { "\($0)".contains("does not exist") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testAFileWhereTheFolderShouldBeIsNamed() throws {
        XCTAssertTrue(FileManager.default.createFile(atPath: path("plain"), contents: Data("x".utf8)))
        assertOpenFails(path("plain") + "/broker.db") { "\($0)".contains("is not a folder") }
    }

    func testAnUnwritableFolderIsNamed() throws {
        try XCTSkipIf(geteuid() == 0, "root writes into read-only folders; the permission check cannot fail")
        let folder = directory.appendingPathComponent("readonly")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
        assertOpenFails(folder.appendingPathComponent("broker.db").path) { "\($0)".contains("not writable") }
    }

    func testAFileThatIsNotSQLiteIsNotAStore() throws {
        let text = String(repeating: "this is a shopping list, not a database\n", count: 200)
        XCTAssertTrue(FileManager.default.createFile(atPath: path(), contents: Data(text.utf8)))
        assertOpenFails(path()) {
            guard case .notAStore = $0 else { return false }
            return "\($0)".contains("is not an mqttlab store")
        }
        // The file is left as it was, and nothing is created beside it.
        XCTAssertEqual(try String(contentsOfFile: path(), encoding: .utf8), text)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["broker.db"])
    }

    func testAnotherApplicationsSQLiteFileIsNotAStore() throws {
        let store = try BrokerStore(path: path())
        try store.executeForTesting("CREATE TABLE contacts(name TEXT); DROP TABLE meta")
        try store.close()
        assertOpenFails(path()) { "\($0)".contains("not an mqttlab store") && "\($0)".contains("contacts") }

        let other = try BrokerStore(path: path("other.db"))
        try other.executeForTesting("UPDATE meta SET value = 'someone else' WHERE key = 'application'")
        try other.close()
        assertOpenFails(path("other.db")) { "\($0)".contains("not an mqttlab store") }

        let shaped = try BrokerStore(path: path("shaped.db"))
        try shaped.executeForTesting("DROP TABLE meta; CREATE TABLE meta(x INTEGER)")
        try shaped.close()
        assertOpenFails(path("shaped.db")) { "\($0)".contains("not an mqttlab store") }
    }

    func testANewerSchemaIsRefused() throws {
        let store = try BrokerStore(path: path())
        try store.executeForTesting("UPDATE meta SET value = '99' WHERE key = 'schemaVersion'")
        try store.close()
        assertOpenFails(path()) {
            $0 == .newerSchema(path: self.path(), found: 99, supported: BrokerStore.schemaVersion) && "\($0)".contains("newer mqttlab")
        }

        let superseded = try BrokerStore(path: path("superseded.db"))
        try superseded.executeForTesting("INSERT INTO grdb_migrations(identifier) VALUES ('v2: from the future')")
        try superseded.close()
        assertOpenFails(path("superseded.db")) {
            guard case .newerSchema = $0 else { return false }
            return true
        }
    }

    func testADamagedRowFailsTheLoadLoudly() throws {
        let store = try open()
        commit(changes(sessions: [Fixtures.session("ana")]), to: store)
        try store.executeForTesting("UPDATE session SET snapshot = X'7B2262726F6B656E' WHERE clientID = 'ana'")
        XCTAssertThrowsError(try store.load()) { error in
            guard case .corruptRecord(_, "session", "ana", _)? = error as? BrokerStoreError else {
                return XCTFail("\(error)")
            }
            XCTAssertTrue("\(error)".contains("damaged session row"), "\(error)")
        }
    }

    func testARowFiledUnderTheWrongKeyFailsTheLoad() throws {
        let store = try open()
        commit(changes(sessions: [Fixtures.session("caf\u{E9}")]), to: store)
        // The same text, other bytes: the row's key no longer matches its snapshot.
        try store.executeForTesting("UPDATE session SET clientID = CAST(X'63616665CC81' AS TEXT)")
        XCTAssertThrowsError(try store.load())
    }

    private func assertOpenFails(_ path: String, file: StaticString = #filePath, line: UInt = #line,
                                 _ matches: (BrokerStoreError) -> Bool) {
        do {
            let store = try BrokerStore(path: path)
            try? store.close()
            XCTFail("opening \(path) should have failed", file: file, line: line)
        } catch let error as BrokerStoreError {
            XCTAssertTrue(matches(error), "unexpected error: \(error)", file: file, line: line)
        } catch {
            XCTFail("not a BrokerStoreError: \(type(of: error)) \(error)", file: file, line: line)
        }
    }
}
