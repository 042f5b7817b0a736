import ArgumentParser
import Foundation
import MQTTClient
import MQTTCodec

/// `mqttlab bench` (the default of the bench group): a load generator for any broker.
struct ClientBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load any broker with publishers and subscribers; count every message, measure latency (the default).",
        discussion: """
            Publishers send --count messages each (or for --duration seconds), at --rate msg/s each or as
            fast as the in-flight window allows; every subscriber subscribes to all of them, so each message
            is expected once per subscriber. Counts are exact (each payload carries its publisher, sequence
            number and send time): lost and duplicated messages, messages/s and MB/s received, and the
            publish-to-delivery latency (p50, p90, p99, max).

              mqttlab bench -h localhost -p 1883 -q 1 --count 10000
              mqttlab bench --publishers 4 --subscribers 2 -q 0 --size 256 --duration 5 --json

            Compare QoS levels, or the same load on two brokers, on one machine and in one session.
            """,
        helpNames: [.long]
    )

    @Option(name: .customShort("h"), help: "Broker host.")
    var host = "localhost"

    @Option(name: .customShort("p"), help: "Broker port (default 1883, 8883 with --cafile).")
    var port: Int?

    @Option(name: .customShort("V"), help: "Protocol: 5 (mqttv5) or 311 (mqttv311).")
    var protocolVersion = "311"

    @Option(name: [.customShort("q"), .long], help: "QoS of publishes and subscriptions.")
    var qos: Int = 0

    @Option(help: "Publishing clients.")
    var publishers = 1

    @Option(help: "Subscribing clients (each receives every message).")
    var subscribers = 1

    @Option(name: [.customShort("s"), .long], help: "Payload bytes (at least 16: publisher, sequence, send time).")
    var size = 64

    @Option(name: [.customShort("t"), .long], help: "Topic pattern; %i is the publisher's number, %r this run's random id (so that runs at the same time do not mix).")
    var topic = "mqttlab/bench/%r/%i"

    @Option(name: [.customShort("C"), .long], help: "Messages per publisher.")
    var count: Int?

    @Option(help: "Seconds to publish for (instead of --count).")
    var duration: Double?

    @Option(help: "Messages per second per publisher (default: as fast as possible).")
    var rate: Double?

    @Option(help: "Unanswered publishes per publisher (QoS 1/2: in flight; QoS 0: not yet written).")
    var inflight = 100

    @Option(help: "Closed loop: at most this many messages published but not yet delivered to each subscriber (0: open loop, which can overflow a broker's queues).")
    var window = 20

    @Option(name: .customShort("u"), help: "Username.")
    var username: String?

    @Option(name: .customShort("P"), help: "Password.")
    var password: String?

    @Option(help: "CA file: connect with TLS.")
    var cafile: String?

    @Flag(help: "With TLS, do not check the broker certificate's host name.")
    var insecure = false

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    func validate() throws {
        guard (0...2).contains(qos) else { throw ValidationError("-q takes 0, 1 or 2") }
        guard ["5", "mqttv5", "311", "mqttv311"].contains(protocolVersion) else { throw ValidationError("-V takes 5 or 311") }
        guard (1...1000).contains(publishers), (0...1000).contains(subscribers) else {
            throw ValidationError("--publishers 1...1000, --subscribers 0...1000")
        }
        guard (ClientLoadGenerator.headerSize...16_000_000).contains(size) else { throw ValidationError("--size must be 16...16000000") }
        guard count == nil || duration == nil else { throw ValidationError("give --count or --duration, not both") }
        if let count { guard count >= 1 else { throw ValidationError("--count must be at least 1") } }
        if let duration { guard duration > 0 && duration <= 3600 else { throw ValidationError("--duration must be 0...3600 s") } }
        guard (1...65535).contains(inflight) else { throw ValidationError("--inflight must be 1...65535") }
        if let port { guard (1...65535).contains(port) else { throw ValidationError("-p takes a port between 1 and 65535") } }
        if let rate { guard rate > 0 else { throw ValidationError("--rate must be above 0") } }
        guard window >= 0 else { throw ValidationError("--window must be 0 or more") }
    }

    var settings: ClientLoadSettings {
        var settings = ClientLoadSettings()
        settings.host = host
        settings.port = port ?? (cafile == nil ? 1883 : 8883)
        settings.version = protocolVersion.hasSuffix("5") ? .v5_0 : .v3_1_1
        settings.tls = cafile.map { MQTTClientTLS(caFile: $0, skipHostnameVerification: insecure) }
        settings.username = username
        settings.password = password
        settings.publishers = publishers
        settings.subscribers = subscribers
        settings.qos = QoS(rawValue: UInt8(qos)) ?? .atMostOnce
        settings.payloadSize = size
        settings.topic = topic
        settings.count = duration == nil ? (count ?? 1000) : nil
        settings.duration = duration
        settings.rate = rate
        settings.inflight = inflight
        settings.window = window
        return settings
    }

    func run() throws {
        let settings = self.settings
        let live = !json && isatty(STDERR_FILENO) == 1
        var generator = ClientLoadGenerator(settings: settings)
        if live {
            generator.progress = { received, published in
                StandardStreams.error("\r\u{1B}[K  published \(published) · received \(received)")
            }
        }
        let load = generator
        let outcome = BlockingTask.run { () -> Result<ClientLoadResult, MQTTClientError> in
            do throws(MQTTClientError) { return .success(try await load.run()) } catch { return .failure(error) }
        }
        if live { StandardStreams.error("\r\u{1B}[K") }
        switch outcome {
        case .failure(let error):
            StandardStreams.error("mqttlab bench: \(error)\n")
            throw ExitCode(1)
        case .success(let result):
            print(json ? ClientBenchReport.json(result, settings) : ClientBenchReport.text(result, settings))
        }
    }
}
