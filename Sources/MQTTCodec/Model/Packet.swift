/// Any MQTT control packet.
public enum Packet: Sendable, Equatable {
    case connect(Connect)
    case connack(ConnAck)
    case publish(Publish)
    case puback(PublishAck)
    case pubrec(PublishAck)
    case pubrel(PublishAck)
    case pubcomp(PublishAck)
    case subscribe(Subscribe)
    case suback(SubAck)
    case unsubscribe(Unsubscribe)
    case unsuback(UnsubAck)
    case pingreq
    case pingresp
    case disconnect(Disconnect)
    case auth(Auth)

    public var type: PacketType {
        switch self {
        case .connect: .connect
        case .connack: .connack
        case .publish: .publish
        case .puback: .puback
        case .pubrec: .pubrec
        case .pubrel: .pubrel
        case .pubcomp: .pubcomp
        case .subscribe: .subscribe
        case .suback: .suback
        case .unsubscribe: .unsubscribe
        case .unsuback: .unsuback
        case .pingreq: .pingreq
        case .pingresp: .pingresp
        case .disconnect: .disconnect
        case .auth: .auth
        }
    }
}
