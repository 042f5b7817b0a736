import MQTTCodec

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which way a packet travels on the wire, whichever side traces it: the broker's `→` (a packet it
/// received) is the client's `→` (a packet it sent), so both traces read the same way.
enum TraceDirection: Sendable, Equatable {
    case clientToBroker
    case brokerToClient

    var arrow: String { self == .clientToBroker ? "→" : "←" }
}

/// The packet lines of a trace, shared by the broker's (`mqttlab broker`) and the client's
/// (`mqttlab pub|sub|rr --trace`): a summary line "time  client → TYPE  plain words", then, in the fields
/// and hex views, the codec's dissection rendered as `mqttlab decode` renders it. Keeps one color per
/// client for the whole run.
struct PacketTraceLines {
    let mode: BrokerTraceMode
    let language: Language
    let style: Style
    /// Terminal width for wrapping the fields table; nil for pipes and files.
    let width: Int?
    let summary: BrokerTraceSummary
    /// What the masked password's note says (the broker can show it with --show-secrets; a client cannot).
    let secretHint: LocalizedText
    private var colors: [String: Int] = [:]
    private(set) var clientWidth = 7

    static let maximumClientWidth = 16
    /// Width of "HH:MM:SS.mmm" plus the two spaces after it: where detail lines start.
    static let indent = String(repeating: " ", count: 14)
    static let nameWidth = 12

    init(mode: BrokerTraceMode, language: Language, style: Style, width: Int?, showSecrets: Bool,
         secretHint: LocalizedText = Self.brokerSecretHint) {
        self.secretHint = secretHint
        self.mode = mode
        self.language = language
        self.style = style
        self.width = width
        self.summary = BrokerTraceSummary(language: language, showSecrets: showSecrets)
    }

    /// The lines for one packet. `who` is the client id (or a connection number when `known` is false).
    mutating func lines(
        time: String, who: String, known: Bool, direction: TraceDirection, bytes: [UInt8], version: ProtocolVersion,
        packet: Packet?, error: MalformedPacket?, isComplete: Bool
    ) -> [String] {
        guard mode != .off else { return [] }
        let type = packet?.type ?? bytes.first.flatMap { PacketType(rawValue: $0 >> 4) }
        let name = Self.pad(type?.description ?? "?", Self.nameWidth)
        let text: String
        if let packet {
            text = summary.summary(packet, version: version, direction: direction)
        } else if let error {
            text = style.error(malformedText(error, isComplete: isComplete))
        } else {
            text = ""
        }
        var lines = [time + "  " + client(who, known: known) + " " + direction.arrow + " " + name + text]
        if mode == .fields || mode == .hex, isComplete, !bytes.isEmpty {
            lines += dissectionLines(bytes: bytes, version: version)
        }
        return lines
    }

    /// The client column: padded to the longest id seen so far (up to 16), in the client's own color.
    mutating func client(_ id: String, known: Bool) -> String {
        let clipped = id.count > Self.maximumClientWidth ? String(id.prefix(Self.maximumClientWidth - 1)) + "…" : id
        clientWidth = max(clientWidth, clipped.count)
        let padded = Self.pad(clipped, clientWidth)
        guard known else { return style.faint(padded) }
        let index: Int
        if let existing = colors[id] {
            index = existing
        } else {
            index = colors.count
            colors[id] = index
        }
        return style.field(index, padded)
    }

    private func malformedText(_ error: MalformedPacket, isComplete: Bool) -> String {
        var text = "✗ "
        if isComplete {
            text += language == .es ? "mal formado en el byte \(error.offset): " : "malformed at byte \(error.offset): "
        }
        text += error.violation.message.text(language)
        if let spec = error.specID { text += " [\(spec)]" }
        return text
    }

    /// The codec's dissection of the bytes, rendered by the same renderer as `mqttlab decode`, passwords
    /// masked unless --show-secrets.
    private func dissectionLines(bytes: [UInt8], version: ProtocolVersion) -> [String] {
        var dissection = PacketDecoder.dissect(bytes, version: version)
        if !summary.showSecrets { dissection = Self.maskingPasswords(dissection, hint: secretHint) }
        let renderer = DissectionTextRenderer(language: language, style: style, width: width)
        let text = renderer.render(dissection, title: nil, hexDump: mode == .hex)
        return text.components(separatedBy: "\n").filter { !$0.isEmpty } + [""]
    }

    /// The password's bytes become `*`, its value `••••` and its note (which quotes the text) a hint: the
    /// length stays visible (its length field shows it anyway), the secret does not.
    static let brokerSecretHint = LocalizedText(en: "hidden: run the broker with --show-secrets to see it",
                                                es: "oculta: arranca el broker con --show-secrets para verla")

    static func maskingPasswords(_ dissection: Dissection, hint: LocalizedText = brokerSecretHint) -> Dissection {
        var result = dissection
        func visit(_ fields: [Field]) -> [Field] {
            fields.map { field in
                var field = field
                if case .password = field.kind {
                    for offset in field.range where offset < result.bytes.count { result.bytes[offset] = 0x2A }
                    field.value = .string(BrokerTraceSummary.mask)
                    field.note = hint
                }
                field.children = visit(field.children)
                return field
            }
        }
        result.fields = visit(result.fields)
        return result
    }

    /// Pads with spaces to `width` characters (a text as wide as the column gets no extra space).
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// "10:42:07.331" in the local time zone: the classroom's clock.
    static func time(seconds: Int, nanoseconds: Int) -> String {
        var seconds = time_t(seconds)
        var parts = tm()
        localtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = nanoseconds / 1_000_000
        let milliText = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(milliText)"
    }
}
