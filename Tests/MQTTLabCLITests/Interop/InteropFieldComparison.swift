import Foundation

/// Compares tshark's dissection with mqttlab's, packet by packet and field by field.
///
/// Rules:
/// * Packets are paired by frame number and by position among the MQTT packets of that frame.
/// * Every `mqtt.*` leaf tshark reports must appear in mqttlab's flattened field tree: the n-th occurrence of a key
///   in tshark is compared with the n-th occurrence of the same key in mqttlab (repeated keys — properties, topic
///   filters, reason codes — line up in wire order). Extra mqttlab fields are fine.
/// * Values are compared after normalizing tshark's text by the field's type from `tshark -G fields`:
///   FT_BOOLEAN "0"/"1"/"True"/"False" → JSON bool; FT_UINT*/FT_INT* decimal or "0x…" → JSON number;
///   FT_BYTES colon hex "68:65" → plain lowercase hex string "6865" ("" when empty);
///   FT_STRING/FT_UINT_STRING → the same JSON string.
///
/// tshark 4.0.17 quirks deliberately ignored (see /tmp/interop/tshark-notes.md for captures):
/// 1. Lost sync: when a remaining-length varint is split across TCP segments tshark misreads the rest of that
///    TCP stream ("Reserved" type 0 packets, `[Malformed Packet]`). From the first tshark PDU of a stream that is
///    malformed or has message type 0, the rest of that stream is not compared.
/// 2. Binary data shown as text: correlation data (0x09), authentication data (0x16) and the password are
///    FT_STRING in tshark; it stops at the first NUL ("Trailing stray characters") and turns invalid UTF-8 into
///    U+FFFD. mqttlab may print them as hex (binary data): they are compared by decoding mqttlab's hex as UTF-8, and
///    not compared when those bytes contain NUL or are not valid UTF-8.
/// 3. Topic alias: for a v5 PUBLISH with topic length 0, tshark adds a *generated* `mqtt.topic` (the topic the
///    alias was bound to earlier, not on the wire) after the properties. `mqtt.topic` is not compared there.
struct InteropFieldComparison {
    /// Keys tshark types as FT_STRING whose MQTT type is Binary Data (quirk 2).
    static let binaryShownAsText: Set<String> = ["mqtt.passwd", "mqtt.prop_string"]

    enum Issue: CustomStringConvertible {
        case missingPacket(TsharkPDU)
        case packetCount(frame: Int, tshark: [String], mqttlab: [String])
        case typeMismatch(frame: Int, index: Int, tshark: String, mqttlab: String)
        case field(frame: Int, index: Int, packetType: String, key: String, occurrence: Int, fieldType: String,
                   tshark: String, expected: String, mqttlab: String, note: String)

        var key: String? {
            if case .field(_, _, _, let key, _, _, _, _, _, _) = self { return key }
            return nil
        }

        var description: String {
            switch self {
            case .missingPacket(let pdu):
                return "frame \(pdu.frame) #\(pdu.indexInFrame + 1) \(pdu.typeName): mqttlab printed no packet here "
                    + "(tshark: \(pdu.leaves.prefix(6).map { "\($0.key)=\($0.text)" }.joined(separator: " ")))"
            case .packetCount(let frame, let tshark, let ours):
                return "frame \(frame): tshark has \(tshark.count) MQTT packet(s) \(tshark), mqttlab has \(ours.count) \(ours)"
            case .typeMismatch(let frame, let index, let tshark, let ours):
                return "frame \(frame) #\(index + 1): tshark says \(tshark), mqttlab says \(ours)"
            case .field(let frame, let index, let type, let key, let occurrence, let fieldType, let tshark, let expected, let ours, let note):
                let nth = occurrence > 0 ? "[\(occurrence + 1)]" : ""
                return "frame \(frame) #\(index + 1) \(type): \(key)\(nth) (\(fieldType))  tshark=\(InteropJSON.quote(tshark))"
                    + " → expected \(expected)  mqttlab=\(ours)\(note.isEmpty ? "" : "  (\(note))")"
            }
        }
    }

    struct Report {
        var issues: [Issue] = []
        var comparedPackets = 0
        var comparedFields = 0
        var ignored: [String] = []

        var isClean: Bool { issues.isEmpty }

        /// "mqtt.x ×3, mqtt.y ×1" — the keys that differ, for the lead.
        var mismatchSummary: String {
            var counts: [String: Int] = [:]
            for issue in issues {
                counts[issue.key ?? "(packet-level)", default: 0] += 1
            }
            return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        }

        func render(limit: Int = 120) -> String {
            var lines = ["\(issues.count) difference(s) between tshark and mqttlab "
                + "(\(comparedPackets) packets, \(comparedFields) tshark fields compared)"]
            if !issues.isEmpty { lines.append("keys: \(mismatchSummary)") }
            lines += issues.prefix(limit).map { "  " + $0.description }
            if issues.count > limit { lines.append("  … \(issues.count - limit) more") }
            if !ignored.isEmpty {
                lines.append("ignored (documented tshark quirks):")
                lines += ignored.prefix(20).map { "  " + $0 }
            }
            return lines.joined(separator: "\n")
        }
    }

    let fieldTypes: [String: String]

    func compare(tshark: [TsharkPDU], mqttlab: [MQTTLabDecodedPacket]) -> Report {
        var report = Report()
        var ours: [Int: [MQTTLabDecodedPacket]] = [:]
        for packet in mqttlab { ours[packet.frame, default: []].append(packet) }
        var tsharkByFrame: [Int: [TsharkPDU]] = [:]
        var frameOrder: [Int] = []
        for pdu in tshark {
            if tsharkByFrame[pdu.frame] == nil { frameOrder.append(pdu.frame) }
            tsharkByFrame[pdu.frame, default: []].append(pdu)
        }
        var lostStreams = Set<Int>()
        for frame in frameOrder {
            let theirs = tsharkByFrame[frame] ?? []
            let mine = ours[frame] ?? []
            var trusted: [TsharkPDU] = []
            for pdu in theirs {
                let stream = pdu.tcpStream ?? -1
                if pdu.malformed || pdu.messageType == 0 { lostStreams.insert(stream) }
                if lostStreams.contains(stream) {
                    report.ignored.append("frame \(frame) #\(pdu.indexInFrame + 1) \(pdu.typeName): tcp.stream \(stream) "
                        + "after tshark lost sync / malformed (quirk 1)")
                } else {
                    trusted.append(pdu)
                }
            }
            guard !trusted.isEmpty else { continue }
            if trusted.count == theirs.count, mine.count != theirs.count {
                report.issues.append(.packetCount(frame: frame, tshark: theirs.map(\.typeName), mqttlab: mine.map(\.type)))
            }
            for pdu in trusted {
                guard pdu.indexInFrame < mine.count else {
                    report.issues.append(.missingPacket(pdu))
                    continue
                }
                comparePacket(pdu, mine[pdu.indexInFrame], into: &report)
            }
        }
        return report
    }

    private func comparePacket(_ pdu: TsharkPDU, _ packet: MQTTLabDecodedPacket, into report: inout Report) {
        report.comparedPackets += 1
        let name = pdu.typeName
        if packet.type.uppercased() != name, name != "?" {
            report.issues.append(.typeMismatch(frame: pdu.frame, index: pdu.indexInFrame, tshark: name, mqttlab: packet.type))
        }
        var ourValues: [String: [InteropJSON]] = [:]
        for leaf in packet.leaves { ourValues[leaf.key, default: []].append(leaf.value) }

        let aliasOnlyTopic = name == "PUBLISH" && pdu.leaves.contains { $0.key == "mqtt.topic_len" && $0.text == "0" }
        var seen: [String: Int] = [:]
        for leaf in pdu.leaves {
            if aliasOnlyTopic, leaf.key == "mqtt.topic" {
                report.ignored.append("frame \(pdu.frame) #\(pdu.indexInFrame + 1): generated mqtt.topic=\(leaf.text) for a topic alias (quirk 3)")
                continue
            }
            let occurrence = seen[leaf.key, default: 0]
            seen[leaf.key] = occurrence + 1
            report.comparedFields += 1
            let fieldType = fieldTypes[leaf.key] ?? "unknown type"
            let candidates = ourValues[leaf.key] ?? []
            let ours: InteropJSON? = occurrence < candidates.count ? candidates[occurrence] : nil
            let verdict = Self.judge(key: leaf.key, tsharkText: leaf.text, fieldType: fieldType, ours: ours)
            switch verdict {
            case .match:
                break
            case .ignored(let why):
                report.ignored.append("frame \(pdu.frame) #\(pdu.indexInFrame + 1) \(name): \(leaf.key)=\(InteropJSON.quote(leaf.text)): \(why)")
            case .mismatch(let expected, let note):
                var missingNote = note
                if ours == nil {
                    missingNote = candidates.isEmpty
                        ? "key absent" + (note.isEmpty ? "" : "; " + note)
                        : "only \(candidates.count) occurrence(s) in mqttlab"
                }
                report.issues.append(.field(
                    frame: pdu.frame, index: pdu.indexInFrame, packetType: name, key: leaf.key, occurrence: occurrence,
                    fieldType: fieldType, tshark: leaf.text, expected: expected,
                    mqttlab: ours?.rendered ?? "<missing>", note: missingNote
                ))
            }
        }
    }

    enum Verdict: Equatable {
        case match
        case ignored(String)
        case mismatch(expected: String, note: String)
    }

    /// Decides whether mqttlab's JSON `value` says the same as tshark's text for a field of type `fieldType`.
    static func judge(key: String, tsharkText: String, fieldType: String, ours: InteropJSON?) -> Verdict {
        if fieldType == "FT_BOOLEAN" {
            let lowered = tsharkText.lowercased()
            let expected: Bool
            switch lowered {
            case "1", "true": expected = true
            case "0", "false": expected = false
            default:
                guard let number = parseInteger(tsharkText) else { return .mismatch(expected: "a boolean", note: "unreadable tshark text") }
                expected = number.description != "0"
            }
            if case .bool(expected) = ours { return .match }
            let note: String
            if case .number = ours { note = "FT_BOOLEAN must be a JSON boolean" } else { note = "" }
            return .mismatch(expected: expected ? "true" : "false", note: note)
        }
        if isStringType(fieldType) {
            if case .string(let text) = ours {
                if text == tsharkText { return .match }
                if binaryShownAsText.contains(key), let bytes = hexBytes(text) {
                    if bytes.contains(0) || String(interopValidatingUTF8: bytes) == nil {
                        return .ignored("binary value \(text) is not NUL-free UTF-8, tshark cannot show it (quirk 2)")
                    }
                    if String(decoding: bytes, as: UTF8.self) == tsharkText { return .match }
                }
                if tsharkText.contains("\u{FFFD}") || text.contains("\u{0}") {
                    return .ignored("not valid text on the wire; tshark shows \(InteropJSON.quote(tsharkText)) (quirk 2)")
                }
            }
            return .mismatch(expected: InteropJSON.quote(tsharkText), note: "")
        }
        if fieldType.hasPrefix("FT_UINT") || fieldType.hasPrefix("FT_INT") || fieldType == "FT_CHAR" {
            guard let expected = parseInteger(tsharkText) else {
                return .mismatch(expected: "a number", note: "unreadable tshark text")
            }
            if case .number(let text) = ours, let value = parseJSONInteger(text), value == expected { return .match }
            var note = ""
            if case .string(let text) = ours, parseInteger(text) == expected { note = "must be a JSON number, not a string" }
            if case .bool = ours { note = "\(fieldType) must be a JSON number" }
            return .mismatch(expected: expected.description, note: note)
        }
        if fieldType == "FT_BYTES" {
            let expected = tsharkText.replacingOccurrences(of: ":", with: "").lowercased()
            if case .string(let text) = ours, text.lowercased() == expected { return .match }
            var note = ""
            if case .string(let text) = ours, text.replacingOccurrences(of: ":", with: "").lowercased() == expected {
                note = "hex must have no separators"
            } else if case .string(let text) = ours, Data(text.utf8).interopHexString == expected {
                note = "FT_BYTES must be hex, not text"
            }
            return .mismatch(expected: InteropJSON.quote(expected), note: note)
        }
        // Unknown type: accept the same text or the same integer.
        switch ours {
        case .string(let text) where text == tsharkText: return .match
        case .number(let text) where parseJSONInteger(text) != nil && parseJSONInteger(text) == parseInteger(tsharkText): return .match
        default: return .mismatch(expected: InteropJSON.quote(tsharkText), note: "")
        }
    }

    static func isStringType(_ fieldType: String) -> Bool {
        ["FT_STRING", "FT_STRINGZ", "FT_UINT_STRING", "FT_STRINGZPAD", "FT_STRINGZTRUNC"].contains(fieldType)
    }

    /// tshark integer text: decimal, or "0x…" hex (BASE_HEX). Wide enough for FT_UINT64.
    static func parseInteger(_ text: String) -> IntegerValue? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased().hasPrefix("0x") {
            return UInt64(trimmed.dropFirst(2), radix: 16).map(IntegerValue.unsigned)
        }
        if trimmed.hasPrefix("-") { return Int64(trimmed).map(IntegerValue.signed) }
        return UInt64(trimmed).map(IntegerValue.unsigned)
    }

    /// A JSON number that is an integer ("48", also "48.0").
    static func parseJSONInteger(_ text: String) -> IntegerValue? {
        if let value = parseInteger(text), !text.lowercased().hasPrefix("0x") { return value }
        if let double = Double(text), double.rounded() == double, abs(double) < 9.0e15 {
            return double < 0 ? .signed(Int64(double)) : .unsigned(UInt64(double))
        }
        return nil
    }

    enum IntegerValue: Equatable, CustomStringConvertible {
        case unsigned(UInt64)
        case signed(Int64)

        static func == (lhs: IntegerValue, rhs: IntegerValue) -> Bool { lhs.description == rhs.description }
        var description: String {
            switch self {
            case .unsigned(let value): return String(value)
            case .signed(let value): return String(value)
            }
        }
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = hexDigit(digits[index]), let low = hexDigit(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension String {
    /// Strict UTF-8 decoding: nil when `bytes` is not valid UTF-8.
    init?(interopValidatingUTF8 bytes: [UInt8]) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var scalars = String.UnicodeScalarView()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: self = String(scalars); return
            case .error: return nil
            }
        }
    }
}

extension Data {
    var interopHexString: String { map { String(format: "%02x", $0) }.joined() }
}
