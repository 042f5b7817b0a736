/// The 4-bit packet type in the high nibble of the first byte.
public enum PacketType: UInt8, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case connect = 1
    case connack = 2
    case publish = 3
    case puback = 4
    case pubrec = 5
    case pubrel = 6
    case pubcomp = 7
    case subscribe = 8
    case suback = 9
    case unsubscribe = 10
    case unsuback = 11
    case pingreq = 12
    case pingresp = 13
    case disconnect = 14
    /// 5.0 only; type 15 is reserved (forbidden) in 3.1.1.
    case auth = 15

    /// The name as the specification and Mosquitto's log write it.
    public var description: String {
        switch self {
        case .connect: "CONNECT"
        case .connack: "CONNACK"
        case .publish: "PUBLISH"
        case .puback: "PUBACK"
        case .pubrec: "PUBREC"
        case .pubrel: "PUBREL"
        case .pubcomp: "PUBCOMP"
        case .subscribe: "SUBSCRIBE"
        case .suback: "SUBACK"
        case .unsubscribe: "UNSUBSCRIBE"
        case .unsuback: "UNSUBACK"
        case .pingreq: "PINGREQ"
        case .pingresp: "PINGRESP"
        case .disconnect: "DISCONNECT"
        case .auth: "AUTH"
        }
    }

    /// The only flag nibble allowed, for every type but PUBLISH (whose flags carry DUP, QoS, RETAIN).
    /// [MQTT-2.2.2-1] (3.1.1) / [MQTT-2.1.3-1] (5.0).
    public var requiredFlags: UInt8? {
        switch self {
        case .publish: nil
        case .pubrel, .subscribe, .unsubscribe: 0b0010
        default: 0
        }
    }

    /// What the packet is for, in one short phrase a learner understands.
    public var purpose: LocalizedText {
        switch self {
        case .connect: LocalizedText(en: "a client asks to open a session", es: "un cliente pide abrir una sesión")
        case .connack: LocalizedText(en: "the broker answers a CONNECT", es: "el broker responde a un CONNECT")
        case .publish: LocalizedText(en: "a message for a topic", es: "un mensaje para un tema (topic)")
        case .puback: LocalizedText(en: "acknowledges a QoS 1 PUBLISH", es: "confirma un PUBLISH de QoS 1")
        case .pubrec: LocalizedText(en: "QoS 2, step 1: PUBLISH received", es: "QoS 2, paso 1: PUBLISH recibido")
        case .pubrel: LocalizedText(en: "QoS 2, step 2: release the message", es: "QoS 2, paso 2: liberar el mensaje")
        case .pubcomp: LocalizedText(en: "QoS 2, step 3: exchange complete", es: "QoS 2, paso 3: intercambio completo")
        case .subscribe: LocalizedText(en: "a client asks for the messages of some topics", es: "un cliente pide los mensajes de unos temas")
        case .suback: LocalizedText(en: "the broker answers a SUBSCRIBE", es: "el broker responde a un SUBSCRIBE")
        case .unsubscribe: LocalizedText(en: "a client cancels subscriptions", es: "un cliente cancela suscripciones")
        case .unsuback: LocalizedText(en: "the broker answers an UNSUBSCRIBE", es: "el broker responde a un UNSUBSCRIBE")
        case .pingreq: LocalizedText(en: "the client says it is still alive", es: "el cliente avisa de que sigue vivo")
        case .pingresp: LocalizedText(en: "the broker answers a PINGREQ", es: "el broker responde a un PINGREQ")
        case .disconnect: LocalizedText(en: "the connection ends on purpose", es: "la conexión se cierra a propósito")
        case .auth: LocalizedText(en: "a step of an extended authentication", es: "un paso de una autenticación extendida")
        }
    }
}

/// Quality of service: how hard the sender tries to deliver.
public enum QoS: UInt8, Sendable, CaseIterable, Codable, Comparable, CustomStringConvertible {
    case atMostOnce = 0
    case atLeastOnce = 1
    case exactlyOnce = 2

    public static func < (lhs: QoS, rhs: QoS) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "QoS \(rawValue)" }

    public var meaning: LocalizedText {
        switch self {
        case .atMostOnce:
            LocalizedText(en: "at most once: sent once, never acknowledged", es: "como mucho una vez: se envía una vez, sin confirmación")
        case .atLeastOnce:
            LocalizedText(en: "at least once: resent until a PUBACK arrives", es: "al menos una vez: se reenvía hasta recibir un PUBACK")
        case .exactlyOnce:
            LocalizedText(en: "exactly once: a four-packet handshake", es: "exactamente una vez: un saludo de cuatro paquetes")
        }
    }
}
