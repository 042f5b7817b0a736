import MQTTBrokerCore
import MQTTClient
import MQTTCodec
import Synchronization

/// `mqttlab pub|sub|rr --trace summary|fields|hex`: the client's own packets, decoded and explained by
/// the same `PacketTraceLines` as the broker's trace, so both sides of a conversation read alike. After
/// a SUBACK or a failing 5.0 acknowledgement it adds a line saying what it means for this client (a
/// lower QoS granted, a refusal) — the broker's trace says the same from its side.
final class ClientTraceRenderer: ClientTraceSink {
    private struct State: ~Copyable {
        var lines: PacketTraceLines
        /// What each SUBSCRIBE asked for, by packet id, to explain its SUBACK.
        var requested: [UInt16: [Subscribe.Subscription]] = [:]
    }

    private let state: Mutex<State>
    private let events: BrokerTraceEvents
    private let language: Language
    private let emit: @Sendable (String) -> Void

    init(mode: ClientTraceChoice, language: Language, style: Style, width: Int?, emit: @escaping @Sendable (String) -> Void) {
        let traceMode: BrokerTraceMode = switch mode {
        case .summary: .summary
        case .fields: .fields
        case .hex: .hex
        }
        let hint = LocalizedText(en: "hidden: a trace never shows the password (anyone on the network sees it without TLS)",
                                 es: "oculta: la traza nunca enseña la contraseña (sin TLS la ve cualquiera en la red)")
        let lines = PacketTraceLines(mode: traceMode, language: language, style: style, width: width, showSecrets: false, secretHint: hint)
        self.state = Mutex(State(lines: lines))
        self.events = BrokerTraceEvents(language: language)
        self.language = language
        self.emit = emit
    }

    func trace(_ record: ClientPacketRecord) {
        let seconds = Int(record.nanosecondsSince1970 / 1_000_000_000)
        let nanoseconds = Int(record.nanosecondsSince1970 % 1_000_000_000)
        let who = record.clientID.isEmpty ? (language == .es ? "(sin id)" : "(no id)") : record.clientID
        let output = state.withLock { state -> [String] in
            var output = state.lines.lines(
                time: PacketTraceLines.time(seconds: seconds, nanoseconds: nanoseconds), who: who, known: true,
                direction: record.direction == .sent ? .clientToBroker : .brokerToClient, bytes: record.bytes,
                version: record.version, packet: record.packet, error: record.error, isComplete: true)
            switch record.packet {
            case .subscribe(let subscribe):
                state.requested[subscribe.packetID] = subscribe.subscriptions
            case .suback(let suback):
                let asked = state.requested.removeValue(forKey: suback.packetID) ?? []
                // Only what deserves a word: a refusal, or less than was asked.
                for (subscription, code) in zip(asked, suback.reasonCodes)
                where code.isFailure || code.rawValue < subscription.options.qos.rawValue {
                    let event = BrokerEvent.subscriptionAnswered(clientID: record.clientID, filter: subscription.filter,
                                                                 requested: subscription.options.qos, result: code)
                    output += events.lines(event).map { PacketTraceLines.indent + $0.text }
                }
            default:
                break
            }
            return output
        }
        for line in output { emit(line) }
    }
}
