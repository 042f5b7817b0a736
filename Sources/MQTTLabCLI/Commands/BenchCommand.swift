import ArgumentParser
import Foundation
import MQTTCodec

/// `mqttlab bench`: measurements, never guesses. With no subcommand (or `load`), the load generator
/// for any broker; `decode` and `broker` measure mqttlab itself against a reference.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Load any broker (the default), or measure mqttlab's speed against a reference in the same run.",
        subcommands: [ClientBench.self, DecodeBench.self, BrokerBench.self],
        defaultSubcommand: ClientBench.self
    )
}

struct DecodeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "How fast the codec reads a realistic mixed MQTT stream, compared with tshark.",
        discussion: """
            Builds a deterministic stream (sessions that connect, subscribe, publish at QoS 0/1/2 with
            their acks, ping and disconnect; 3.1.1 and 5.0; payloads of 4 bytes to 1 KB), then measures:
              decode    framing + validation + the packet model (what a broker does per packet)
              dissect   the same plus the full field tree with explanations (what the trace does)
              tshark    the same packets through Wireshark's MQTT dissector, minus its start-up time
            Figures depend on the machine: compare the ratios, which are measured in the same run.
            Build with -c release for meaningful numbers: swift run -c release mqttlab bench decode
            """
    )

    @Option(help: "Minimum seconds to spend on each measurement.")
    var seconds: Double = 2

    @Option(help: "Sessions in the generated stream (each with its publishes).")
    var sessions: Int = 200

    @Flag(help: "Skip the tshark reference.")
    var noReference = false

    @Flag(help: "Print the results as one JSON object.")
    var json = false

    func validate() throws {
        guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be between 0 and 600") }
        guard sessions > 0, sessions <= 100_000 else { throw ValidationError("--sessions must be between 1 and 100000") }
    }

    func run() throws {
        let benchmark = DecodeBenchmark(sessions: sessions, minimumSeconds: seconds)
        let (packets, streams) = benchmark.streams()
        let totalBytes = packets.reduce(0) { $0 + $1.bytes.count }
        if !json {
            print("Stream: \(packets.count) packets, \(totalBytes) bytes (\(streams[0].2) in 3.1.1, \(streams[1].2) in 5.0)")
        }
        var results = [
            try benchmark.measure(name: "decode (untraced)", dissect: false, streams: streams),
            try benchmark.measure(name: "dissect (traced)", dissect: true, streams: streams),
        ]
        let reference = noReference ? nil : try benchmark.measureTshark(packets: packets)
        if let reference { results.append(reference) }

        if json {
            let members: [(String, JSONWriter.Value)] = [
                ("stream_packets", .int(Int64(packets.count))),
                ("stream_bytes", .int(Int64(totalBytes))),
                ("results", .array(results.map { result in
                    .object([
                        ("name", .string(result.name)),
                        ("packets", .int(Int64(result.packets))),
                        ("seconds", .double(result.seconds)),
                        ("packets_per_second", .double(result.packetsPerSecond.rounded())),
                        ("megabytes_per_second", .double((result.megabytesPerSecond * 100).rounded() / 100)),
                        ("ratio_to_tshark", reference.map { .double(((result.packetsPerSecond / $0.packetsPerSecond) * 100).rounded() / 100) } ?? .null),
                    ])
                })),
            ]
            print(JSONWriter.render(.object(members)))
            return
        }
        for result in results {
            var line = DissectionTextRenderer.pad(result.name, 26)
                + DissectionTextRenderer.pad("\(Int(result.packetsPerSecond.rounded())) packets/s", 22)
                + DissectionTextRenderer.pad(String(format: "%.1f MB/s", result.megabytesPerSecond), 14)
            if let reference, result.name != reference.name {
                line += String(format: "%.1f× tshark", result.packetsPerSecond / reference.packetsPerSecond)
            }
            print(line)
        }
        if reference == nil && !noReference { print("(tshark not found: no reference measured)") }
    }
}
