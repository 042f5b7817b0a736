import Foundation
import MQTTLabSecurity
import XCTest

final class PasswordFileTests: XCTestCase {
    func testKeepsCommentsAndOrderWhenAUserChanges() throws {
        var file = try PasswordFile(text: "# class 1\nalice:a\n\nbob:b\n", path: "pw.txt")
        XCTAssertEqual(file.users, ["alice", "bob"])
        file.set(user: "alice", secret: "A")
        file.set(user: "carol", secret: "c")
        XCTAssertTrue(file.delete(user: "bob"))
        XCTAssertFalse(file.delete(user: "bob"))
        XCTAssertEqual(file.text, "# class 1\nalice:A\n\ncarol:c\n")
    }

    func testMalformedLinesNameTheFileAndLine() {
        func error(_ text: String) -> String? {
            do { _ = try PasswordFile(text: text, path: "pw.txt"); return nil } catch { return error.description }
        }
        XCTAssertEqual(error("alice:x\nno colon here\n"), "pw.txt:2: no ':' between the user name and the password")
        XCTAssertEqual(error(":x\n"), "pw.txt:1: the user name before ':' is empty")
        XCTAssertEqual(error("a:x\r\n# c\na:y\n"), "pw.txt:3: user 'a' appears twice")
        XCTAssertEqual(error("a:x\n\n\nb\n"), "pw.txt:4: no ':' between the user name and the password", "blank lines count")
    }

    func testATableRefusesAPlainTextLineWithItsLineAndNeverShowsIt() throws {
        let file = try PasswordFile(text: "# x\nalice:my-plain-secret\n", path: "pw.txt")
        XCTAssertThrowsError(try PasswordTable(file: file, path: "pw.txt")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("pw.txt:2: user 'alice': the password is not hashed"), text)
            XCTAssertFalse(text.contains("my-plain-secret"), text)
        }
    }

    func testATableChecksUsersAndPasswords() throws {
        let hash = try PasswordHash.make(password: "right")
        let file = PasswordFile(lines: [.entry(user: "alice", secret: hash.encoded)])
        let table = try PasswordTable(file: file, path: "pw.txt")
        XCTAssertTrue(table.verify(user: "alice", password: Array("right".utf8)))
        XCTAssertFalse(table.verify(user: "alice", password: Array("wrong".utf8)))
        XCTAssertFalse(table.verify(user: "bob", password: Array("right".utf8)))
    }

    func testWritesAtomicallyWithMode0600() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pwfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("pw.txt").path
        _ = FileManager.default.createFile(atPath: path, contents: Data("old:x\n".utf8), attributes: [.posixPermissions: 0o644])
        let file = PasswordFile(lines: [.entry(user: "alice", secret: "h")])
        try file.write(to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "alice:h\n")
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)
        XCTAssertEqual(mode.intValue & 0o777, 0o600)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["pw.txt"], "no temporary file left")
        XCTAssertEqual(try PasswordFile(contentsOf: path), file)
    }

    func testAMissingFileIsAClearError() {
        XCTAssertThrowsError(try PasswordFile(contentsOf: "/nonexistent/pw.txt")) { error in
            XCTAssertEqual((error as? PasswordFileError)?.line, nil)
            XCTAssertTrue("\(error)".hasPrefix("/nonexistent/pw.txt: cannot be read"), "\(error)")
        }
    }
}
