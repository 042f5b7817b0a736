import Foundation

/// One MQTT packet as tshark dissected it, flattened to its `mqtt.*` leaves in tshark's order.
struct TsharkPDU {
    /// One leaf: a `mqtt.*` key that carries a string value in tshark's JSON.
    struct Leaf: Equatable {
        var key: String
        var text: String
    }

    var frame: Int
    /// 0-based position among the MQTT PDUs tshark found in this frame.
    var indexInFrame: Int
    var tcpStream: Int?
    var leaves: [Leaf]
    /// tshark attached a `_ws.malformed` layer right after this PDU.
    var malformed = false

    var messageType: Int? { leaves.first { $0.key == "mqtt.msgtype" }.flatMap { Int($0.text) } }

    var typeName: String { InteropPacketTypes.name(of: messageType) }
}

enum InteropPacketTypes {
    static let names = [
        "RESERVED0", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP",
        "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH",
    ]

    static func name(of type: Int?) -> String {
        guard let type, names.indices.contains(type) else { return "?" }
        return names[type]
    }
}

/// Runs tshark on a capture and turns its JSON into `TsharkPDU`s — the reference the decoder is compared with.
///
/// Command: `tshark -r FILE -d tcp.port==PORT,mqtt -Y mqtt -T json -J "frame tcp mqtt _ws.malformed"`.
/// The JSON repeats keys (one `"mqtt"` member per PDU in a frame, one `"mqtt.property_id"` per property…), so
/// it is read with `InteropJSONParser`, which keeps duplicates in order.
struct TsharkOracle {
    let tshark: URL

    /// tshark's field types (`FT_BOOLEAN`, `FT_UINT8`, `FT_BYTES`, …) for every `mqtt.*` field, from `tshark -G fields`.
    static func fieldTypes(tshark: URL, directory: URL) throws -> [String: String] {
        let outcome = try InteropProcess.run(tshark, ["-G", "fields"], label: "tshark-G-fields", directory: directory, timeout: 60)
        guard outcome.status == 0, !outcome.timedOut else {
            throw InteropError("tshark -G fields failed (\(outcome.status)): \(outcome.stderr.suffix(400))")
        }
        var types: [String: String] = [:]
        for line in outcome.stdoutText.split(separator: "\n") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count >= 4, columns[0] == "F", columns[2].hasPrefix("mqtt.") else { continue }
            types[String(columns[2])] = String(columns[3])
        }
        guard !types.isEmpty else { throw InteropError("tshark -G fields listed no mqtt.* fields") }
        return types
    }

    /// Dissects `capture`, decoding TCP `port` as MQTT.
    func decode(capture: URL, port: Int, directory: URL) throws -> [TsharkPDU] {
        let outcome = try InteropProcess.run(
            tshark,
            ["-r", capture.path, "-d", "tcp.port==\(port),mqtt", "-Y", "mqtt", "-T", "json",
             "-J", "frame tcp mqtt _ws.malformed"],
            label: "tshark-read", directory: directory, timeout: 60
        )
        guard outcome.status == 0, !outcome.timedOut else {
            throw InteropError("\(outcome.commandLine) failed (\(outcome.status)): \(outcome.stderr.suffix(600))")
        }
        let trimmed = outcome.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [] }
        return try Self.pdus(fromJSON: Data(trimmed.utf8))
    }

    /// Parses tshark's `-T json` output (also used by the harness self-tests).
    static func pdus(fromJSON data: Data) throws -> [TsharkPDU] {
        guard case .array(let frames) = try InteropJSONParser.parse(data) else {
            throw InteropError("tshark JSON is not an array")
        }
        var result: [TsharkPDU] = []
        for frameEntry in frames {
            guard let layers = frameEntry["_source"]?["layers"], case .object(let members) = layers else { continue }
            guard let frameNumber = layers["frame"]?["frame.number"]?.integerValue else {
                throw InteropError("tshark JSON frame without frame.number")
            }
            let stream = layers["tcp"]?["tcp.stream"]?.integerValue
            var index = 0
            for member in members {
                if member.key == "mqtt" {
                    var leaves: [TsharkPDU.Leaf] = []
                    collectLeaves(member.value, into: &leaves)
                    result.append(TsharkPDU(frame: frameNumber, indexInFrame: index, tcpStream: stream, leaves: leaves))
                    index += 1
                } else if member.key == "_ws.malformed", !result.isEmpty, result[result.count - 1].frame == frameNumber {
                    result[result.count - 1].malformed = true
                }
            }
        }
        return result
    }

    /// Depth-first walk of an `"mqtt"` object: string values of `mqtt.*` keys become leaves; sub-objects
    /// (`mqtt.hdrflags_tree`, `mqtt.properties`, `mqtt.will_properties`, …) are walked; `_ws.*` (expert infos) skipped.
    private static func collectLeaves(_ node: InteropJSON, into leaves: inout [TsharkPDU.Leaf]) {
        guard case .object(let members) = node else { return }
        for member in members where member.key.hasPrefix("mqtt.") {
            switch member.value {
            case .string(let text): leaves.append(.init(key: member.key, text: text))
            case .object: collectLeaves(member.value, into: &leaves)
            case .array(let items):  // only with --no-duplicate-keys; kept for robustness
                for item in items {
                    if case .string(let text) = item { leaves.append(.init(key: member.key, text: text)) }
                    else { collectLeaves(item, into: &leaves) }
                }
            default: break
            }
        }
    }
}
