import MQTTBroker
import MQTTCodec

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One line of the packet list — number, time, client, direction, type and the broker trace's plain-words
/// summary (`BrokerTraceSummary`, so the inspector and the broker describe a packet the same way).
struct PacketListLine {
    var language: Language

    /// Column widths: number, time, client.
    static let numberWidth = 5
    static let timeWidth = 13
    static let clientWidth = 11

    func line(_ packet: InspectedPacket) -> String {
        let number = DisplayWidth.fit(String(packet.number), toWidth: Self.numberWidth)
        let time = DisplayWidth.fit(packet.time.map(Self.clock) ?? "", toWidth: Self.timeWidth)
        let client = DisplayWidth.fit(DisplayWidth.truncate(packet.client ?? "", toWidth: Self.clientWidth - 1, ellipsis: "…"),
                                      toWidth: Self.clientWidth)
        let type = DisplayWidth.fit(packet.type?.description ?? "?", toWidth: 12)
        return number + " " + time + " " + client + packet.direction.arrow + " " + type + summary(packet)
    }

    /// The packet in plain words; for a malformed one, where it breaks.
    func summary(_ packet: InspectedPacket) -> String {
        if let error = packet.dissection.error {
            return "✗ " + InspectText.malformedAt(error.offset).text(language) + ": " + error.violation.message.text(language)
        }
        guard let decoded = packet.packet else { return "" }
        let direction: TraceDirection = packet.direction == .toClient ? .brokerToClient : .clientToBroker
        return BrokerTraceSummary(language: language, showSecrets: true)
            .summary(decoded, version: packet.dissection.version, direction: direction)
    }

    /// "12:01:41.248" in local time (TZ decides, as for the broker's own trace).
    static func clock(_ seconds: Double) -> String {
        var whole = time_t(seconds.rounded(.down))
        var parts = tm()
        localtime_r(&whole, &parts)
        let milliseconds = min(999, Int(((seconds - seconds.rounded(.down)) * 1000).rounded(.down)))
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(millis)"
    }
}

/// What `/` matches: every word of the filter must match the packet's client, its type, or one of its
/// topics (case-insensitive; a type matches by prefix, so "pub" finds PUBLISH, PUBACK, PUBREC…).
struct PacketFilter: Equatable, Sendable {
    let words: [String]

    init(_ text: String) {
        words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    var isEmpty: Bool { words.isEmpty }

    func matches(_ packet: InspectedPacket) -> Bool {
        words.allSatisfy { word in
            if let client = packet.client, client.lowercased().contains(word) { return true }
            if let type = packet.type, type.description.lowercased().hasPrefix(word) { return true }
            return packet.topics.contains { $0.lowercased().contains(word) }
        }
    }
}
