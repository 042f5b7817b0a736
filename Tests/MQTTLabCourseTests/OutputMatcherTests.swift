import XCTest
@testable import MQTTLabCourse

/// The matching rule of ```output blocks, and the port rule of the lesson-commands runner.
final class OutputMatcherTests: XCTestCase {
    func testLinesInOrderWithOthersBetween() {
        let actual = "banner\ncasa/luz ON\nnoise\ncasa/luz OFF   \n"
        XCTAssertNil(OutputMatcher.mismatch(expected: ["casa/luz ON", "", "casa/luz OFF"], actual: actual))
        XCTAssertEqual(OutputMatcher.mismatch(expected: ["casa/luz OFF", "casa/luz ON"], actual: actual),
                       OutputMatcher.Mismatch(index: 1, expected: "casa/luz ON", matched: 1))
        XCTAssertNotNil(OutputMatcher.mismatch(expected: ["casa/luz"], actual: actual), "a whole line, not a part of one")
    }

    func testEllipsisMatchesAnyTextInsideALine() {
        XCTAssertTrue(OutputMatcher.lineMatches(pattern: "...  ana → CONNECT ...", line: "12:01:41.248  ana → CONNECT v3.1.1"))
        XCTAssertTrue(OutputMatcher.lineMatches(pattern: "a...b...c", line: "abc"))
        XCTAssertTrue(OutputMatcher.lineMatches(pattern: "id: ...", line: "id: 42"))
        XCTAssertFalse(OutputMatcher.lineMatches(pattern: "a...b...c", line: "acb"))
        XCTAssertFalse(OutputMatcher.lineMatches(pattern: "ab...ba", line: "aba"), "prefix and suffix may not overlap")
        XCTAssertNil(OutputMatcher.mismatch(expected: ["green"], actual: "\u{1B}[32mgreen\u{1B}[0m"), "color codes are ignored")
    }

    func testPortInjection() {
        XCTAssertEqual(LessonCommandPort.inject(port: 4242, into: "mqttlab broker --trace fields", kind: .broker), "mqttlab broker --trace fields -p 4242")
        XCTAssertEqual(LessonCommandPort.inject(port: 4242, into: "mqttlab pub -t casa/luz -m ON", kind: .finishes), "mqttlab pub -p 4242 -t casa/luz -m ON")
        XCTAssertEqual(LessonCommandPort.inject(port: 4242, into: "mqttlab sub -t 'casa/#' -v", kind: .background(name: "s")), "mqttlab sub -p 4242 -t 'casa/#' -v")
        XCTAssertEqual(LessonCommandPort.inject(port: 4242, into: "mosquitto_pub -t a -m 1", kind: .finishes), "mosquitto_pub -p 4242 -t a -m 1")
        XCTAssertEqual(LessonCommandPort.inject(port: 4242, into: "mqttlab decode 30 00", kind: .finishes), "mqttlab decode 30 00")
        XCTAssertEqual(LessonCommandPort.inject(port: 4242, into: "mqttlab rr", kind: .finishes), "mqttlab rr -p 4242")
    }

    func testTheTLSPortBecomesASecondFreePort() {
        XCTAssertEqual(LessonCommandPort.inject(port: 4242, tlsPort: 5353, into: "mqttlab broker --tls-port 8883 --certfile c", kind: .broker),
                       "mqttlab broker --tls-port 5353 --certfile c -p 4242")
        // A client of the TLS listener keeps its own -p, now the second port.
        XCTAssertEqual(LessonCommandPort.inject(port: 4242, tlsPort: 5353, into: "mqttlab pub -h localhost -p 8883 --cafile ca.crt -m 1", kind: .finishes),
                       "mqttlab pub -h localhost -p 5353 --cafile ca.crt -m 1")
        XCTAssertEqual(LessonCommandPort.inject(port: 4242, tlsPort: 5353, into: "openssl s_client -connect localhost:8883", kind: .finishes),
                       "openssl s_client -connect localhost:5353")
        // Only 8883 as a number of its own: a topic or a longer number stays.
        XCTAssertEqual(LessonCommandPort.inject(port: 4242, tlsPort: 5353, into: "mqttlab pub -t casa/88830 -m 18883", kind: .finishes),
                       "mqttlab pub -p 4242 -t casa/88830 -m 18883")
    }
}
