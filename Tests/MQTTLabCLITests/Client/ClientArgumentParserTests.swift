@testable import MQTTLabCLI
import MQTTClient
import MQTTCodec
import XCTest

/// How `mqttlab pub|sub|rr` read their arguments, without a broker: the parts of Mosquitto's rules
/// the interop tests do not reach.
final class ClientArgumentParserTests: XCTestCase {
    func testPropertiesTakeAsManyValuesAsTheirTypeNeeds() throws {
        let options = try ClientArgumentParser.parse([
            "-t", "a", "-m", "x", "-V", "5", "-D", "publish", "user-property", "k", "v", "-D", "publish", "message-expiry-interval", "30",
            "-D", "connect", "session-expiry-interval", "60", "-q", "1",
        ], tool: .pub)
        XCTAssertEqual(options.properties[.publish], [.userProperty(name: "k", value: "v"), .messageExpiryInterval(30)])
        XCTAssertEqual(options.qos, .atLeastOnce, "the flag after -D is read as a flag again")
        let configuration = ClientConnection(options: options, language: .en).configuration()
        XCTAssertEqual(configuration.sessionExpiry, 60, "-D connect session-expiry-interval sets the session expiry")
        XCTAssertThrowsError(try ClientArgumentParser.parse(["-t", "a", "-m", "x", "-D", "publish", "session-expiry-interval", "5"], tool: .pub)) { error in
            XCTAssertEqual((error as? ClientUsageError)?.message, "session-expiry-interval property not allowed for publish in --property argument.")
        }
        XCTAssertThrowsError(try ClientArgumentParser.parse(["-t", "a", "-m", "x", "-D", "publish", "user-property", "k"], tool: .pub))
    }

    func testSessionExpiryClientIDPrefixAndURL() throws {
        let persistent = try ClientArgumentParser.parse(["-t", "a", "-c", "-i", "ana", "-V", "mqttv5"], tool: .sub)
        XCTAssertEqual(persistent.sessionExpiry, UInt32.max, "-c alone: the session never expires (5.0)")
        XCTAssertFalse(persistent.cleanSession)
        let forever = try ClientArgumentParser.parse(["-t", "a", "-x", "∞", "-V", "5"], tool: .sub)
        XCTAssertEqual(forever.sessionExpiry, UInt32.max)
        let prefixed = try ClientArgumentParser.parse(["-t", "a", "-I", "aula-"], tool: .sub)
        XCTAssertEqual(prefixed.clientID, "aula-\(getpid())")
        let url = try ClientArgumentParser.parse(["-L", "mqtts://eva:clave@broker.local:8884/casa/luz", "-m", "ON"], tool: .pub)
        XCTAssertEqual(url.host, "broker.local")
        XCTAssertEqual(url.effectivePort, 8884)
        XCTAssertEqual(url.username, "eva")
        XCTAssertEqual(url.password, "clave")
        XCTAssertEqual(url.topics, ["casa/luz"])
        XCTAssertEqual(try ClientArgumentParser.parse(["-t", "a", "--cafile", "ca.pem"], tool: .sub).effectivePort, 8883)
    }

    func testFlagsOfOneToolAreUnknownToTheOthers() {
        for (arguments, tool) in [(["-t", "a", "-v"], ClientTool.pub), (["-t", "a", "-m", "x"], .sub), (["-t", "a", "-r"], .sub)] {
            XCTAssertThrowsError(try ClientArgumentParser.parse(arguments, tool: tool)) { error in
                XCTAssertTrue((error as? ClientUsageError)?.message.hasPrefix("Unknown option") ?? false, "\(arguments) for \(tool)")
            }
        }
        XCTAssertThrowsError(try ClientArgumentParser.parse(["-t", "a", "-e", "b", "-m", "x", "-V", "311"], tool: .rr)) { error in
            XCTAssertTrue((error as? ClientUsageError)?.message.contains("MQTT 5.0") ?? false)
        }
    }

    func testFormatterEscapesAndPrettyJSON() {
        let message = MQTTMessage(topic: "casa/t", payload: Array(#"{"a":[1,2],"b":{"c":null}}"#.utf8), qos: .atLeastOnce, retain: true, packetID: 7)
        let pretty = MessageFormatter(format: "%J", verbose: false, noEOL: true, pretty: true)
        let text = String(decoding: pretty.render(message, at: 0).output, as: UTF8.self)
        XCTAssertTrue(text.hasSuffix("\t\"payload\":\t{\n\t\t\"a\":\t[1, 2],\n\t\t\"b\":\t{\n\t\t\t\"c\":\tnull\n\t\t}\n\t}\n}"), text)
        let escapes = MessageFormatter(format: #"%t\t%q%r\n@@%%"#, verbose: false, noEOL: false, pretty: false)
        XCTAssertEqual(String(decoding: escapes.render(message, at: 0).output, as: UTF8.self), "casa/t\t11\n@%\n")
        let broken = MessageFormatter(format: "%J", verbose: false, noEOL: false, pretty: false)
        let (output, errors) = broken.render(MQTTMessage(topic: "t", payload: Array("no json".utf8), qos: .atMostOnce, retain: false), at: 0)
        XCTAssertEqual(output, [10])
        XCTAssertEqual(errors, ["Message payload is not valid JSON on topic t."])
    }
}
