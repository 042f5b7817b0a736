import MQTTLabSecurity
import XCTest

final class PasswordHashTests: XCTestCase {
    /// Lines written by Mosquitto 2.0's mosquitto_passwd (`-c -b`, and `-H sha512` for `$6$`).
    let mosquittoPBKDF2 = "$7$101$6xo0/sqR40GBcll6$vjrPIHFPbTTP4Thv1T9701tYvAMSmQh6YACNwYsJRENLiqGZvCsCDJTYYgXuELjs+fbuYyV07HmA2xz3n7bFHw=="
    let mosquittoSHA512 = "$6$LXSpdWcHb6l4xO6T$7CCDdTmny/ZjJIY2dTs5IUNXTj5SN3HZ/ZsqERG2TAw4Z5fRGj5iSCYv3A5xSsApIR0OOYiUNmCPsCAKOWy7Aw=="

    func testVerifiesAHashWrittenByMosquittoPasswd() throws {
        let hash = try PasswordHash(encoded: mosquittoPBKDF2)
        XCTAssertTrue(hash.verify(password: "secret"))
        XCTAssertFalse(hash.verify(password: "Secret"))
        XCTAssertFalse(hash.verify(password: ""))
        XCTAssertEqual(hash.encoded, mosquittoPBKDF2, "reading and writing gives the same text back")
    }

    func testVerifiesAnOldSHA512HashFromMosquitto16() throws {
        let hash = try PasswordHash(encoded: mosquittoSHA512)
        guard case .saltedSHA512 = hash else { return XCTFail("\(hash)") }
        XCTAssertTrue(hash.verify(password: "hunter2"))
        XCTAssertFalse(hash.verify(password: "hunter3"))
    }

    func testANewHashHasMosquittosShapeAndAFreshSalt() throws {
        let first = try PasswordHash.make(password: "pa:ss wörd")
        let second = try PasswordHash.make(password: "pa:ss wörd")
        guard case let .pbkdf2SHA512(iterations, salt, hash) = first else { return XCTFail("\(first)") }
        XCTAssertEqual(iterations, 101)
        XCTAssertEqual(salt.count, 12)
        XCTAssertEqual(hash.count, 64)
        XCTAssertNotEqual(first, second, "each hash gets its own random salt")
        XCTAssertTrue(first.verify(password: "pa:ss wörd"))
        XCTAssertTrue(second.verify(password: "pa:ss wörd"))
        // $7$ + 3 digits + $ + 16 base64 chars + $ + 88 base64 chars.
        XCTAssertEqual(first.encoded.count, 3 + 3 + 1 + 16 + 1 + 88)
        XCTAssertTrue(first.encoded.hasPrefix("$7$101$"))
        XCTAssertEqual(try PasswordHash(encoded: first.encoded), first)
    }

    func testMalformedHashesSayWhatIsWrong() {
        func error(_ text: String) -> PasswordHashFormatError? {
            do { _ = try PasswordHash(encoded: text); return nil } catch { return error }
        }
        XCTAssertEqual(error("plaintext"), .notAHash)
        XCTAssertEqual(error("$5$abc$def"), .unknownScheme("5"))
        XCTAssertEqual(error("$7$101$abc"), .wrongFieldCount(scheme: "$7$", expected: "$7$iterations$salt$hash"))
        XCTAssertEqual(error("$7$many$6xo0/sqR40GBcll6$AAAA"), .badIterations("many"))
        XCTAssertEqual(error("$7$101$!!!$AAAA"), .badBase64(field: "salt"))
        XCTAssertEqual(error("$7$101$6xo0/sqR40GBcll6$AAAA"), .badBase64(field: "hash"), "a hash must be 64 bytes")
    }
}
