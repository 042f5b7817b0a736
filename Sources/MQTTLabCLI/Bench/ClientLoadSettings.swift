import MQTTClient
import MQTTCodec

/// What `mqttlab bench` (the client load generator) is asked to do.
struct ClientLoadSettings: Sendable {
    var host = "localhost"
    var port = 1883
    var version: ProtocolVersion = .v3_1_1
    var tls: MQTTClientTLS?
    var username: String?
    var password: String?
    var publishers = 1
    var subscribers = 1
    var qos: QoS = .atMostOnce
    var payloadSize = 64
    /// `%i` becomes the publisher's number, `%r` this run's id; subscribers use the pattern with `%i` as
    /// `+`. The default has `%r`, so two runs against one broker never receive each other's messages.
    var topic = "mqttlab/bench/%r/%i"
    /// A random id for this run: in the client ids and in `%r`.
    var runID = String(UInt32.random(in: 0...UInt32.max), radix: 36)
    /// Messages per publisher (nil with `duration`).
    var count: Int? = 1000
    var duration: Double?
    /// Messages per second per publisher; nil: as fast as the in-flight window allows.
    var rate: Double?
    var inflight = 100
    /// Closed loop: publishers wait while more than this many messages are published but not yet
    /// delivered to each subscriber. The default, 20, is Mosquitto's in-flight window: with more queued
    /// for an online QoS 2 subscriber, Mosquitto 2.0.11 left the surplus undelivered (mosquitto_sub
    /// shows the same), and every broker drops beyond its queue limit. What is lost is then the broker's
    /// doing, not the generator's. 0 turns it off (open loop).
    var window = 20
    /// Seconds to wait for the last messages once publishing ended.
    var drainSeconds = 10.0

    func topic(publisher: Int) -> String { runTopic.replacingOccurrences(of: "%i", with: String(publisher)) }
    var filter: String { runTopic.replacingOccurrences(of: "%i", with: "+") }
    private var runTopic: String { topic.replacingOccurrences(of: "%r", with: runID) }

    func configuration(clientID: String) -> MQTTClientConfiguration {
        MQTTClientConfiguration(host: host, port: port, version: version, clientID: clientID, username: username,
                                password: password.map { Array($0.utf8) }, maximumInflight: inflight,
                                inboxCapacity: 10_000, tls: tls)
    }
}
