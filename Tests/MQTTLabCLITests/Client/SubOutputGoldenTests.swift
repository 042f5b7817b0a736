import Foundation
import XCTest

/// `mqttlab sub` prints exactly what `mosquitto_sub` prints for the same messages: `-v`, the default,
/// `-N` and every `-F` token, read side by side from the same broker. Time tokens are checked by shape
/// (the two clients receive a few microseconds apart).
final class SubOutputGoldenTests: ClientInteropTestCase {
    /// Every token that does not depend on the clock, with widths, precision, flags and escapes.
    static let format = #"%%|%t|%p|%x|%X|%l|%m|%q|%r|%A|%C|%D|%E|%F|%P|%R|%S|%J|%10t|%-10t|%010l|%5.2t|%-4l|%04q|\t|@@|\\"#

    func testVerboseDefaultAndEveryFormatTokenMatchMosquittoSub() throws {
        for broker in ClientTestBroker.allCases {
            for v5 in [false, true] {
                let port = try start(broker)
                let common = ["-p", "\(port)", "-t", "gold/#", "-q", "2", "-C", "4"] + Self.versionFlag(v5)
                    + (v5 ? ["-D", "subscribe", "subscription-identifier", "7"] : [])
                let variants: [[String]] = [["-v"], [], ["-F", Self.format], ["-F", "%J", "--pretty"], ["-F", "%j"]]
                var pairs: [(InteropProcess, InteropProcess, [String])] = []
                for extra in variants {
                    let ours = try backgroundSubscriber(try mqttlab(), ["sub"] + common + extra)
                    let theirs = try backgroundSubscriber(try tool("mosquitto_sub"), common + extra)
                    pairs.append((ours, theirs, extra))
                }
                try publishGoldenMessages(port: port, v5: v5)
                for (ours, theirs, extra) in pairs {
                    XCTAssertTrue(ours.waitForExit(timeout: 10), "mqttlab sub \(extra) did not stop after -C 4")
                    XCTAssertTrue(theirs.waitForExit(timeout: 10))
                    XCTAssertEqual(ours.exitStatus, theirs.exitStatus)
                    // Lines are compared as sorted lists: a QoS 2 message is printed at its PUBREL, which may
                    // come after the next message's PUBLISH in either client.
                    let expected = Self.sortedLines(Self.withoutTimestamps(Self.messageOutput(theirs)))
                    XCTAssertFalse(expected.isEmpty, "mosquitto_sub printed nothing: \(theirs.stdout) / \(theirs.stderr) // \(ours.stdout)")
                    XCTAssertEqual(Self.sortedLines(Self.withoutTimestamps(Self.messageOutput(ours))), expected,
                                   "\(broker) v5=\(v5) \(extra): mqttlab sub and mosquitto_sub differ")
                }
            }
        }
    }

    func testTimeTokensHaveMosquittosShape() throws {
        let port = try start(.mosquitto)
        let sub = try backgroundSubscriber(try mqttlab(), ["sub", "-p", "\(port)", "-t", "time", "-C", "1", "-F", "%I|%U|@Y-@m-@dT@H:@M:@S|@N|%j"])
        _ = try mosquitto("mosquitto_pub", ["-p", "\(port)", "-t", "time", "-m", "t"])
        XCTAssertTrue(sub.waitForExit(timeout: 10))
        let line = Self.messageOutput(sub).trimmingCharacters(in: .newlines)
        let pattern = #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}\|\d{10}\.\d{9}\|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\|\d{9}\|\{"tst":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z[+-]\d{4}","topic":"time","qos":0,"retain":0,"payloadlen":1,"payload":"t"\}$"#
        XCTAssertNotNil(line.range(of: pattern, options: .regularExpression), "unexpected time format: \(line)")
    }

    /// A retained JSON message, a binary one, an empty one and a text one with spaces; 5.0 properties.
    private func publishGoldenMessages(port: Int, v5: Bool) throws {
        let properties = v5 ? ["-D", "publish", "user-property", "sala", "3", "-D", "publish", "user-property", "b", "x y",
                               "-D", "publish", "content-type", "application/json", "-D", "publish", "response-topic", "gold/reply",
                               "-D", "publish", "correlation-data", "c-1", "-D", "publish", "message-expiry-interval", "300",
                               "-D", "publish", "payload-format-indicator", "1"] : []
        let base = ["-p", "\(port)"] + Self.versionFlag(v5)
        let binary = try directory().appendingPathComponent("binary.bin")
        try Data([0xFF, 0x00, 0x01, 0x7F]).write(to: binary)
        for arguments in [
            base + ["-t", "gold/json", "-m", #"{"temp": 21.5, "ok": true, "list": [1, 2]}"#, "-q", "1"] + properties,
            base + ["-t", "gold/bin", "-f", binary.path, "-q", "2"],
            base + ["-t", "gold/empty", "-n", "-q", "1"],
            base + ["-t", "gold/text", "-m", "hola mundo", "-q", "0"],
        ] {
            let outcome = try mosquitto("mosquitto_pub", arguments)
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
        }
    }

    static func sortedLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).sorted().joined(separator: "\n")
    }

    /// `%j`'s "tst" member is the reception time: it cannot match between two clients.
    static func withoutTimestamps(_ text: String) -> String {
        text.replacingOccurrences(of: #""tst":\s*"[^"]*""#, with: #""tst":"T""#, options: .regularExpression)
    }
}
