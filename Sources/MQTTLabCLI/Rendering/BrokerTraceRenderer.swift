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
/// block; the command passes the `BoundedLineWriter`'s `enqueue`). Packet lines come from
/// `PacketTraceLines`, which the client's trace (`ClientTraceRenderer`) shares.
final class BrokerTraceRenderer: BrokerTraceSink {
    let mode: BrokerTraceMode
    let language: Language
    private var packets: PacketTraceLines
    private let events: BrokerTraceEvents
    private let emit: (String) -> Void

    static var indent: String { PacketTraceLines.indent }

    init(mode: BrokerTraceMode, language: Language, style: Style, width: Int?, showSecrets: Bool, emit: @escaping (String) -> Void) {
        self.mode = mode
        self.language = language
        self.packets = PacketTraceLines(mode: mode, language: language, style: style, width: width, showSecrets: showSecrets)
        self.events = BrokerTraceEvents(language: language)
        self.emit = emit
    }

    // MARK: BrokerTraceSink

    func trace(packet record: BrokerPacketRecord) {
        let lines = packets.lines(
            time: Self.time(record.time), who: record.clientID ?? record.connection.description, known: record.clientID != nil,
            direction: record.direction == .incoming ? .clientToBroker : .brokerToClient, bytes: record.bytes,
            version: record.version, packet: record.packet, error: record.error, isComplete: record.isComplete)
        for line in lines { emit(line) }
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
            return PacketTraceLines.indent + line.text
        case .headline:
            let who = line.clientID.map { packets.client($0, known: true) }
                ?? line.connection.map { packets.client($0.description, known: false) }
                ?? PacketTraceLines.pad("", packets.clientWidth)
            return Self.time(time) + "  " + who + " " + line.text
        }
    }

    /// The broker's password masking is the shared one (the JSON trace uses it too).
    static func maskingPasswords(_ dissection: Dissection) -> Dissection {
        PacketTraceLines.maskingPasswords(dissection)
    }

    /// "10:42:07.331" in the local time zone: the classroom's clock.
    static func time(_ time: BrokerWallClock) -> String {
        PacketTraceLines.time(seconds: time.seconds, nanoseconds: time.nanoseconds)
    }
}
