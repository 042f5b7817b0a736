import Foundation
import MQTTCodec

/// Measures how fast the codec reads a realistic stream, untraced (what a broker does for every
/// packet) and traced (full dissection, what the teaching trace does), and the same bytes through
/// tshark's MQTT dissector as a reference measured in the same run.
struct DecodeBenchmark {
    struct Measurement {
        var name: String
        var packets: Int
        var bytes: Int
        var seconds: Double
        var packetsPerSecond: Double { Double(packets) / seconds }
        var megabytesPerSecond: Double { Double(bytes) / seconds / 1_000_000 }
    }

    var sessions = 200
    var publishesPerSession = 50
    var minimumSeconds = 2.0

    func streams() -> (packets: [MixedStream.Packet], byVersion: [(ProtocolVersion, [UInt8], Int)]) {
        let packets = MixedStream.make(sessions: sessions, publishesPerSession: publishesPerSession)
        var byVersion: [(ProtocolVersion, [UInt8], Int)] = []
        for version in [ProtocolVersion.v3_1_1, .v5_0] {
            let selected = packets.filter { $0.version == version }
            byVersion.append((version, selected.flatMap(\.bytes), selected.count))
        }
        return (packets, byVersion)
    }

    /// Frames and decodes the streams repeatedly for at least `minimumSeconds`.
    func measure(name: String, dissect: Bool, streams: [(ProtocolVersion, [UInt8], Int)]) throws -> Measurement {
        let clock = ContinuousClock()
        var packets = 0
        var bytes = 0
        var elapsed = Duration.zero
        var checksum = 0
        repeat {
            let start = clock.now
            for (version, stream, _) in streams {
                var framer = PacketFramer()
                // Feed in TCP-sized chunks, as a socket would deliver them.
                var offset = 0
                while offset < stream.count {
                    let end = min(offset + 1460, stream.count)
                    framer.append(stream[offset..<end])
                    offset = end
                    while let packet = try framer.next() {
                        if dissect {
                            checksum &+= PacketDecoder.dissect(packet, version: version).fields.count
                        } else {
                            if case .publish(let publish) = try PacketDecoder.decode(packet, version: version) {
                                checksum &+= publish.payload.count
                            }
                        }
                        packets += 1
                    }
                }
                bytes += stream.count
            }
            elapsed += clock.now - start
        } while elapsed < .seconds(minimumSeconds)
        // The checksum keeps the optimiser from discarding the work; it is never 0 for this stream.
        precondition(checksum != 0)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Measurement(name: name, packets: packets, bytes: bytes, seconds: seconds)
    }

    /// tshark on the same packets (one per TCP segment), minus tshark's start-up time, measured on a
    /// one-packet capture in the same run. Nil when tshark is not installed.
    func measureTshark(packets: [MixedStream.Packet]) throws -> Measurement? {
        guard let tshark = Self.findExecutable("tshark") else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mqttlab-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var full = PcapWriter()
        var time = 1_700_000_000.0
        for packet in packets {
            full.append(payload: packet.bytes, fromClient: packet.fromClient, time: time)
            time += 0.000_1
        }
        var tiny = PcapWriter()
        if let first = packets.first { tiny.append(payload: first.bytes, fromClient: true, time: 1_700_000_000) }
        let fullURL = directory.appendingPathComponent("stream.pcap")
        let tinyURL = directory.appendingPathComponent("tiny.pcap")
        try Data(full.bytes).write(to: fullURL)
        try Data(tiny.bytes).write(to: tinyURL)
        func run(_ url: URL) throws -> Double {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tshark)
            process.arguments = ["-n", "-r", url.path, "-d", "tcp.port==1883,mqtt", "-T", "fields", "-e", "mqtt.msgtype"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let start = ContinuousClock.now
            try process.run()
            process.waitUntilExit()
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        // Best of three for each, to shave off scheduling noise on a shared machine.
        let startup = try (0..<3).map { _ in try run(tinyURL) }.min() ?? 0
        let total = try (0..<3).map { _ in try run(fullURL) }.min() ?? 0
        let bytes = packets.reduce(0) { $0 + $1.bytes.count }
        return Measurement(name: "tshark 'mqtt' dissector", packets: packets.count, bytes: bytes, seconds: max(total - startup, 1e-6))
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
