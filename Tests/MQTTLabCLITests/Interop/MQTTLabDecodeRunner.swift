import Foundation

/// One packet printed by `mqttlab decode --pcap FILE --json`, with its field tree flattened.
struct MQTTLabDecodedPacket {
    struct Leaf {
        var key: String
        var value: InteropJSON
    }

    var packet: Int?
    var frame: Int
    var type: String
    var error: String?
    /// Depth-first, parent before children — the same order tshark prints.
    var leaves: [Leaf]
    var rawLine: String
}

/// Runs the built `mqttlab` on a capture and parses its JSON Lines.
struct MQTTLabDecodeRunner {
    let binary: URL

    func decode(capture: URL, directory: URL, timeout: TimeInterval = 60) throws -> [MQTTLabDecodedPacket] {
        let outcome = try InteropProcess.run(
            binary, ["decode", "--pcap", capture.path, "--json"], label: "mqttlab-decode", directory: directory, timeout: timeout
        )
        guard !outcome.timedOut else { throw InteropError("\(outcome.commandLine) did not finish within \(timeout) s") }
        guard outcome.status == 0 else {
            throw InteropError("\(outcome.commandLine) exited \(outcome.status)\nstderr: \(outcome.stderr.suffix(1500))\nstdout: \(outcome.stdoutText.prefix(600))")
        }
        return try Self.packets(fromJSONLines: outcome.stdoutText)
    }

    /// Parses the JSON Lines contract (also used by the harness self-tests).
    static func packets(fromJSONLines text: String) throws -> [MQTTLabDecodedPacket] {
        var packets: [MQTTLabDecodedPacket] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let json: InteropJSON
            do {
                json = try InteropJSONParser.parse(trimmed)
            } catch {
                throw InteropError("mqttlab output line \(number + 1) is not JSON (\(error)): \(trimmed.prefix(300))")
            }
            guard let frame = json["frame"]?.integerValue else {
                throw InteropError("mqttlab output line \(number + 1) has no integer \"frame\": \(trimmed.prefix(300))")
            }
            var leaves: [MQTTLabDecodedPacket.Leaf] = []
            for field in json["fields"]?.arrayValue ?? [] {
                flatten(field, into: &leaves)
            }
            packets.append(MQTTLabDecodedPacket(
                packet: json["packet"]?.integerValue, frame: frame, type: json["type"]?.stringValue ?? "?",
                error: json["error"]?.stringValue, leaves: leaves, rawLine: trimmed
            ))
        }
        return packets
    }

    private static func flatten(_ field: InteropJSON, into leaves: inout [MQTTLabDecodedPacket.Leaf]) {
        guard let key = field["key"]?.stringValue else { return }
        leaves.append(.init(key: key, value: field["value"] ?? .null))
        for child in field["children"]?.arrayValue ?? [] {
            flatten(child, into: &leaves)
        }
    }
}
