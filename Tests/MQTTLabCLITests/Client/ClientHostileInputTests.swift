@testable import MQTTLabCLI
import MQTTClient
import MQTTCodec
import XCTest

/// Input a client does not control (payloads from any publisher) or that a person mistypes must give an
/// answer, never a crash. Each case crashed the process before its fix.
final class ClientHostileInputTests: XCTestCase {
    /// `%J` on a payload of a million `[`: the JSON parser recursed until the stack overflowed (SIGSEGV).
    func testDeeplyNestedJSONPayloadIsReportedNotACrash() {
        let formatter = MessageFormatter(format: "%J", verbose: false, noEOL: false, pretty: false)
        let deep = MQTTMessage(topic: "t", payload: [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000), qos: .atMostOnce, retain: false)
        let (_, errors) = formatter.render(deep, at: 0)
        XCTAssertEqual(errors, ["Message payload is not valid JSON on topic t."])
        // cJSON's own limit: 1000 levels still parse.
        let nested = Array(repeating: UInt8(ascii: "["), count: 1000) + Array(repeating: UInt8(ascii: "]"), count: 1000)
        XCTAssertNotNil(CJSON.parse(nested))
        XCTAssertNil(CJSON.parse(Array(repeating: UInt8(ascii: "["), count: 1001) + Array(repeating: UInt8(ascii: "]"), count: 1001)))
    }

    /// A field width of twenty digits overflowed `Int` (a trap); a huge one padded every message to gigabytes.
    func testHugeFormatWidthsAreCapped() {
        let message = MQTTMessage(topic: "t", payload: Array("x".utf8), qos: .atMostOnce, retain: false)
        let overflow = MessageFormatter(format: "%99999999999999999999t", verbose: false, noEOL: true, pretty: false)
        XCTAssertEqual(overflow.render(message, at: 0).output.count, MessageFormatter.maximumWidth)
        let huge = MessageFormatter(format: "%-1000000000t|", verbose: false, noEOL: true, pretty: false)
        XCTAssertEqual(huge.render(message, at: 0).output.count, MessageFormatter.maximumWidth + 1)
    }

    /// `--repeat-delay inf` passed parsing and trapped when turned into a sleep.
    func testRepeatDelayMustBeFiniteAndAtMostADay() throws {
        for bad in ["inf", "nan", "1e300", "86401", "-1"] {
            XCTAssertThrowsError(try ClientArgumentParser.parse(["-t", "a", "-m", "x", "--repeat", "2", "--repeat-delay", bad], tool: .pub), bad) { error in
                XCTAssertEqual((error as? ClientUsageError)?.message, "Invalid repeat delay \"\(bad)\".")
            }
        }
        XCTAssertEqual(try ClientArgumentParser.parse(["-t", "a", "-m", "x", "--repeat-delay", "0.5"], tool: .pub).repeatDelay, 0.5)
    }

    /// The bench sized its duplicate bit map from the sequence number in the payload: a stranger's
    /// message on the same topic with sequence 0xFFFFFFFF allocated half a gigabyte.
    func testBenchIgnoresSequenceNumbersItNeverPublished() {
        let tally = Tally()
        tally.countPublished()
        tally.received(stream: 0, sequence: Int(UInt32.max), latencyNanoseconds: 1, at: 1)
        tally.received(stream: 0, sequence: 1, latencyNanoseconds: 1, at: 1)
        XCTAssertEqual(tally.received, 0, "only sequence 0 was published")
        tally.received(stream: 0, sequence: 0, latencyNanoseconds: 1, at: 2)
        tally.received(stream: 0, sequence: 0, latencyNanoseconds: 1, at: 3)
        XCTAssertEqual(tally.received, 2)
        XCTAssertEqual(tally.duplicates, 1)
    }

    /// `-L mqtt://h:99999/t` connected to a truncated port instead of saying the port is invalid, as `-p` does.
    func testURLPortIsCheckedLikeDashP() {
        XCTAssertThrowsError(try ClientArgumentParser.parse(["-L", "mqtt://localhost:99999/t", "-m", "x"], tool: .pub)) { error in
            XCTAssertEqual((error as? ClientUsageError)?.message, "Invalid port given: 99999")
        }
        XCTAssertEqual(try ClientArgumentParser.parse(["-L", "mqtt://localhost:1884/t", "-m", "x"], tool: .pub).effectivePort, 1884)
    }
}
