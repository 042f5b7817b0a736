import Foundation
import XCTest

@testable import MQTTLabCLI

/// `mqttlab inspect` as a user runs it without a terminal: the plain walk (golden output in both
/// languages), errors with the file named, and exit statuses.
final class InspectCommandTests: XCTestCase {
    /// A QoS 2 exchange typed as hex: PUBLISH "22.5" to casa (id 7), PUBREC, PUBREL, PUBCOMP.
    static let qos2Hex = "34 0c 00 04 63 61 73 61 00 07 32 32 2e 35 50 02 00 07 62 02 00 07 70 02 00 07".split(separator: " ").map(String.init)

    func testPlainWalkOfOnePacketInEnglish() throws {
        let result = try CommandRunner.locate().run(["inspect", "--plain", "--lang", "en", "--packet", "2"] + Self.qos2Hex)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, GOLDEN_EN + "\n")
    }

    func testWithoutATerminalThePlainWalkIsPrintedInSpanish() throws {
        // Standard output is a pipe here: no --plain needed.
        let result = try CommandRunner.locate().run(["inspect", "-V", "5", "90", "04", "00", "01", "00", "02"],
                                                    environment: ["MQTTLAB_LANG": "es"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, GOLDEN_ES + "\n")
    }

    func testEveryPacketOfTheExchangeIsWalkedAndLinked() throws {
        let result = try CommandRunner.locate().run(["inspect", "--plain"] + Self.qos2Hex)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("mqttlab inspect · hex · 4 packets\n"), result.stdout)
        for (number, type) in ["PUBLISH", "PUBREC", "PUBREL", "PUBCOMP"].enumerated() {
            XCTAssertTrue(result.stdout.contains("\n\(number + 1)                              · \(type)"), type)
        }
        let flow = "flow · QoS 2 exchange: [#1 ·PUBLISH]  #2 ·PUBREC  #3 ·PUBREL  #4 ·PUBCOMP"
        XCTAssertTrue(result.stdout.contains(flow), result.stdout)
        XCTAssertTrue(result.stdout.contains("[10/10] payload  bytes 10–13 · 32 32 2e 35"), result.stdout)
    }

    func testFilterPicksPacketsByTypeClientOrTopic() throws {
        let result = try CommandRunner.locate().run(["inspect", "--plain", "--filter", "pubre"] + Self.qos2Hex)
        XCTAssertTrue(result.stdout.hasPrefix("mqttlab inspect · hex · 2 packets\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("· PUBREC ") && result.stdout.contains("· PUBREL "))
        XCTAssertFalse(result.stdout.contains("· PUBCOMP "))
    }

    func testAMalformedPacketIsExplainedOnceAndExitsWithStatus1() throws {
        let result = try CommandRunner.locate().run(["inspect", "--plain", "36", "05", "00", "01", "74", "00", "01"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("✗ malformed at byte 0: QoS 3 does not exist"), result.stdout)
        XCTAssertEqual(result.stdout.components(separatedBy: "[MQTT-3.3.1-4]").count - 1, 1, "the rule once, at its byte")
    }

    func testColorsOnlyWhenAskedAndNeverWithNoColor() throws {
        let runner = try CommandRunner.locate()
        XCTAssertFalse(try runner.run(["inspect", "c0", "00"]).stdout.contains("\u{1B}["), "no colors in a pipe")
        XCTAssertTrue(try runner.run(["inspect", "--color", "always", "c0", "00"]).stdout.contains("\u{1B}["))
    }

    func testBadInputIsAClearErrorNamingTheFile() throws {
        let runner = try CommandRunner.locate()
        let missing = try runner.run(["inspect", "--pcap", "/nonexistent/class.pcap"])
        XCTAssertEqual(missing.status, 66)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/class.pcap"), missing.stderr)
        let typo = try runner.run(["inspect", "clase.pcap"])
        XCTAssertEqual(typo.status, 64)
        XCTAssertTrue(typo.stderr.contains("'clase.pcap' in the arguments is not hexadecimal"), typo.stderr)
        XCTAssertTrue(typo.stderr.contains("no file of that name exists"), typo.stderr)
        let follow = try runner.run(["inspect", "--follow", "c0", "00"])
        XCTAssertEqual(follow.status, 64)
        XCTAssertTrue(follow.stderr.contains("--follow reads a growing broker trace"), follow.stderr)
        let noSuchPacket = try runner.run(["inspect", "--packet", "3", "c0", "00"])
        XCTAssertEqual(noSuchPacket.status, 64)
        XCTAssertTrue(noSuchPacket.stderr.contains("there is no packet 3: the input has 1"), noSuchPacket.stderr)
        let traceMissing = try runner.run(["inspect", "--trace-json", "/nonexistent/t.jsonl"])
        XCTAssertEqual(traceMissing.status, 66)
        XCTAssertTrue(traceMissing.stderr.contains("/nonexistent/t.jsonl"), traceMissing.stderr)
    }

    func testHelpTeachesTheKeysAndTheInputs() throws {
        let help = try CommandRunner.locate().run(["inspect", "--help"])
        XCTAssertEqual(help.status, 0)
        for text in ["→ or n next field", "--trace-json", "--follow", "--plain", "mqttlab inspect class.pcapng", "NO_COLOR"] {
            XCTAssertTrue(help.stdout.contains(text), "help mentions \(text)")
        }
    }
}

private let GOLDEN_EN = """
        mqttlab inspect · hex · 1 packet

        2                              · PUBREC      id 7 · QoS 2, step 1: PUBLISH received
            flow · QoS 2 exchange: #1 ·PUBLISH  [#2 ·PUBREC]  #3 ·PUBREL  #4 ·PUBCOMP
              exactly once: received (PUBREC), release (PUBREL), complete (PUBCOMP)
            MQTT 3.1.1 · 4 bytes · hex: byte 14
            0000  50 02 00 07                                      P...

            [1/5] packet type & flags  byte 0 · 50
                  value: 0x50 PUBREC
                  what it is: high 4 bits: packet type; low 4 bits: flags
                  here: PUBREC
                      0101 0000  0x50
                      0101 ....  packet type     5
                      .... 0000  reserved flags  0

            [2/5] packet type  bits of byte 0 · 0101 ....
                  value: 5
                  what it is: which of the 15 packet types this is
                  here: 5 = PUBREC: QoS 2, step 1: PUBLISH received

            [3/5] reserved flags  bits of byte 0 · .... 0000
                  value: 0
                  what it is: fixed by the standard for this packet type
                  here: must be 0000 for this type

            [4/5] remaining length  byte 1 · 02
                  value: 2
                  what it is: bytes that follow this field (7 bits per byte, up to 4
                              bytes)
                  here: 2 bytes follow (1 byte used to say so)

            [5/5] packet identifier  bytes 2–3 · 00 07
                  value: 7
                  what it is: pairs this packet with its acknowledgement
        """

private let GOLDEN_ES = """
        mqttlab inspect · hex · 1 paquete

        1                              · SUBACK      id 1 · QoS 2 concedida
            MQTT 5.0 · 6 bytes · hex: byte 0
            0000  90 04 00 01 00 02                                ......

            [1/7] tipo y banderas  byte 0 · 90
                  valor: 0x90 SUBACK
                  qué es: 4 bits altos: tipo; 4 bits bajos: banderas
                  aquí: SUBACK
                      1001 0000  0x90
                      1001 ....  tipo de paquete      9
                      .... 0000  banderas reservadas  0

            [2/7] tipo de paquete  bits del byte 0 · 1001 ....
                  valor: 9
                  qué es: cuál de los 15 tipos de paquete es
                  aquí: 9 = SUBACK: el broker responde a un SUBSCRIBE

            [3/7] banderas reservadas  bits del byte 0 · .... 0000
                  valor: 0
                  qué es: fijadas por el estándar para este tipo
                  aquí: debe ser 0000 en este tipo

            [4/7] longitud restante  byte 1 · 04
                  valor: 4
                  qué es: bytes que siguen a este campo (7 bits por byte, hasta 4 bytes)
                  aquí: siguen 4 bytes (dicho en 1 byte)

            [5/7] identificador de paquete  bytes 2–3 · 00 01
                  valor: 1
                  qué es: empareja este paquete con su confirmación

            [6/7] propiedades › longitud de propiedades  byte 4 · 00
                  valor: 0
                  qué es: bytes de propiedades que siguen
                  aquí: 0 bytes de propiedades

            [7/7] código de motivo  byte 5 · 02
                  valor: 0x02
                  qué es: menor que 0x80 éxito, desde 0x80 error
                  aquí: QoS 2 concedida
        """
