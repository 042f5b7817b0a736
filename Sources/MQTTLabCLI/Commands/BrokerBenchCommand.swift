import ArgumentParser
import Foundation

/// `mqttlab bench broker`: the broker's performance table, measured against Mosquitto in the same run.
struct BrokerBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Measure mqttlab's broker against Mosquitto, side by side in the same run.",
        discussion: """
            Starts `mqttlab broker -p 0 --trace off` (this same executable) and
            `mosquitto` on free loopback ports, a fresh broker per scenario,
            interleaved (mqttlab, mosquitto, ...) for --rounds rounds, and drives
            them with a built-in SwiftNIO load generator (MQTT 3.1.1, 64-byte
            payloads):
              1→1 QoS 0, 1→1 QoS 1, 1→N fan-out, N→1 fan-in   (--messages each)
              1→1 QoS 1 with --store: mqttlab only, its CPU against the same
                without --store (the cost of durability)
              latency: 1→1 QoS 0 at --rate msg/s for --latency-seconds
              idle connections: RSS growth for --connections clients
            Reports broker CPU (user+sys from /proc/PID/stat) per delivered
            message, delivered msg/s, lost and duplicated deliveries: medians
            over rounds, and the median of the per-round ratios
            mqttlab/mosquitto (below 1: mqttlab uses less, except msg/s).
            Figures drift on shared machines: read the ratios. Build with
            -c release first:
              swift build -c release --product mqttlab
              .build/release/mqttlab bench broker
            """
    )

    @Option(help: "Rounds (each runs every scenario on both brokers); medians are reported.")
    var rounds: Int = 3

    @Option(help: "Deliveries per throughput scenario.")
    var messages: Int = 200_000

    @Option(help: "Subscribers of the fan-out and publishers of the fan-in scenario.")
    var clients: Int = 50

    @Option(help: "Idle connections opened for the memory figure.")
    var connections: Int = 1000

    @Option(help: "Messages per second in the latency scenario.")
    var rate: Double = 5000

    @Option(help: "Seconds the latency scenario publishes for.")
    var latencySeconds: Double = 2

    @Option(help: "Seconds after which a scenario gives up (what has not arrived counts as lost).")
    var timeout: Double = 60

    @Option(help: "Messages published but not yet delivered to every subscriber (the load generator's closed-loop window; QoS 1 publishers also wait for PUBACKs, at most 100 unacknowledged).")
    var window: Int = 1000

    @Flag(help: "Do not measure Mosquitto, only mqttlab's absolute figures.")
    var noReference = false

    @Option(help: ArgumentHelp("The mosquitto executable (default: found on PATH or in /usr/sbin).", valueName: "path"))
    var mosquitto: String?

    @Flag(help: "Print the results as one JSON object.")
    var json = false

    func validate() throws {
        guard (1...50).contains(rounds) else { throw ValidationError("--rounds must be between 1 and 50") }
        guard (1...50_000_000).contains(messages) else { throw ValidationError("--messages must be between 1 and 50000000") }
        guard (1...1000).contains(clients) else { throw ValidationError("--clients must be between 1 and 1000") }
        guard (1...20_000).contains(connections) else { throw ValidationError("--connections must be between 1 and 20000") }
        guard rate >= 1, rate <= 1_000_000 else { throw ValidationError("--rate must be between 1 and 1000000") }
        guard latencySeconds > 0, latencySeconds <= 600 else { throw ValidationError("--latency-seconds must be between 0 and 600") }
        guard (1...1_000_000).contains(window) else { throw ValidationError("--window must be between 1 and 1000000") }
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be between 0 and 3600") }
    }

    func run() throws {
        let warn = { (text: String) in FileHandle.standardError.write(Data((text + "\n").utf8)) }
        if BrokerBenchmark.buildKind != "release" {
            warn("""
                ************************************************************************
                WARNING: this mqttlab is a DEBUG build: its figures mean nothing.
                Build with: swift build -c release --product mqttlab
                ************************************************************************
                """)
        }
        var mosquittoURL: URL?
        if !noReference {
            if let mosquitto {
                mosquittoURL = FileManager.default.isExecutableFile(atPath: mosquitto) ? URL(fileURLWithPath: mosquitto) : nil
            } else {
                mosquittoURL = BrokerBenchmarkChild.find("mosquitto")
            }
            if mosquittoURL == nil {
                warn("mosquitto is not installed (apt-get install mosquitto): measuring mqttlab alone, no ratios.")
            }
        }
        let version = mosquittoURL.flatMap { BrokerBenchmarkChild.mosquittoVersion($0) } ?? (mosquittoURL == nil ? nil : "?")
        var options = BrokerBenchmark.Options()
        options.rounds = rounds
        options.messages = messages
        options.clients = clients
        options.connections = connections
        options.rate = rate
        options.latencySeconds = latencySeconds
        options.timeoutSeconds = timeout
        options.window = window
        options.skipMosquitto = mosquittoURL == nil
        var benchmark = BrokerBenchmark(
            options: options, mqttlabExecutable: BrokerBenchmarkChild.selfExecutable(), mosquittoExecutable: mosquittoURL)
        benchmark.progress = warn
        let samples = try benchmark.run()
        if json {
            print(benchmark.json(samples, mosquittoVersion: version))
            return
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("mqttlab \(BrokerBenchmark.buildKind) build · \(version.map { "mosquitto \($0)" } ?? "no mosquitto") · "
            + "\(cores) cores · \(rounds) round(s), medians · \(messages) deliveries per scenario · 64-byte payloads")
        print(benchmark.table(samples, mosquittoVersion: version))
        if version != nil { print("ratio = mqttlab / mosquitto, median of the per-round ratios (below 1: mqttlab uses less / is faster, except msg/s)") }
    }
}
