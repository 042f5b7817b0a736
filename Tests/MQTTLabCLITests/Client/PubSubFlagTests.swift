import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The flag families of `mqttlab pub` and `mqttlab sub`, each run against Mosquitto and mqttlab's own
/// broker, in 3.1.1 and 5.0, with Mosquitto's clients on the other end.
final class PubSubFlagTests: ClientInteropTestCase {
    private func base(_ port: Int, _ v5: Bool) -> [String] { ["-p", "\(port)"] + Self.versionFlag(v5) }

    func testEveryMessageSourceAndQoSReachesMosquittoSub() throws {
        for broker in ClientTestBroker.allCases {
            for v5 in [false, true] {
                let port = try start(broker)
                let sub = try backgroundSubscriber(try tool("mosquitto_sub"), base(port, v5) + ["-t", "src/#", "-q", "2", "-v", "-C", "9"])
                let file = try directory().appendingPathComponent("message.txt")
                try "from a file".write(to: file, atomically: true, encoding: .utf8)
                for (arguments, stdin) in [
                    (["-t", "src/m", "-m", "qos0"], nil),
                    (["-t", "src/m", "-m", "qos1", "-q", "1"], nil),
                    (["-t", "src/m", "-m", "qos2", "-q", "2"], nil),
                    (["-t", "src/f", "-f", file.path, "-q", "1"], nil),
                    (["-t", "src/n", "-n"], nil),
                    (["-t", "src/s", "-s"], "all of\nstdin"),
                    (["-t", "src/l", "-l", "-q", "1"], "line one\nline two\n"),
                    (["-t", "src/r", "-m", "again", "--repeat", "1"], nil),
                ] as [([String], String?)] {
                    let outcome = try lab(["pub"] + base(port, v5) + arguments, stdin: stdin)
                    XCTAssertEqual(outcome.status, 0, "\(broker) v5=\(v5) pub \(arguments): \(outcome.stderr)")
                }
                XCTAssertTrue(sub.waitForExit(timeout: 10), "\(broker) v5=\(v5): mosquitto_sub did not get 9 messages:\n\(sub.stdout)")
                XCTAssertEqual(Self.messageOutput(sub), """
                    src/m qos0
                    src/m qos1
                    src/m qos2
                    src/f from a file
                    src/n (null)
                    src/s all of
                    stdin
                    src/l line one
                    src/l line two
                    src/r again

                    """, "\(broker) v5=\(v5)")
            }
        }
    }

    func testRetainedMessagesRetainedOnlyRemoveRetainedAndSkip() throws {
        for broker in ClientTestBroker.allCases {
            for v5 in [false, true] {
                let port = try start(broker)
                for (topic, payload) in [("ret/a", "A"), ("ret/b", "B")] {
                    XCTAssertEqual(try lab(["pub"] + base(port, v5) + ["-t", topic, "-m", payload, "-r", "-q", "1"]).status, 0)
                }
                // A new subscriber gets both retained messages, flagged r1.
                let first = try lab(["sub"] + base(port, v5) + ["-t", "ret/#", "-C", "2", "-F", "%t %p %r"])
                XCTAssertEqual(first.status, 0)
                XCTAssertEqual(first.stdoutText.split(separator: "\n").sorted(), ["ret/a A 1", "ret/b B 1"], "\(broker) v5=\(v5)")
                // -R skips them: nothing is printed before -W ends it (exit 27, like mosquitto_sub).
                let skipped = try lab(["sub"] + base(port, v5) + ["-t", "ret/#", "-R", "-W", "1"])
                let reference = try mosquitto("mosquitto_sub", base(port, v5) + ["-t", "ret/#", "-R", "-W", "1"])
                XCTAssertEqual(skipped.status, 27)
                XCTAssertEqual(skipped.status, reference.status)
                XCTAssertEqual(skipped.stdoutText, "")
                XCTAssertEqual(skipped.stderr, reference.stderr, "the timeout message")
                // --retained-only with --remove-retained prints and clears them, then stops at -W.
                let cleared = try lab(["sub"] + base(port, v5) + ["-t", "ret/#", "--retained-only", "--remove-retained", "-v", "-W", "2"])
                XCTAssertEqual(cleared.stdoutText.split(separator: "\n").sorted(), ["ret/a A", "ret/b B"])
                let after = try lab(["sub"] + base(port, v5) + ["-t", "ret/#", "-W", "1"])
                XCTAssertEqual(after.stdoutText, "", "\(broker) v5=\(v5): the retained messages were cleared")
            }
        }
    }

    func testCountTimeoutFilterOutAndExitAfterSubscribe() throws {
        for broker in ClientTestBroker.allCases {
            let port = try start(broker)
            // -E exits once subscribed, like mosquitto_sub.
            let subscribed = try lab(["sub", "-p", "\(port)", "-t", "e/#", "-E"])
            XCTAssertEqual(subscribed.status, 0)
            XCTAssertEqual(subscribed.status, try mosquitto("mosquitto_sub", ["-p", "\(port)", "-t", "e/#", "-E"]).status)
            // -T hides a topic, -C counts only printed messages.
            let sub = try backgroundSubscriber(try mqttlab(), ["sub", "-p", "\(port)", "-t", "c/#", "-T", "c/hidden", "-C", "2", "-v"])
            for topic in ["c/one", "c/hidden", "c/two", "c/three"] {
                XCTAssertEqual(try mosquitto("mosquitto_pub", ["-p", "\(port)", "-t", topic, "-m", "x"]).status, 0)
            }
            XCTAssertTrue(sub.waitForExit(timeout: 10))
            XCTAssertEqual(sub.exitStatus, 0)
            XCTAssertEqual(Self.messageOutput(sub), "c/one x\nc/two x\n", "\(broker)")
            // -W without a message: "Timed out" and status 27, as mosquitto_sub.
            let timeout = try lab(["sub", "-p", "\(port)", "-t", "nothing", "-W", "1"])
            XCTAssertEqual(timeout.status, 27)
            XCTAssertEqual(timeout.stderr, "Timed out\n")
        }
    }

    func testPersistentSessionReceivesMessagesQueuedWhileOffline() throws {
        for broker in ClientTestBroker.allCases {
            for v5 in [false, true] {
                let port = try start(broker)
                let id = "durable-\(v5 ? 5 : 3)"
                // The first run creates the persistent session and its subscription, then leaves.
                XCTAssertEqual(try lab(["sub"] + base(port, v5) + ["-t", "q/#", "-q", "1", "-c", "-i", id, "-E"]).status, 0)
                for index in 1...3 {
                    XCTAssertEqual(try mosquitto("mosquitto_pub", base(port, v5) + ["-t", "q/\(index)", "-m", "m\(index)", "-q", "1"]).status, 0)
                }
                // Back online: the three messages queued while it was away arrive, in order.
                let again = try lab(["sub"] + base(port, v5) + ["-t", "q/#", "-q", "1", "-c", "-i", id, "-C", "3", "-v"])
                XCTAssertEqual(again.status, 0, again.stderr)
                XCTAssertEqual(again.stdoutText, "q/1 m1\nq/2 m2\nq/3 m3\n", "\(broker) v5=\(v5)")
                // Without -c (a clean session) nothing waits.
                XCTAssertEqual(try lab(["sub"] + base(port, v5) + ["-t", "q/#", "-q", "1", "-i", id, "-E"]).status, 0)
                XCTAssertEqual(try mosquitto("mosquitto_pub", base(port, v5) + ["-t", "q/4", "-m", "m4", "-q", "1"]).status, 0)
                let clean = try lab(["sub"] + base(port, v5) + ["-t", "q/#", "-q", "1", "-i", id, "-W", "1"])
                XCTAssertEqual(clean.stdoutText, "")
            }
        }
    }

    func testWillIsPublishedWhenTheClientDies() throws {
        for broker in ClientTestBroker.allCases {
            for v5 in [false, true] {
                let port = try start(broker)
                let watcher = try backgroundSubscriber(try tool("mosquitto_sub"), base(port, v5) + ["-t", "status/#", "-v", "-C", "1"])
                let mortal = try backgroundSubscriber(try mqttlab(), ["sub"] + base(port, v5) + [
                    "-t", "x", "-i", "mortal", "--will-topic", "status/mortal", "--will-payload", "gone", "--will-qos", "1",
                ])
                // Ctrl+C (and SIGTERM) end the subscriber with a DISCONNECT, as mosquitto_sub: no will.
                let polite = try backgroundSubscriber(try mqttlab(), ["sub"] + base(port, v5) + [
                    "-t", "x", "-i", "polite", "--will-topic", "status/polite", "--will-payload", "gone",
                ])
                kill(polite.pid, SIGINT)
                XCTAssertTrue(polite.waitForExit(timeout: 5))
                XCTAssertEqual(polite.exitStatus, 0, "Ctrl+C ends mqttlab sub normally")
                XCTAssertTrue(polite.stdout.contains("sending DISCONNECT"), polite.stdout)
                // A crash (SIGKILL) leaves no time for a DISCONNECT: the broker publishes the will.
                kill(mortal.pid, SIGKILL)
                XCTAssertTrue(watcher.waitForExit(timeout: 10), "\(broker) v5=\(v5): no will")
                XCTAssertEqual(Self.messageOutput(watcher), "status/mortal gone\n", "only the killed client's will")
            }
        }
    }

    func testV5PropertiesFromDashDReachMosquittoSub() throws {
        for broker in ClientTestBroker.allCases {
            let port = try start(broker)
            let sub = try backgroundSubscriber(try tool("mosquitto_sub"), ["-p", "\(port)", "-V", "5", "-t", "p", "-C", "1", "-F", "%P|%C|%R|%D|%E"])
            let outcome = try lab(["pub", "-p", "\(port)", "-V", "5", "-t", "p", "-m", "x",
                                   "-D", "publish", "user-property", "sala", "3", "-D", "publish", "content-type", "text/plain",
                                   "-D", "publish", "response-topic", "r/1", "-D", "publish", "correlation-data", "abc",
                                   "-D", "publish", "message-expiry-interval", "60"])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            XCTAssertTrue(sub.waitForExit(timeout: 10))
            let line = Self.messageOutput(sub)
            XCTAssertTrue(line.hasPrefix("sala:3|text/plain|r/1|abc|"), "\(broker): \(line)")
        }
    }

    func testUnsubscribeRemovesAPersistentSubscriptionAndMQTT31Works() throws {
        for broker in ClientTestBroker.allCases {
            let port = try start(broker)
            XCTAssertEqual(try lab(["sub", "-p", "\(port)", "-t", "u/#", "-q", "1", "-c", "-i", "forget", "-E"]).status, 0)
            // -U after the subscription: the session keeps no subscription to u/# any more.
            XCTAssertEqual(try lab(["sub", "-p", "\(port)", "-t", "other", "-U", "u/#", "-c", "-i", "forget", "-E"]).status, 0)
            XCTAssertEqual(try mosquitto("mosquitto_pub", ["-p", "\(port)", "-t", "u/x", "-m", "lost", "-q", "1"]).status, 0)
            let again = try lab(["sub", "-p", "\(port)", "-t", "other", "-c", "-i", "forget", "-W", "1"])
            XCTAssertEqual(again.stdoutText, "", "\(broker): nothing was queued for u/#")
            // MQTT 3.1 (protocol name MQIsdp) still works with both brokers.
            let sub = try backgroundSubscriber(try mqttlab(), ["sub", "-p", "\(port)", "-V", "mqttv31", "-i", "old-sub", "-t", "v31", "-C", "1", "-v"])
            XCTAssertEqual(try lab(["pub", "-p", "\(port)", "-V", "mqttv31", "-i", "old-pub", "-t", "v31", "-m", "hola"]).status, 0)
            XCTAssertTrue(sub.waitForExit(timeout: 10))
            XCTAssertEqual(Self.messageOutput(sub), "v31 hola\n", "\(broker)")
        }
    }

    func testKeepAliveSendsPINGREQWhenIdle() throws {
        for broker in ClientTestBroker.allCases {
            let port = try start(broker)
            // Idle for 5 s with -k 5: one PINGREQ, answered, and the connection stays up until -W.
            let outcome = try lab(["sub", "-p", "\(port)", "-t", "idle", "-k", "5", "-d", "-W", "7", "-i", "idle"], timeout: 20)
            XCTAssertEqual(outcome.status, 27)
            XCTAssertTrue(outcome.stdoutText.contains("Client idle sending PINGREQ\nClient idle received PINGRESP"), "\(broker): \(outcome.stdoutText)")
        }
    }

    /// `pub -l` waiting for the next line of a terminal (stdin still open) ends at Ctrl+C, as mosquitto_pub
    /// does; before the fix it stayed blocked in the read until the next line or end of input.
    func testCtrlCEndsPubLinesWhileItWaitsForInput() throws {
        let port = try start(.mosquitto)
        let sub = try backgroundSubscriber(try tool("mosquitto_sub"), ["-p", "\(port)", "-t", "lines", "-C", "1"])
        let input = Pipe()
        defer { try? input.fileHandleForWriting.close() }
        let pub = try InteropProcess(try mqttlab(), ["pub", "-p", "\(port)", "-t", "lines", "-l", "-d"], label: label("pub-l"),
                                     directory: try directory(), standardInput: input.fileHandleForReading)
        ownBackground(pub)
        input.fileHandleForWriting.write(Data("first line\n".utf8))
        XCTAssertTrue(sub.waitForExit(timeout: 10), "the first line arrives")
        XCTAssertEqual(Self.messageOutput(sub), "first line\n")
        kill(pub.pid, SIGINT)
        XCTAssertTrue(pub.waitForExit(timeout: 5), "Ctrl+C must end pub -l while stdin is open and quiet")
        XCTAssertEqual(pub.exitStatus, 0, pub.stderr)
        XCTAssertEqual(pub.stdout.components(separatedBy: "sending DISCONNECT").count - 1, 1, "one DISCONNECT, written before the end:\n\(pub.stdout)")
    }
}
