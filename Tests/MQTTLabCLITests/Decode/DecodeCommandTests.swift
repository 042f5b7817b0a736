import Foundation
import XCTest

/// `mqttlab decode` run as a user runs it: the real executable, its output and its exit status.
final class DecodeCommandTests: XCTestCase {
    private var mqttlab: CommandRunner!

    override func setUpWithError() throws {
        mqttlab = try CommandRunner.locate()
    }

    private let publishHex = ["30", "0a", "00", "04", "43", "61", "73", "61", "32", "32", "2e", "35"]

    func testDecodesAPublishFieldByFieldInEnglish() throws {
        let result = try mqttlab.run(["decode"] + publishHex)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("PUBLISH · 12 bytes · MQTT 3.1.1"), result.stdout)
        for expected in ["remaining length", "topic length", "\"Casa\"", "payload", "text \"22.5\" (4 bytes)", ".... .00."] {
            XCTAssertTrue(result.stdout.contains(expected), "missing \(expected) in:\n\(result.stdout)")
        }
        XCTAssertFalse(result.stdout.contains("\u{1B}["), "no colors when piped")
    }

    func testSpanishFromFlagAndFromEnvironment() throws {
        let fromFlag = try mqttlab.run(["decode", "--lang", "es"] + publishHex)
        XCTAssertTrue(fromFlag.stdout.contains("longitud restante"), fromFlag.stdout)
        XCTAssertTrue(fromFlag.stdout.contains("carga útil"))
        let fromEnvironment = try mqttlab.run(["decode"] + publishHex, environment: ["MQTTLAB_LANG": "es"])
        XCTAssertEqual(fromFlag.stdout, fromEnvironment.stdout)
        let fromLocale = try mqttlab.run(["decode"] + publishHex, environment: ["LANG": "es_ES.UTF-8"])
        XCTAssertEqual(fromFlag.stdout, fromLocale.stdout)
        // The flag wins over the environment.
        let flagWins = try mqttlab.run(["decode", "--lang", "en"] + publishHex, environment: ["MQTTLAB_LANG": "es"])
        XCTAssertTrue(flagWins.stdout.contains("remaining length"))
    }

    func testColorsOnlyWhenAskedAndNeverWithNoColorOnAuto() throws {
        let always = try mqttlab.run(["decode", "--color", "always"] + publishHex)
        XCTAssertTrue(always.stdout.contains("\u{1B}["))
        let auto = try mqttlab.run(["decode"] + publishHex, environment: ["NO_COLOR": "1"])
        XCTAssertFalse(auto.stdout.contains("\u{1B}["))
    }

    func testAcceptsEveryHexSpellingAndStandardInputAndFiles() throws {
        let spaced = try mqttlab.run(["decode"] + publishHex).stdout
        XCTAssertEqual(try mqttlab.run(["decode", publishHex.joined()]).stdout, spaced)
        XCTAssertEqual(try mqttlab.run(["decode", publishHex.map { "0x" + $0 }.joined(separator: ",")]).stdout, spaced)
        XCTAssertEqual(try mqttlab.run(["decode", publishHex.joined(separator: ":")]).stdout, spaced)
        XCTAssertEqual(try mqttlab.run(["decode"], stdin: Data((publishHex.joined(separator: " ") + "\n").utf8)).stdout, spaced)
        let raw = Data(publishHex.map { UInt8($0, radix: 16)! })
        XCTAssertEqual(try mqttlab.run(["decode"], stdin: raw).stdout, spaced)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mqttlab-decode-\(UUID().uuidString).bin")
        try raw.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        XCTAssertEqual(try mqttlab.run(["decode", "--file", file.path]).stdout, spaced)
    }

    func testSeveralPacketsInARowAreSplitAndNumbered() throws {
        // CONNECT v5, then a PUBACK in 5.0's short form with reason 0x10, then PINGREQ.
        let result = try mqttlab.run(["decode", "10 10 00 04 4d 51 54 54 05 02 00 3c 00 00 03 61 62 63", "40 03 00 0a 10", "c0 00"])
        XCTAssertEqual(result.status, 0, result.stdout)
        XCTAssertTrue(result.stdout.contains("#1 · CONNECT"))
        XCTAssertTrue(result.stdout.contains("#2 · PUBACK · 5 bytes · MQTT 5.0 —"), "the CONNECT sets 5.0 for what follows:\n\(result.stdout)")
        XCTAssertTrue(result.stdout.contains("No matching subscribers"))
        XCTAssertTrue(result.stdout.contains("#3 · PINGREQ"))
    }

    func testMalformedPacketPointsAtTheByteAndExitsOne() throws {
        // PUBLISH to "Ca+a": a wildcard in a topic name [MQTT-3.3.2-2], at byte 6.
        let result = try mqttlab.run(["decode", "30 0a 00 04 43 61 2b 61 32 32 2e 35"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("malformed at byte 6"), result.stdout)
        XCTAssertTrue(result.stdout.contains("[MQTT-3.3.2-2]"))
        XCTAssertTrue(result.stdout.contains("^^"), "the hex dump marks the bad byte")
        // Truncated input: the remaining length promises more than was given.
        let truncated = try mqttlab.run(["decode", "30 0a 00 04 43 61"])
        XCTAssertEqual(truncated.status, 1)
        XCTAssertTrue(truncated.stdout.contains("malformed at byte"), truncated.stdout)
    }

    func testUsageErrorsAreClearWithStatus64AndUnreadableInputWith66() throws {
        let notHex = try mqttlab.run(["decode", "30", "zz"])
        XCTAssertEqual(notHex.status, 64)
        XCTAssertTrue(notHex.stderr.contains("'zz'"), notHex.stderr)
        let odd = try mqttlab.run(["decode", "300"])
        XCTAssertEqual(odd.status, 64)
        XCTAssertTrue(odd.stderr.contains("odd number"), odd.stderr)
        let badVersion = try mqttlab.run(["decode", "-V", "4.0", "c0", "00"])
        XCTAssertEqual(badVersion.status, 64)
        let missing = try mqttlab.run(["decode", "--file", "/nonexistent/packet.bin"])
        XCTAssertEqual(missing.status, 66)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/packet.bin"), missing.stderr)
        let notACapture = try mqttlab.run(["decode", "--pcap", "/etc/hostname"])
        XCTAssertEqual(notACapture.status, 66)
        XCTAssertTrue(notACapture.stderr.contains("pcap"), notACapture.stderr)
    }

    func testVersionFlagAndGuess() throws {
        // 40 03 00 0a 10 is a PUBACK with a reason code: only valid in 5.0.
        let guessed = try mqttlab.run(["decode", "40 03 00 0a 10"])
        XCTAssertEqual(guessed.status, 0, guessed.stdout)
        XCTAssertTrue(guessed.stdout.contains("MQTT 5.0 (valid only as 5.0)"), guessed.stdout)
        let forced = try mqttlab.run(["decode", "-V", "3.1.1", "40 03 00 0a 10"])
        XCTAssertEqual(forced.status, 1, "as 3.1.1 the reason code is a trailing byte")
        XCTAssertTrue(forced.stdout.contains("left over"), forced.stdout)
    }

    func testJSONLinesCarryTheWholeFieldTree() throws {
        let result = try mqttlab.run(["decode", "--json", "32 09 00 03 61 2f 62 00 0a 68 69", "40 02 00 0a"])
        XCTAssertEqual(result.status, 0)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let first = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(first["type"] as? String, "PUBLISH")
        XCTAssertEqual(first["size"] as? Int, 11)
        XCTAssertEqual(first["hex"] as? String, "32090003612f62000a6869")
        XCTAssertTrue(first["error"] is NSNull)
        let fields = try XCTUnwrap(first["fields"] as? [[String: Any]])
        XCTAssertEqual(fields.map { $0["key"] as? String }, ["mqtt.hdrflags", "mqtt.len", "mqtt.topic_len", "mqtt.topic", "mqtt.msgid", "mqtt.msg"])
        XCTAssertEqual(fields[3]["value"] as? String, "a/b")
        XCTAssertEqual(fields[4]["value"] as? Int, 10)
        XCTAssertEqual(fields[5]["value"] as? String, "6869", "binary values are plain lowercase hex")
        let flagBits = try XCTUnwrap(fields[0]["children"] as? [[String: Any]])
        XCTAssertEqual(flagBits.first { $0["key"] as? String == "mqtt.qos" }?["value"] as? Int, 1)
        XCTAssertEqual(flagBits.first { $0["key"] as? String == "mqtt.qos" }?["mask"] as? Int, 6)
        // Offsets and lengths of the top-level fields tile the packet.
        var next = 0
        for field in fields {
            XCTAssertEqual(field["offset"] as? Int, next)
            next += field["length"] as? Int ?? 0
        }
        XCTAssertEqual(next, 11)
    }

    func testJSONReportsMalformedPacketsWithRuleAndOffset() throws {
        let result = try mqttlab.run(["decode", "--json", "82 05 00 00 00 01 61"])
        XCTAssertEqual(result.status, 1)
        let packet = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let error = try XCTUnwrap(packet["error"] as? [String: Any])
        XCTAssertEqual(error["offset"] as? Int, 2, "SUBSCRIBE with packet identifier 0")
        XCTAssertEqual(error["spec"] as? String, "MQTT-2.3.1-1")
    }

    func testHelpTeachesByExample() throws {
        let root = try mqttlab.run(["--help"])
        XCTAssertTrue(root.stdout.contains("mqttlab decode 30 0a"), root.stdout)
        let decode = try mqttlab.run(["decode", "--help"])
        for expected in ["--pcap", "--json", "-V", "--lang", "Exit status"] {
            XCTAssertTrue(decode.stdout.contains(expected), "decode --help lacks \(expected)")
        }
    }

    func testHomeScreenIsTheDefaultAndSpeaksBothLanguages() throws {
        let english = try mqttlab.run([])
        XCTAssertEqual(english.status, 0)
        XCTAssertTrue(english.stdout.contains("mqttlab decode"), english.stdout)
        let spanish = try mqttlab.run(["--lang", "es"])
        XCTAssertEqual(spanish.status, 0, spanish.stderr)
        XCTAssertTrue(spanish.stdout.contains("aprende MQTT"), spanish.stdout)
    }

    func testEveryHexExampleInTheHelpDecodes() throws {
        // Examples shown to users must work: take every "mqttlab decode …" line of the help texts whose
        // arguments are all hex (or -V), run it, and expect a valid packet.
        let help = try mqttlab.run(["--help"]).stdout + "\n" + mqttlab.run(["decode", "--help"]).stdout + "\n" + mqttlab.run([]).stdout
        var checked = 0
        for line in help.split(separator: "\n") {
            guard let range = line.range(of: "mqttlab decode ") else { continue }
            // The command ends where two spaces start its description.
            let command = String(line[range.upperBound...]).components(separatedBy: "  ")[0]
            let words = command.split(separator: " ")
            var arguments: [String] = []
            for word in words {
                if word == "-V" || word == "--lang" || word == "es" || word == "5" || word.allSatisfy(\.isHexDigit) {
                    arguments.append(String(word))
                } else {
                    break
                }
            }
            guard arguments.contains(where: { $0.count >= 2 && $0.allSatisfy(\.isHexDigit) }) else { continue }
            let result = try mqttlab.run(["decode"] + arguments)
            XCTAssertEqual(result.status, 0, "\(line):\n\(result.stdout)")
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 4, "the help texts should show hex examples")
    }
}
