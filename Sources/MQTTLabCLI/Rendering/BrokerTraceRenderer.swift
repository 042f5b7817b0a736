import MQTTBroker
import MQTTBrokerCore
import MQTTCodec

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How much of each packet the broker's trace shows.
enum BrokerTraceMode: String, CaseIterable, Sendable {
    /// Nothing but the first line.
    case off
    /// One line per packet in and out, and per event (the default).
    case summary
    /// The summary line, then the packet's fields: offset, bytes, field, value, meaning.
    case fields
    /// The summary line, the annotated hex dump, then the fields.
    case hex
}

/// The broker's live trace: a `BrokerTraceSink` that turns packet records and events into lines like
///
///     10:42:08.120  sensor1 → PUBLISH     Casa/Cocina/Temperatura · "22.5" · QoS 1 · id 7 · retain
///                   · stored as the retained value of Casa/Cocina/Temperatura
///     10:42:08.120  sensor1 ← PUBACK      id 7 · the broker now owns the message
///
/// Runs on the broker's event loop: it only builds text and hands each line to `emit` (which must not
/// block; the command passes the `BoundedLineWriter`'s `enqueue`). Each client keeps one color for the whole run.
final class BrokerTraceRenderer: BrokerTraceSink {
    let mode: BrokerTraceMode
    let language: Language
    let style: Style
    /// Terminal width for wrapping the fields table; nil for pipes and files.
    let width: Int?
    private let summary: BrokerTraceSummary
    private let events: BrokerTraceEvents
    private let emit: (String) -> Void
    private var colors: [String: Int] = [:]
    private var clientWidth = 7

    static let maximumClientWidth = 16
    /// Width of "HH:MM:SS.mmm" plus the two spaces after it: where detail lines start.
    static let indent = String(repeating: " ", count: 14)
    static let nameWidth = 12

    init(mode: BrokerTraceMode, language: Language, style: Style, width: Int?, showSecrets: Bool, emit: @escaping (String) -> Void) {
        self.mode = mode
        self.language = language
        self.style = style
        self.width = width
        self.summary = BrokerTraceSummary(language: language, showSecrets: showSecrets)
        self.events = BrokerTraceEvents(language: language)
        self.emit = emit
    }

    // MARK: BrokerTraceSink

    func trace(packet record: BrokerPacketRecord) {
        guard mode != .off else { return }
        let arrow = record.direction == .incoming ? "→" : "←"
        let type = record.packet?.type ?? record.bytes.first.flatMap { PacketType(rawValue: $0 >> 4) }
        let name = Self.pad(type?.description ?? "?", Self.nameWidth)
        let text: String
        if let packet = record.packet {
            text = summary.summary(packet, version: record.version, direction: record.direction)
        } else if let error = record.error {
            text = style.error(malformedText(error, isComplete: record.isComplete))
        } else {
            text = ""
        }
        let who = record.clientID ?? record.connection.description
        emit(Self.time(record.time) + "  " + client(who, known: record.clientID != nil) + " " + arrow + " " + name + text)
        if mode == .fields || mode == .hex, record.isComplete, !record.bytes.isEmpty {
            for line in dissectionLines(record) { emit(line) }
        }
    }

    func trace(event: BrokerEvent, at time: BrokerWallClock) {
        guard mode != .off else { return }
        for line in events.lines(event) { emit(layout(line, time: time)) }
    }

    func trace(transport: BrokerTransportEvent, at time: BrokerWallClock) {
        guard mode != .off else { return }
        // A new socket is noise in the one-line view (its CONNECT follows); the detailed views show it.
        if case .accepted = transport, mode == .summary { return }
        for line in events.lines(transport) { emit(layout(line, time: time)) }
    }

    // MARK: Layout

    private func layout(_ line: BrokerTraceEventLine, time: BrokerWallClock) -> String {
        switch line.kind {
        case .detail:
            return Self.indent + line.text
        case .headline:
            let who = line.clientID.map { client($0, known: true) }
                ?? line.connection.map { client($0.description, known: false) }
                ?? Self.pad("", clientWidth)
            return Self.time(time) + "  " + who + " " + line.text
        }
    }

    /// The client column: padded to the longest id seen so far (up to 16), in the client's own color.
    private func client(_ id: String, known: Bool) -> String {
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

    // MARK: Fields and hex views

    /// The codec's dissection of the record's bytes, rendered by the same renderer as `mqttlab decode`,
    /// passwords masked unless --show-secrets.
    private func dissectionLines(_ record: BrokerPacketRecord) -> [String] {
        var dissection = PacketDecoder.dissect(record.bytes, version: record.version)
        if !summary.showSecrets { dissection = Self.maskingPasswords(dissection) }
        let renderer = DissectionTextRenderer(language: language, style: style, width: width)
        let text = renderer.render(dissection, title: nil, hexDump: mode == .hex)
        return text.components(separatedBy: "\n").filter { !$0.isEmpty } + [""]
    }

    /// The password's bytes become `*`, its value `••••` and its note (which quotes the text) a hint: the
    /// length stays visible (its length field shows it anyway), the secret does not.
    static func maskingPasswords(_ dissection: Dissection) -> Dissection {
        var result = dissection
        func visit(_ fields: [Field]) -> [Field] {
            fields.map { field in
                var field = field
                if case .password = field.kind {
                    for offset in field.range where offset < result.bytes.count { result.bytes[offset] = 0x2A }
                    field.value = .string(BrokerTraceSummary.mask)
                    field.note = LocalizedText(en: "hidden: run the broker with --show-secrets to see it",
                                               es: "oculta: arranca el broker con --show-secrets para verla")
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
    static func time(_ time: BrokerWallClock) -> String {
        var seconds = time_t(time.seconds)
        var parts = tm()
        localtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = time.nanoseconds / 1_000_000
        let milliText = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(milliText)"
    }
}
