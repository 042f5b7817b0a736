import Foundation
import MQTTClient
import MQTTCodec
import XCTest

/// `mqttlab rr` next to `mosquitto_rr`, and the client-side trace (`--trace`).
final class RRAndTraceTests: ClientInteropTestCase {
    /// A service that answers every request on `svc/#` on its Response Topic, echoing the Correlation Data.
    private func startResponder(port: Int) async throws -> Task<Void, Never> {
        let client = try await MQTTClient.connect(MQTTClientConfiguration(host: "127.0.0.1", port: port, version: .v5_0, clientID: "responder"))
        _ = try await client.subscribe([.init(filter: "svc/#", qos: .atLeastOnce)])
        return Task {
            while let request = try? await client.nextMessage() {
                guard let responseTopic = request.properties.firstValue({ if case .responseTopic(let topic) = $0 { topic } else { nil } }) else { continue }
                let correlation = request.properties.filter { if case .correlationData = $0 { true } else { false } }
                _ = try? await client.publish(topic: responseTopic, payload: Array("pong:".utf8) + request.payload, qos: .atLeastOnce,
                                              properties: correlation)
            }
            await client.disconnect()
        }
    }

    func testRequestResponseMatchesMosquittoRR() async throws {
        for broker in ClientTestBroker.allCases {
            let port = try start(broker)
            let responder = try await startResponder(port: port)
            defer { responder.cancel() }
            let arguments = ["-p", "\(port)", "-t", "svc/time", "-e", "reply/ana", "-m", "ping", "-v", "-W", "5",
                             "-D", "publish", "correlation-data", "42"]
            let ours = try lab(["rr"] + arguments)
            let theirs = try mosquitto("mosquitto_rr", arguments)
            XCTAssertEqual(theirs.stdoutText, "reply/ana pong:ping\n")
            XCTAssertEqual(ours.stdoutText, theirs.stdoutText, "\(broker)")
            XCTAssertEqual(ours.status, 0)
            // Nobody answers on another service: -W ends it with status 27, like mosquitto_rr.
            let silent = try lab(["rr", "-p", "\(port)", "-t", "nobody/here", "-e", "reply/none", "-m", "x", "-W", "1"])
            XCTAssertEqual(silent.status, 27)
        }
    }

    func testTraceShowsEveryPacketExplainedInBothLanguages() throws {
        let port = try start(.mosquitto, extraConfig: ["max_qos 1"])
        let english = try lab(["pub", "-p", "\(port)", "-t", "casa/luz", "-m", "ON", "-q", "1", "-i", "ana", "--trace", "summary", "--lang", "en"])
        XCTAssertEqual(english.status, 0, english.stderr)
        let lines = english.stdoutText.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5, english.stdoutText)
        let expected = [
            #"ana +→ CONNECT +v3\.1\.1 · client id "ana" · clean session \(clean 1\) · keep alive 60 s$"#,
            #"ana +← CONNACK +accepted · no earlier session$"#,
            #"ana +→ PUBLISH +casa/luz · "ON" · QoS 1 · id 1$"#,
            #"ana +← PUBACK +id 1 · the broker now owns the message$"#,
            #"ana +→ DISCONNECT"#,
        ]
        for (line, pattern) in zip(lines, expected) {
            XCTAssertNotNil(line.range(of: #"^\d\d:\d\d:\d\d\.\d{3}  "# + pattern, options: .regularExpression), line)
        }
        // The SUBACK that grants less than asked is explained (the broker here allows QoS 1 at most).
        let spanish = try lab(["sub", "-p", "\(port)", "-t", "casa/#", "-q", "2", "-i", "eva", "-E", "-V", "5", "--trace", "summary", "--lang", "es"])
        XCTAssertEqual(spanish.status, 0, spanish.stderr)
        XCTAssertTrue(spanish.stdoutText.contains("SUBACK      id 1 · QoS 1 concedida"), spanish.stdoutText)
        XCTAssertTrue(spanish.stdoutText.contains("eva pidió QoS 2 en casa/#: se concede QoS 1"), spanish.stdoutText)
        // The fields view is the codec's dissection, as in mqttlab decode.
        let fields = try lab(["pub", "-p", "\(port)", "-t", "t", "-m", "x", "-u", "u", "-P", "secret", "--trace", "fields", "--lang", "en"])
        XCTAssertTrue(fields.stdoutText.contains("mqtt") || fields.stdoutText.contains("packet type"), fields.stdoutText)
        XCTAssertTrue(fields.stdoutText.contains("keep alive"), fields.stdoutText)
        XCTAssertFalse(fields.stdoutText.contains("\"secret\""), "the password is masked in the trace")
        XCTAssertFalse(fields.stdoutText.contains("73 65 63 72 65 74"), "its bytes too")
        XCTAssertTrue(fields.stdoutText.contains("a trace never shows the password"), fields.stdoutText)
    }
}
