import MQTTClient
import MQTTCodec
import Synchronization

/// `-d`: the lines `mosquitto_pub/sub -d` print for every packet, word for word
/// ("Client ana sending PUBLISH (d0, q1, r0, m1, 'casa/luz', ... (2 bytes))"), so that a tutorial's
/// output and mqttlab's look the same. The explained trace is `--trace`.
final class MosquittoDebugLog: ClientTraceSink {
    /// Mosquitto counts a message id for QoS 0 publishes too (none goes on the wire).
    private let lastMid = Mutex<UInt16>(0)
    /// The configured id; in 5.0 the id the broker assigned, from its CONNACK on (as Mosquitto prints it).
    private let name: Mutex<String>
    private let write: @Sendable (String) -> Void

    /// `configuredID` is the id given with -i/-I: Mosquitto prints "(null)" without one, even once the
    /// broker assigned an id.
    init(configuredID: String?, write: @escaping @Sendable (String) -> Void) {
        self.name = Mutex((configuredID?.isEmpty ?? true) ? "(null)" : configuredID!)
        self.write = write
    }

    func trace(_ record: ClientPacketRecord) {
        guard let packet = record.packet else { return }
        for line in lines(packet, sent: record.direction == .sent, version: record.version) {
            write(line)
        }
    }

    func lines(_ packet: Packet, sent: Bool, version: ProtocolVersion) -> [String] {
        if case .connack(let connack) = packet,
           let assigned = connack.properties.firstValue({ if case .assignedClientIdentifier(let id) = $0 { id } else { nil } }) {
            name.withLock { $0 = assigned }
        }
        let prefix = "Client \(name.withLock { $0 }) " + (sent ? "sending " : "received ")
        switch packet {
        case .connect: return [prefix + "CONNECT"]
        case .connack(let connack): return [prefix + "CONNACK (\(connack.reasonCode.rawValue))"]
        case .publish(let publish):
            let mid: UInt16 = lastMid.withLock { last in
                if let id = publish.packetID {
                    if sent { last = id }
                    return id
                }
                guard sent else { return 0 }
                last = last == UInt16.max ? 1 : last + 1
                return last
            }
            return [prefix + "PUBLISH (d\(publish.dup ? 1 : 0), q\(publish.qos.rawValue), r\(publish.retain ? 1 : 0), m\(mid), '\(publish.topic)', ... (\(publish.payload.count) bytes))"]
        case .puback(let ack):
            return [prefix + (sent ? "PUBACK (m\(ack.packetID), rc\(ack.reasonCode.rawValue))" : "PUBACK (Mid: \(ack.packetID), RC:\(ack.reasonCode.rawValue))")]
        case .pubrec(let ack):
            return [prefix + (sent ? "PUBREC (m\(ack.packetID), rc\(ack.reasonCode.rawValue))" : "PUBREC (Mid: \(ack.packetID))")]
        case .pubrel(let ack):
            return [prefix + (sent ? "PUBREL (m\(ack.packetID))" : "PUBREL (Mid: \(ack.packetID))")]
        case .pubcomp(let ack):
            return [prefix + (sent ? "PUBCOMP (m\(ack.packetID))" : "PUBCOMP (Mid: \(ack.packetID), RC:\(ack.reasonCode.rawValue))")]
        case .subscribe(let subscribe):
            return subscribe.subscriptions.map { subscription in
                let options = version.isV5 ? subscription.options.byte & 0xFC : 0
                return prefix + "SUBSCRIBE (Mid: \(subscribe.packetID), Topic: \(subscription.filter), QoS: \(subscription.options.qos.rawValue), Options: 0x\(Hex.byte(options)))"
            }
        case .suback: return [prefix + "SUBACK"]
        case .unsubscribe(let unsubscribe):
            return unsubscribe.filters.map { prefix + "UNSUBSCRIBE (Mid: \(unsubscribe.packetID), Topic: \($0))" }
        case .unsuback: return [prefix + "UNSUBACK"]
        case .pingreq: return [prefix + "PINGREQ"]
        case .pingresp: return [prefix + "PINGRESP"]
        case .disconnect(let disconnect):
            return [prefix + (sent || !version.isV5 ? "DISCONNECT" : "DISCONNECT (\(disconnect.reasonCode.rawValue))")]
        case .auth: return [prefix + "AUTH"]
        }
    }
}

/// Several sinks at once (`-d` and `--trace`).
final class ClientTraceFanOut: ClientTraceSink {
    let sinks: [any ClientTraceSink]
    init(_ sinks: [any ClientTraceSink]) { self.sinks = sinks }

    static func combining(_ sinks: [any ClientTraceSink]) -> (any ClientTraceSink)? {
        switch sinks.count {
        case 0: nil
        case 1: sinks[0]
        default: ClientTraceFanOut(sinks)
        }
    }

    func trace(_ record: ClientPacketRecord) {
        for sink in sinks { sink.trace(record) }
    }
}
