import MQTTBroker
import MQTTBrokerCore
import MQTTCodec

/// Checks the vocabulary cannot express, written in Swift and named from the data (`checker: NAME`).
/// Each returns the indices of the observations where it was satisfied (empty: not yet).
///
/// To add one: a function here and a line in `all` (lint then accepts the name) and a row in
/// Docs/EXERCISES.md, "Named checkers".
public struct NamedChecker: Sendable {
    public var name: String
    /// What it requires, as the "missing" line of a failed check says it.
    public var summary: LocalizedText
    let run: @Sendable ([Observation]) -> [Int]
}

public enum NamedCheckers {
    public static let all: [String: NamedChecker] = Dictionary(uniqueKeysWithValues: [
        NamedChecker(
            name: "qos2-handshake",
            summary: LocalizedText(
                en: "a complete QoS 2 exchange from a client: PUBLISH → PUBREC → PUBREL → PUBCOMP with one packet id",
                es: "un intercambio QoS 2 completo desde un cliente: PUBLISH → PUBREC → PUBREL → PUBCOMP con un mismo packet id"),
            run: qos2Handshakes),
        NamedChecker(
            name: "keepalive-pings",
            summary: LocalizedText(
                en: "a client with keep alive of 10 s or less that stays connected and sends at least 2 PINGREQ",
                es: "un cliente con keep alive de 10 s o menos que sigue conectado y envía al menos 2 PINGREQ"),
            run: keepAlivePings),
    ].map { ($0.name, $0) })

    /// Each PUBCOMP that closes a QoS 2 flow the client started, on the same connection and packet id.
    static func qos2Handshakes(_ log: [Observation]) -> [Int] {
        // connection+id → stage reached (1 PUBLISH, 2 PUBREC, 3 PUBREL).
        var stage: [String: Int] = [:]
        var result: [Int] = []
        for observation in log {
            guard case .packet(let record) = observation.item, let packet = record.packet else { continue }
            let incoming = record.direction == .incoming
            func key(_ id: UInt16) -> String { "\(record.connection)#\(id)" }
            switch packet {
            case .publish(let publish) where incoming && publish.qos == .exactlyOnce:
                if let id = publish.packetID { stage[key(id)] = 1 }
            case .pubrec(let ack) where !incoming:
                if stage[key(ack.packetID)] == 1 { stage[key(ack.packetID)] = 2 }
            case .pubrel(let ack) where incoming:
                if stage[key(ack.packetID)] == 2 { stage[key(ack.packetID)] = 3 }
            case .pubcomp(let ack) where !incoming:
                if stage[key(ack.packetID)] == 3 {
                    stage[key(ack.packetID)] = nil
                    result.append(observation.index)
                }
            default:
                continue
            }
        }
        return result
    }

    /// The second PINGREQ of each connection whose CONNECT asked for a keep alive of 1 to 10 seconds.
    static func keepAlivePings(_ log: [Observation]) -> [Int] {
        var short: Set<String> = []
        var pings: [String: Int] = [:]
        var result: [Int] = []
        for observation in log {
            guard case .packet(let record) = observation.item, record.direction == .incoming else { continue }
            let connection = "\(record.connection)"
            switch record.packet {
            case .connect(let connect)?:
                if (1...10).contains(connect.keepAlive) { short.insert(connection) }
            case .pingreq?:
                guard short.contains(connection) else { continue }
                pings[connection, default: 0] += 1
                if pings[connection] == 2 { result.append(observation.index) }
            default:
                continue
            }
        }
        return result
    }
}
