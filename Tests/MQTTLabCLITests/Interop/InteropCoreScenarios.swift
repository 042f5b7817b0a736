import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scenarios both protocol versions run (MQTT 3.1.1 and 5.0 with the same clients and flags).
/// Each one drives a private broker with mosquitto_pub/sub and then compares mqttlab with tshark.
extension InteropTestCase {
    static let handshake = ["CONNECT", "CONNACK", "DISCONNECT"]

    /// A subscriber receives one message published at `qos`.
    func runPublishScenario(_ version: InteropMQTTVersion, qos: Int) throws {
        let flow: [String]
        switch qos {
        case 1: flow = ["PUBACK"]
        case 2: flow = ["PUBREC", "PUBREL", "PUBCOMP"]
        default: flow = []
        }
        try runInteropScenario(version, expectedTypes: Self.handshake + ["SUBSCRIBE", "SUBACK", "PUBLISH"] + flow) { scenario in
            let subscriber = try scenario.clients.startSub(["-t", "lab/#", "-q", "2", "-C", "1", "-W", "8", "-v", "-i", "sub-q\(qos)"])
            try scenario.waitForSubscription("sub-q\(qos)")
            try scenario.clients.pub(["-t", "lab/q\(qos)", "-m", "hello qos \(qos)", "-q", String(qos), "-i", "pub-q\(qos)"])
            try scenario.clients.waitForExit(subscriber)
        }
    }

    /// A retained message is set, delivered to a late subscriber, then cleared with an empty retained publish.
    func runRetainedScenario(_ version: InteropMQTTVersion) throws {
        try runInteropScenario(version, expectedTypes: Self.handshake + ["PUBLISH", "PUBACK", "SUBSCRIBE", "SUBACK"]) { scenario in
            try scenario.clients.pub(["-t", "lab/ret", "-m", "kept", "-r", "-q", "1", "-i", "ret-set"])
            try scenario.clients.sub(["-t", "lab/ret", "-C", "1", "-W", "5", "-i", "ret-get"])
            try scenario.clients.pub(["-t", "lab/ret", "-n", "-r", "-i", "ret-clear"])
            // The empty retained message may be forwarded to no one; this late subscriber must get nothing.
            try scenario.clients.sub(["-t", "lab/ret", "-E", "-i", "ret-none"])
        }
    }

    /// A client with a will (QoS 1, retained) dies; a watcher receives the will; the retained will is cleared.
    func runWillScenario(_ version: InteropMQTTVersion) throws {
        try runInteropScenario(version, expectedTypes: Self.handshake + ["SUBSCRIBE", "SUBACK", "PUBLISH", "PUBACK"]) { scenario in
            let watcher = try scenario.clients.startSub(["-t", "lab/will", "-q", "1", "-C", "1", "-W", "8", "-v", "-i", "will-watch"])
            try scenario.waitForSubscription("will-watch")
            let doomed = try scenario.clients.startSub([
                "-t", "lab/alive", "-i", "willer", "-k", "60",
                "--will-topic", "lab/will", "--will-payload", "gone", "--will-qos", "1", "--will-retain",
            ])
            try scenario.waitForSubscription("willer")
            doomed.stop(signal: SIGKILL, grace: 2)  // no DISCONNECT: the broker must publish the will
            try scenario.clients.waitForExit(watcher)
            try scenario.clients.pub(["-t", "lab/will", "-n", "-r", "-i", "will-clear"])
        }
    }

    /// Username and password: accepted, wrong password, and no credentials (refused by CONNACK).
    func runCredentialsScenario(_ version: InteropMQTTVersion) throws {
        try runInteropScenario(version, users: ["alice": "secret"], expectedTypes: Self.handshake + ["PUBLISH", "PUBACK"]) { scenario in
            try scenario.clients.pub(["-t", "auth/ok", "-m", "ok", "-q", "1", "-u", "alice", "-P", "secret", "-i", "good"])
            try scenario.clients.pub(["-t", "auth/no", "-m", "no", "-u", "alice", "-P", "wrong", "-i", "bad"], expectFailure: true)
            try scenario.clients.pub(["-t", "auth/no", "-m", "no", "-i", "anonymous"], expectFailure: true)
            // Will + username + password in one CONNECT (all connect flags set but reserved).
            try scenario.clients.sub([
                "-t", "auth/w", "-u", "alice", "-P", "secret", "-i", "full-flags", "-E",
                "--will-topic", "auth/will", "--will-payload", "x", "--will-qos", "2", "--will-retain",
            ])
        }
    }

    /// A persistent session queues a QoS 1 message while its client is offline and delivers it on reconnect
    /// (CONNACK session present = 1).
    func runPersistentSessionScenario(_ version: InteropMQTTVersion) throws {
        try runInteropScenario(version, expectedTypes: Self.handshake + ["SUBSCRIBE", "SUBACK", "PUBLISH", "PUBACK"]) { scenario in
            try scenario.clients.sub(["-t", "lab/p", "-q", "1", "-c", "-i", "persistent", "-E"])
            try scenario.clients.pub(["-t", "lab/p", "-m", "queued while offline", "-q", "1", "-i", "pub-offline"])
            try scenario.clients.sub(["-t", "lab/p", "-q", "1", "-c", "-i", "persistent", "-C", "1", "-W", "5"])
        }
    }

    /// Subscribe to two filters, then unsubscribe from both.
    func runUnsubscribeScenario(_ version: InteropMQTTVersion) throws {
        try runInteropScenario(version, expectedTypes: ["CONNECT", "CONNACK", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK"]) { scenario in
            try scenario.clients.sub(["-t", "lab/u", "-t", "lab/u2/#", "-q", "1", "-U", "lab/u", "-U", "lab/u2/#", "-i", "unsub", "-E"])
        }
    }
}
