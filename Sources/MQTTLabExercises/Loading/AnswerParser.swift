import Foundation
import MQTTCodec
import Yams

/// Reads `answer:` of a `kind: answer` exercise.
enum AnswerParser {
    static let types = ["topic_filter", "field", "text"]

    static func read(_ top: YAMLFields.Mapping, fields: YAMLFields) -> AnswerCheck? {
        guard let node = top["answer"] else {
            fields.error(top.node, "an answer exercise needs 'answer:' (type topic_filter, field or text)")
            return nil
        }
        guard let map = fields.mapping(node, "answer", allowed: ["type", "must_match", "must_not_match", "bytes", "version", "field", "accept"],
                                       required: ["type"]),
              let type = fields.string(map["type"], "answer.type") else { return nil }
        switch type {
        case "topic_filter":
            let match = fields.strings(map["must_match"], "answer.must_match")
            let noMatch = fields.strings(map["must_not_match"], "answer.must_not_match")
            if match.isEmpty { fields.error(node, "answer: a topic_filter answer needs 'must_match' topics") }
            for (key, topics) in [("must_match", match), ("must_not_match", noMatch)] {
                for topic in topics where !VocabularyParser.isValidTopic(topic) {
                    fields.error(map[key], "answer.\(key): '\(topic)' is not a valid topic name (no + or #, not empty)")
                }
            }
            return .topicFilter(mustMatch: match, mustNotMatch: noMatch)
        case "field":
            guard let hex = fields.string(map["bytes"], "answer.bytes"), let key = fields.string(map["field"], "answer.field") else {
                fields.error(node, "answer: a field answer needs 'bytes' (hex) and 'field' (a key such as mqtt.kalive)")
                return nil
            }
            guard let bytes = Hex.bytes(hex) else {
                fields.error(map["bytes"], "answer.bytes: '\(hex)' is not hex bytes (pairs like '10 0c 00 04')")
                return nil
            }
            var version = ProtocolVersion.v3_1_1
            if let text = fields.string(map["version"], "answer.version") {
                guard let parsed = VocabularyParser.version(text) else {
                    fields.error(map["version"], "answer.version must be 3.1.1 or 5.0, not '\(text)'")
                    return nil
                }
                version = parsed
            }
            let dissection = PacketDecoder.dissect(bytes, version: version)
            if let error = dissection.error {
                fields.error(map["bytes"], "answer.bytes: the codec refuses these bytes: \(error.message(.en))")
                return nil
            }
            let keys = dissection.allFields.map(\.key)
            if !keys.contains(key) {
                fields.error(map["field"], "answer.field: the dissection of these bytes has no field '\(key)'" + Suggestion.hint(for: key, among: Array(Set(keys))))
                return nil
            }
            return .field(bytes: bytes, version: version, fieldKey: key)
        case "text":
            let accepted = fields.strings(map["accept"], "answer.accept")
            if accepted.isEmpty { fields.error(node, "answer: a text answer needs 'accept': the answers that count as right") }
            return .text(accepted: accepted)
        default:
            fields.error(map["type"], "answer.type: unknown type '\(type)'" + Suggestion.hint(for: type, among: types))
            return nil
        }
    }
}

/// Hex text to bytes: pairs of hex digits, spaces and `0x` prefixes allowed.
enum Hex {
    static func bytes(_ text: String) -> [UInt8]? {
        let cleaned = text.replacingOccurrences(of: "0x", with: " ").split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," })
        var result: [UInt8] = []
        for token in cleaned {
            var rest = Substring(token)
            guard rest.count.isMultiple(of: 2) else { return nil }
            while !rest.isEmpty {
                guard let byte = UInt8(rest.prefix(2), radix: 16) else { return nil }
                result.append(byte)
                rest = rest.dropFirst(2)
            }
        }
        return result.isEmpty ? nil : result
    }
}
