import Foundation
import MQTTCodec
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `mqttlab bench broker`: mqttlab's broker against Mosquitto, interleaved in the same run, fresh broker per
/// scenario, medians over rounds and the ratio mqttlab/Mosquitto.
struct BrokerBenchmark {
    struct Options: Sendable {
        var rounds = 3
        var messages = 200_000
        var clients = 50
        var connections = 1000
        var rate = 5000.0
        var latencySeconds = 2.0
        var timeoutSeconds = 60.0
        var window = 1000
        var skipMosquitto = false
    }

    enum Scenario: String, CaseIterable, Sendable {
        case qos0, qos1, qos1Store, fanout, fanin, latency, memory

        func title(clients: Int) -> String {
            switch self {
            case .qos0: "1→1 QoS 0"
            case .qos1: "1→1 QoS 1"
            case .qos1Store: "1→1 QoS 1, --store"
            case .fanout: "1→\(clients) fan-out QoS 0"
            case .fanin: "\(clients)→1 fan-in QoS 0"
            case .latency: "latency 1→1 QoS 0"
            case .memory: "idle connections"
            }
        }

        /// What the ratio column compares: `--store` is mqttlab's own durability, so its cost is measured
        /// against mqttlab without it (the broker issue's goal: less than 2×), and Mosquitto does not run
        /// it (its persistence writes a snapshot now and then, not every acknowledged message).
        var comparesWithMQTTLabWithoutStore: Bool { self == .qos1Store }
    }

    /// One scenario on one broker in one round.
    struct Sample {
        var cpuMicrosPerMessage: Double?
        var messagesPerSecond: Double?
        var expected = 0
        var lost = 0
        var duplicates = 0
        var percentiles: [Double]?  // p50, p90, p99, p99.9, max in µs
        var kilobytesPerConnection: Double?
        var failure: String?
    }

    static let percentileNames = ["p50", "p90", "p99", "p99.9", "max"]

    let options: Options
    let mqttlabExecutable: URL
    let mosquittoExecutable: URL?
    /// Progress lines (to standard error).
    var progress: (String) -> Void = { _ in }

    static var buildKind: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    /// samples[scenario][broker] = one per round.
    func run() throws -> [Scenario: [BrokerBenchmarkChild.Kind: [Sample]]] {
        BrokerBenchmarkChild.installSignalHandlers()
        BrokerBenchmarkChild.raiseOpenFilesLimit(to: options.connections * 2 + 512)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer {
            BrokerBenchmarkChild.terminateAll()
            try? group.syncShutdownGracefully()
        }
        let loop = group.next()
        var kinds: [BrokerBenchmarkChild.Kind] = [.mqttlab]
        if mosquittoExecutable != nil { kinds.append(.mosquitto) }
        var samples: [Scenario: [BrokerBenchmarkChild.Kind: [Sample]]] = [:]
        for round in 1...options.rounds {
            for scenario in Scenario.allCases {
                for kind in kinds where kind == .mqttlab || !scenario.comparesWithMQTTLabWithoutStore {
                    let sample: Sample
                    do {
                        sample = try measure(scenario, on: kind, loop: loop)
                    } catch {
                        sample = Sample(failure: "\(error)")
                    }
                    progress("round \(round)/\(options.rounds) · \(scenario.title(clients: options.clients)) · \(kind.rawValue): "
                        + Self.summary(sample))
                    samples[scenario, default: [:]][kind, default: []].append(sample)
                }
            }
        }
        return samples
    }

    static func summary(_ sample: Sample) -> String {
        if let failure = sample.failure, sample.expected == 0 { return "FAILED: \(failure)" }
        var parts: [String] = []
        if let cpu = sample.cpuMicrosPerMessage { parts.append(String(format: "%.2f µs CPU/msg", cpu)) }
        if let rate = sample.messagesPerSecond { parts.append("\(Int(rate.rounded())) msg/s") }
        if let percentiles = sample.percentiles { parts.append(String(format: "p99 %.0f µs", percentiles[2])) }
        if let kb = sample.kilobytesPerConnection { parts.append(String(format: "%.2f KB/connection", kb)) }
        if sample.expected > 0 { parts.append("lost \(sample.lost), duplicated \(sample.duplicates)") }
        if let failure = sample.failure { parts.append("(\(failure))") }
        return parts.joined(separator: " · ")
    }

    private func start(_ kind: BrokerBenchmarkChild.Kind, store: Bool) throws -> BrokerBenchmarkChild {
        let maxQueued = 100_000
        switch kind {
        case .mqttlab:
            return try BrokerBenchmarkChild.startMQTTLab(executable: mqttlabExecutable, maxQueued: maxQueued, store: store)
        case .mosquitto:
            guard let mosquittoExecutable else { throw BrokerBenchmarkError("mosquitto is not installed") }
            return try BrokerBenchmarkChild.startMosquitto(executable: mosquittoExecutable, maxQueued: maxQueued)
        }
    }

    private func measure(_ scenario: Scenario, on kind: BrokerBenchmarkChild.Kind, loop: any EventLoop) throws -> Sample {
        let child = try start(kind, store: scenario == .qos1Store)
        defer { child.stop() }
        usleep(100_000)
        var plan = BrokerBenchmarkLoadPlan(port: child.port)
        plan.timeoutSeconds = options.timeoutSeconds
        plan.window = options.window
        let messages = options.messages
        switch scenario {
        case .qos0, .qos1, .qos1Store:
            plan.publishers = 1
            plan.subscribers = 1
            plan.messagesPerPublisher = messages
            plan.qos = scenario == .qos0 ? .atMostOnce : .atLeastOnce
            // What durability is for: sessions that outlive their connections, which the store must keep
            // (clean sessions end with their connection and are never written).
            plan.persistentSessions = scenario == .qos1Store
        case .fanout:
            plan.publishers = 1
            plan.subscribers = options.clients
            plan.messagesPerPublisher = max(1, messages / options.clients)
        case .fanin:
            plan.publishers = options.clients
            plan.subscribers = 1
            plan.messagesPerPublisher = max(1, messages / options.clients)
        case .latency:
            plan.publishers = 1
            plan.subscribers = 1
            plan.messagesPerPublisher = max(1, Int(options.rate * options.latencySeconds))
            plan.rate = options.rate
        case .memory:
            plan.idle = options.connections
        }

        let finalPlan = plan
        let load = try loop.submit { NIOLoopBound(BrokerBenchmarkLoad(plan: finalPlan, eventLoop: loop), eventLoop: loop) }.wait()
        defer { _ = try? loop.flatSubmit { load.value.close() }.wait() }
        var sample = Sample()

        if scenario == .memory {
            usleep(200_000)
            let before = child.residentKB()
            try loop.flatSubmit { load.value.connect() }.wait()
            usleep(500_000)
            let after = child.residentKB()
            if let before, let after { sample.kilobytesPerConnection = (after - before) / Double(options.connections) }
            let result = try loop.submit { load.value.result }.wait()
            sample.failure = result.failure
            return sample
        }

        try loop.flatSubmit { load.value.connect() }.wait()
        let cpuBefore = child.cpuSeconds()
        try loop.flatSubmit { load.value.start() }.wait()
        let cpuAfter = child.cpuSeconds()
        let result = try loop.submit { load.value.result }.wait()

        sample.expected = result.expected
        sample.lost = max(0, result.expected - result.delivered)
        sample.duplicates = result.duplicates
        sample.failure = result.failure ?? (result.timedOut ? "timed out after \(options.timeoutSeconds) s" : nil)
        if let cpuBefore, let cpuAfter, result.delivered > 0 {
            sample.cpuMicrosPerMessage = (cpuAfter - cpuBefore) * 1e6 / Double(result.delivered)
        }
        if result.seconds > 0 { sample.messagesPerSecond = Double(result.delivered) / result.seconds }
        if scenario == .latency {
            let sorted = result.latenciesNanoseconds.sorted()
            if !sorted.isEmpty {
                sample.percentiles = [0.5, 0.9, 0.99, 0.999].map { quantile in
                    let rank = min(sorted.count - 1, max(0, Int((quantile * Double(sorted.count)).rounded(.up)) - 1))
                    return Double(sorted[rank]) / 1000
                } + [Double(sorted[sorted.count - 1]) / 1000]
            }
            sample.messagesPerSecond = nil
        }
        return sample
    }

    static func median(_ values: [Double]) -> Double? {
        let sorted = values.filter { $0.isFinite }.sorted()
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

// MARK: - Report

/// The figures of one metric for both brokers: medians over rounds and the median of per-round ratios.
struct BrokerBenchmarkMetric {
    var key: String
    var label: String
    var mqttlab: Double?
    var mosquitto: Double?
    var ratio: Double?
    var format: String
}

extension BrokerBenchmark {
    /// `withoutStore`: mqttlab's 1→1 QoS 1 samples, the reference of the `--store` scenario.
    static func metrics(
        for scenario: Scenario, samples: [BrokerBenchmarkChild.Kind: [Sample]], withoutStore: [Sample] = []
    ) -> [BrokerBenchmarkMetric] {
        let ours = samples[.mqttlab] ?? []
        let theirs = samples[.mosquitto] ?? []
        func metric(_ key: String, _ label: String, _ format: String, _ value: (Sample) -> Double?) -> BrokerBenchmarkMetric {
            let mine = median(ours.compactMap(value))
            let reference = median(theirs.compactMap(value))
            var ratios: [Double] = []
            for (a, b) in zip(ours, theirs) {
                if let x = value(a), let y = value(b), y > 0 { ratios.append(x / y) }
            }
            return BrokerBenchmarkMetric(key: key, label: label, mqttlab: mine, mosquitto: reference, ratio: median(ratios), format: format)
        }
        switch scenario {
        case .memory:
            return [metric("kb_per_connection", "RSS KB per idle connection", "%.2f") { $0.kilobytesPerConnection }]
        case .latency:
            var list: [BrokerBenchmarkMetric] = []
            for (index, name) in percentileNames.enumerated() {
                list.append(metric("latency_\(name.replacingOccurrences(of: ".", with: "_"))_us", "latency \(name) µs", "%.0f") {
                    $0.percentiles?[index]
                })
            }
            list.append(metric("cpu_us_per_message", "broker CPU µs/msg", "%.2f") { $0.cpuMicrosPerMessage })
            return list
        default:
            var list = [
                metric("cpu_us_per_message", "broker CPU µs/msg", "%.2f") { $0.cpuMicrosPerMessage },
                metric("messages_per_second", "delivered msg/s", "%.0f") { $0.messagesPerSecond },
            ]
            if scenario.comparesWithMQTTLabWithoutStore {
                // The cost of durability: per round, CPU per message with --store ÷ without (median).
                var ratios: [Double] = []
                for (with, without) in zip(ours, withoutStore) {
                    if let x = with.cpuMicrosPerMessage, let y = without.cpuMicrosPerMessage, y > 0 { ratios.append(x / y) }
                }
                list.append(BrokerBenchmarkMetric(key: "cpu_ratio_to_without_store", label: "CPU ÷ same without --store",
                                                  mqttlab: median(ratios), mosquitto: nil, ratio: nil, format: "%.2f"))
            }
            return list
        }
    }

    static func totals(_ samples: [Sample]) -> (lost: Int, duplicates: Int, failures: [String]) {
        (samples.reduce(0) { $0 + $1.lost }, samples.reduce(0) { $0 + $1.duplicates }, samples.compactMap(\.failure))
    }

    func json(_ samples: [Scenario: [BrokerBenchmarkChild.Kind: [Sample]]], mosquittoVersion: String?) -> String {
        func number(_ value: Double?) -> JSONWriter.Value {
            guard let value, value.isFinite else { return .null }
            return .double((value * 1000).rounded() / 1000)
        }
        var scenarios: [JSONWriter.Value] = []
        for scenario in Scenario.allCases {
            let bySample = samples[scenario] ?? [:]
            let metrics = Self.metrics(for: scenario, samples: bySample, withoutStore: samples[.qos1]?[.mqttlab] ?? [])
            var brokers: [(String, JSONWriter.Value)] = []
            for kind in BrokerBenchmarkChild.Kind.allCases {
                guard let list = bySample[kind] else { continue }
                let totals = Self.totals(list)
                var members: [(String, JSONWriter.Value)] = metrics.map { metric in
                    (metric.key, number(kind == .mqttlab ? metric.mqttlab : metric.mosquitto))
                }
                members.append(("expected_per_round", .int(Int64(list.first?.expected ?? 0))))
                members.append(("lost", .int(Int64(totals.lost))))
                members.append(("duplicates", .int(Int64(totals.duplicates))))
                members.append(("failures", .array(totals.failures.map { .string($0) })))
                brokers.append((kind.rawValue, .object(members)))
            }
            scenarios.append(.object([
                ("id", .string(scenario.rawValue)),
                ("name", .string(scenario.title(clients: options.clients))),
                ("brokers", .object(brokers)),
                ("ratio_mqttlab_to_mosquitto", .object(metrics.map { ($0.key, number($0.ratio)) })),
            ]))
        }
        let formatter = ISO8601DateFormatter()
        return JSONWriter.render(.object([
            ("build", .string(Self.buildKind)),
            ("date", .string(formatter.string(from: Date()))),
            ("cores", .int(Int64(ProcessInfo.processInfo.activeProcessorCount))),
            ("mosquitto", mosquittoVersion.map { .string($0) } ?? .null),
            ("rounds", .int(Int64(options.rounds))),
            ("messages", .int(Int64(options.messages))),
            ("clients", .int(Int64(options.clients))),
            ("connections", .int(Int64(options.connections))),
            ("rate", .double(options.rate)),
            ("payload_bytes", .int(64)),
            ("scenarios", .array(scenarios)),
        ]))
    }

    func table(_ samples: [Scenario: [BrokerBenchmarkChild.Kind: [Sample]]], mosquittoVersion: String?) -> String {
        let hasReference = mosquittoVersion != nil
        var lines: [String] = []
        func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
            let count = text.count
            guard count < width else { return text }
            let space = String(repeating: " ", count: width - count)
            return right ? space + text : text + space
        }
        func cell(_ value: Double?, _ format: String) -> String {
            guard let value else { return "—" }
            return String(format: format, value)
        }
        var header = pad("scenario", 26) + pad("metric", 28) + pad("mqttlab", 12, right: true)
        if hasReference { header += pad("mosquitto", 12, right: true) + pad("ratio", 9, right: true) }
        lines.append(header)
        lines.append(String(repeating: "─", count: header.count))
        for scenario in Scenario.allCases {
            let bySample = samples[scenario] ?? [:]
            var title = scenario.title(clients: options.clients)
            for metric in Self.metrics(for: scenario, samples: bySample, withoutStore: samples[.qos1]?[.mqttlab] ?? []) {
                var line = pad(title, 26) + pad(metric.label, 28) + pad(cell(metric.mqttlab, metric.format), 12, right: true)
                if hasReference {
                    line += pad(cell(metric.mosquitto, metric.format), 12, right: true)
                        + pad(metric.ratio.map { String(format: $0 < 0.1 ? "%.3f" : "%.2f", $0) } ?? "—", 9, right: true)
                }
                lines.append(line)
                title = ""
            }
            if scenario != .memory {
                let mine = Self.totals(bySample[.mqttlab] ?? [])
                var line = pad("", 26) + pad("lost / duplicated (all rounds)", 28) + pad("\(mine.lost) / \(mine.duplicates)", 12, right: true)
                if hasReference {
                    let theirs = Self.totals(bySample[.mosquitto] ?? [])
                    line += pad(bySample[.mosquitto] == nil ? "—" : "\(theirs.lost) / \(theirs.duplicates)", 12, right: true)
                }
                lines.append(line)
            }
            for kind in BrokerBenchmarkChild.Kind.allCases {
                for failure in Set(Self.totals(bySample[kind] ?? []).failures).sorted() {
                    lines.append(pad("", 26) + "! \(kind.rawValue): \(failure)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
