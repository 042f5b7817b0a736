import XCTest

/// Self-tests of the interop harness (parser, oracle flattening, normalization, diff). No external tools needed.
final class InteropHarnessTests: XCTestCase {
    func testParserKeepsDuplicateKeysInOrderAndBooleansApartFromNumbers() throws {
        let json = try InteropJSONParser.parse(#"{"a":"1","b":{"x":true,"y":1},"a":"2","s":"ca\u00f1\u00f3n \ud83d\ude00","n":null}"#)
        XCTAssertEqual(json.members(named: "a"), [.string("1"), .string("2")])
        XCTAssertEqual(json["b"]?["x"], .bool(true))
        XCTAssertEqual(json["b"]?["y"], .number("1"))
        XCTAssertEqual(json["s"], .string("cañón 😀"))
        XCTAssertEqual(json["n"], .null)
        XCTAssertThrowsError(try InteropJSONParser.parse(#"{"a":}"#))
    }

    /// Two MQTT PDUs in one frame are two duplicate `"mqtt"` members; `_ws.malformed` marks the PDU before it.
    func testOracleSplitsDuplicateMQTTLayersAndFlattensSubtrees() throws {
        let json = """
        [{"_source":{"layers":{
          "frame":{"frame.number":"7"},"tcp":{"tcp.stream":"3"},
          "mqtt":{"mqtt.hdrflags":"0x82","mqtt.hdrflags_tree":{"mqtt.msgtype":"8","mqtt.hdr_reserved":"2"},"mqtt.len":"16",
                  "mqtt.msgid":"7","mqtt.properties":{"mqtt.property_len":"2","mqtt.property_id":"0x0b","mqtt.prop_number":"5"},
                  "mqtt.topic_len":"5","mqtt.topic":"raw/#","mqtt.subscription_options":"0x2d",
                  "mqtt.subscription_options_tree":{"mqtt.subscription_options_nl":"1"}},
          "mqtt":{"mqtt.hdrflags":"0x00","mqtt.hdrflags_tree":{"mqtt.msgtype":"0"},"mqtt.len":"0",
                  "mqtt.prop_string":"","mqtt.prop_string_tree":{"_ws.expert":{"_ws.expert.message":"x"}}},
          "_ws.malformed":{"_ws.malformed":"Malformed Packet"}}}}]
        """
        let pdus = try TsharkOracle.pdus(fromJSON: Data(json.utf8))
        XCTAssertEqual(pdus.count, 2)
        XCTAssertEqual(pdus.map(\.frame), [7, 7])
        XCTAssertEqual(pdus.map(\.indexInFrame), [0, 1])
        XCTAssertEqual(pdus[0].tcpStream, 3)
        XCTAssertEqual(pdus[0].typeName, "SUBSCRIBE")
        XCTAssertEqual(pdus[0].leaves.map(\.key), [
            "mqtt.hdrflags", "mqtt.msgtype", "mqtt.hdr_reserved", "mqtt.len", "mqtt.msgid", "mqtt.property_len",
            "mqtt.property_id", "mqtt.prop_number", "mqtt.topic_len", "mqtt.topic", "mqtt.subscription_options",
            "mqtt.subscription_options_nl",
        ])
        XCTAssertFalse(pdus[0].malformed)
        XCTAssertTrue(pdus[1].malformed)
        XCTAssertEqual(pdus[1].leaves.map(\.key), ["mqtt.hdrflags", "mqtt.msgtype", "mqtt.len", "mqtt.prop_string"])
    }

    func testNormalizationFollowsTsharkFieldTypes() {
        typealias C = InteropFieldComparison
        XCTAssertEqual(C.judge(key: "mqtt.hdrflags", tsharkText: "0x30", fieldType: "FT_UINT8", ours: .number("48")), .match)
        XCTAssertEqual(C.judge(key: "mqtt.len", tsharkText: "522", fieldType: "FT_UINT64", ours: .number("522")), .match)
        XCTAssertEqual(C.judge(key: "mqtt.prop_number", tsharkText: "4294967295", fieldType: "FT_UINT32", ours: .number("4294967295")), .match)
        XCTAssertNotEqual(C.judge(key: "mqtt.hdrflags", tsharkText: "0x30", fieldType: "FT_UINT8", ours: .string("0x30")), .match)
        XCTAssertEqual(C.judge(key: "mqtt.retain", tsharkText: "1", fieldType: "FT_BOOLEAN", ours: .bool(true)), .match)
        XCTAssertEqual(C.judge(key: "mqtt.retain", tsharkText: "False", fieldType: "FT_BOOLEAN", ours: .bool(false)), .match)
        XCTAssertNotEqual(C.judge(key: "mqtt.retain", tsharkText: "1", fieldType: "FT_BOOLEAN", ours: .number("1")), .match)
        XCTAssertEqual(C.judge(key: "mqtt.msg", tsharkText: "68:65:6c", fieldType: "FT_BYTES", ours: .string("68656c")), .match)
        XCTAssertEqual(C.judge(key: "mqtt.msg", tsharkText: "", fieldType: "FT_BYTES", ours: .string("")), .match)
        XCTAssertNotEqual(C.judge(key: "mqtt.msg", tsharkText: "68:65", fieldType: "FT_BYTES", ours: .string("he")), .match)
        XCTAssertEqual(C.judge(key: "mqtt.topic", tsharkText: "Casa/Cocina", fieldType: "FT_STRING", ours: .string("Casa/Cocina")), .match)
        XCTAssertEqual(C.judge(key: "mqtt.property.content_type", tsharkText: "text/plain", fieldType: "FT_UINT_STRING",
                               ours: .string("text/plain")), .match)
        // Binary data tshark shows as text: hex compared through UTF-8; NUL / invalid UTF-8 ignored (quirk 2).
        XCTAssertEqual(C.judge(key: "mqtt.prop_string", tsharkText: "abc123", fieldType: "FT_STRING", ours: .string("616263313233")), .match)
        XCTAssertEqual(C.judge(key: "mqtt.passwd", tsharkText: "secret", fieldType: "FT_STRING", ours: .string("736563726574")), .match)
        if case .ignored = C.judge(key: "mqtt.prop_string", tsharkText: "", fieldType: "FT_STRING", ours: .string("00ff01")) {} else {
            XCTFail("NUL-containing correlation data must be ignored")
        }
        XCTAssertNotEqual(C.judge(key: "mqtt.topic", tsharkText: "abc", fieldType: "FT_STRING", ours: .string("616263")), .match)
    }

    func testComparisonPairsByFrameAndOccurrenceAndReportsDifferences() throws {
        let tshark = [TsharkPDU(frame: 4, indexInFrame: 0, tcpStream: 0, leaves: [
            .init(key: "mqtt.hdrflags", text: "0x32"), .init(key: "mqtt.msgtype", text: "3"), .init(key: "mqtt.dupflag", text: "0"),
            .init(key: "mqtt.property_id", text: "0x26"), .init(key: "mqtt.prop_key", text: "k"),
            .init(key: "mqtt.property_id", text: "0x02"), .init(key: "mqtt.prop_number", text: "60"),
            .init(key: "mqtt.msg", text: "62:69:6e"),
        ])]
        let line = #"{"packet":1,"frame":4,"type":"PUBLISH","error":null,"fields":[{"key":"mqtt.hdrflags","value":50,"children":["#
            + #"{"key":"mqtt.msgtype","value":3,"children":[]},{"key":"mqtt.dupflag","value":false,"children":[]}]},"#
            + #"{"key":"mqtt.properties","value":null,"children":[{"key":"mqtt.property_id","value":38,"children":["#
            + #"{"key":"mqtt.prop_key","value":"k","children":[]}]},{"key":"mqtt.property_id","value":2,"children":["#
            + #"{"key":"mqtt.prop_number","value":61,"children":[]}]}]},{"key":"mqtt.msg","value":"62696e","children":[]},"#
            + #"{"key":"mqttlab.extra","value":"fine","children":[]}]}"#
        let ours = try MQTTLabDecodeRunner.packets(fromJSONLines: line + "\n")
        let types = ["mqtt.hdrflags": "FT_UINT8", "mqtt.msgtype": "FT_UINT8", "mqtt.dupflag": "FT_BOOLEAN", "mqtt.property_id": "FT_UINT8",
                     "mqtt.prop_key": "FT_STRING", "mqtt.prop_number": "FT_UINT32", "mqtt.msg": "FT_BYTES"]
        let report = InteropFieldComparison(fieldTypes: types).compare(tshark: tshark, mqttlab: ours)
        XCTAssertEqual(report.comparedFields, 8)
        XCTAssertEqual(report.issues.count, 1, report.render())
        XCTAssertEqual(report.issues.first?.key, "mqtt.prop_number")
        XCTAssertTrue(report.render().contains(#"tshark="60" → expected 60  mqttlab=61"#), report.render())

        let missing = InteropFieldComparison(fieldTypes: types).compare(tshark: tshark, mqttlab: [])
        XCTAssertEqual(missing.issues.count, 2, missing.render())  // packet count + missing packet
    }
}
