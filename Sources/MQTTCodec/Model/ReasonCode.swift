/// A 5.0 reason code (one byte; below 0x80 success, from 0x80 failure), and the 3.1.1 CONNACK return
/// codes and SUBACK return codes, which share the byte but not the table.
public struct ReasonCode: RawRepresentable, Hashable, Sendable, Codable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    public static let success = ReasonCode(0x00)
    public static let grantedQoS1 = ReasonCode(0x01)
    public static let grantedQoS2 = ReasonCode(0x02)
    public static let disconnectWithWillMessage = ReasonCode(0x04)
    public static let noMatchingSubscribers = ReasonCode(0x10)
    public static let noSubscriptionExisted = ReasonCode(0x11)
    public static let continueAuthentication = ReasonCode(0x18)
    public static let reAuthenticate = ReasonCode(0x19)
    public static let unspecifiedError = ReasonCode(0x80)
    public static let malformedPacket = ReasonCode(0x81)
    public static let protocolError = ReasonCode(0x82)
    public static let implementationSpecificError = ReasonCode(0x83)
    public static let unsupportedProtocolVersion = ReasonCode(0x84)
    public static let clientIdentifierNotValid = ReasonCode(0x85)
    public static let badUserNameOrPassword = ReasonCode(0x86)
    public static let notAuthorized = ReasonCode(0x87)
    public static let serverUnavailable = ReasonCode(0x88)
    public static let serverBusy = ReasonCode(0x89)
    public static let banned = ReasonCode(0x8A)
    public static let serverShuttingDown = ReasonCode(0x8B)
    public static let badAuthenticationMethod = ReasonCode(0x8C)
    public static let keepAliveTimeout = ReasonCode(0x8D)
    public static let sessionTakenOver = ReasonCode(0x8E)
    public static let topicFilterInvalid = ReasonCode(0x8F)
    public static let topicNameInvalid = ReasonCode(0x90)
    public static let packetIdentifierInUse = ReasonCode(0x91)
    public static let packetIdentifierNotFound = ReasonCode(0x92)
    public static let receiveMaximumExceeded = ReasonCode(0x93)
    public static let topicAliasInvalid = ReasonCode(0x94)
    public static let packetTooLarge = ReasonCode(0x95)
    public static let messageRateTooHigh = ReasonCode(0x96)
    public static let quotaExceeded = ReasonCode(0x97)
    public static let administrativeAction = ReasonCode(0x98)
    public static let payloadFormatInvalid = ReasonCode(0x99)
    public static let retainNotSupported = ReasonCode(0x9A)
    public static let qosNotSupported = ReasonCode(0x9B)
    public static let useAnotherServer = ReasonCode(0x9C)
    public static let serverMoved = ReasonCode(0x9D)
    public static let sharedSubscriptionsNotSupported = ReasonCode(0x9E)
    public static let connectionRateExceeded = ReasonCode(0x9F)
    public static let maximumConnectTime = ReasonCode(0xA0)
    public static let subscriptionIdentifiersNotSupported = ReasonCode(0xA1)
    public static let wildcardSubscriptionsNotSupported = ReasonCode(0xA2)

    public var isFailure: Bool { rawValue >= 0x80 }

    /// The codes each 5.0 packet may carry (Table 2-6; [MQTT-3.2.2-8], [MQTT-3.4.2-1], [MQTT-3.5.2-1],
    /// [MQTT-3.6.2-1], [MQTT-3.7.2-1], [MQTT-3.9.3-2], [MQTT-3.11.3-2], [MQTT-3.14.2-1], [MQTT-3.15.2-1]).
    /// 0x8C stays allowed in DISCONNECT: Table 2-6 lists it even though the DISCONNECT table omits it.
    public static func allowedV5(in type: PacketType) -> Set<UInt8> {
        switch type {
        case .connack:
            [0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F]
        case .puback, .pubrec:
            [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]
        case .pubrel, .pubcomp:
            [0x00, 0x92]
        case .suback:
            [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2]
        case .unsuback:
            [0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91]
        case .disconnect:
            [0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2]
        case .auth:
            [0x00, 0x18, 0x19]
        default:
            []
        }
    }

    /// The name of this code in the given packet. 0x00 has three names (Success, Normal disconnection,
    /// Granted QoS 0), so the packet type is needed; 3.1.1 CONNACK and SUBACK have tables of their own.
    public func name(in type: PacketType, version: ProtocolVersion) -> LocalizedText {
        if !version.isV5 {
            if type == .connack { return Self.connectReturnCodeName(rawValue) }
            if type == .suback { return Self.subackReturnCodeName(rawValue) }
        }
        switch rawValue {
        case 0x00:
            switch type {
            case .disconnect: return LocalizedText(en: "Normal disconnection", es: "Desconexión normal")
            case .suback: return LocalizedText(en: "Granted QoS 0", es: "QoS 0 concedida")
            default: return LocalizedText(en: "Success", es: "Éxito")
            }
        case 0x01: return LocalizedText(en: "Granted QoS 1", es: "QoS 1 concedida")
        case 0x02: return LocalizedText(en: "Granted QoS 2", es: "QoS 2 concedida")
        case 0x04: return LocalizedText(en: "Disconnect with Will Message", es: "Desconexión con mensaje de última voluntad")
        case 0x10: return LocalizedText(en: "No matching subscribers", es: "Ningún suscriptor coincide")
        case 0x11: return LocalizedText(en: "No subscription existed", es: "No existía la suscripción")
        case 0x18: return LocalizedText(en: "Continue authentication", es: "Continuar la autenticación")
        case 0x19: return LocalizedText(en: "Re-authenticate", es: "Volver a autenticarse")
        case 0x80: return LocalizedText(en: "Unspecified error", es: "Error no especificado")
        case 0x81: return LocalizedText(en: "Malformed Packet", es: "Paquete mal formado")
        case 0x82: return LocalizedText(en: "Protocol Error", es: "Error de protocolo")
        case 0x83: return LocalizedText(en: "Implementation specific error", es: "Error propio de la implementación")
        case 0x84: return LocalizedText(en: "Unsupported Protocol Version", es: "Versión de protocolo no admitida")
        case 0x85: return LocalizedText(en: "Client Identifier not valid", es: "Identificador de cliente no válido")
        case 0x86: return LocalizedText(en: "Bad User Name or Password", es: "Usuario o contraseña incorrectos")
        case 0x87: return LocalizedText(en: "Not authorized", es: "No autorizado")
        case 0x88: return LocalizedText(en: "Server unavailable", es: "Servidor no disponible")
        case 0x89: return LocalizedText(en: "Server busy", es: "Servidor ocupado")
        case 0x8A: return LocalizedText(en: "Banned", es: "Vetado")
        case 0x8B: return LocalizedText(en: "Server shutting down", es: "El servidor se está apagando")
        case 0x8C: return LocalizedText(en: "Bad authentication method", es: "Método de autenticación incorrecto")
        case 0x8D: return LocalizedText(en: "Keep Alive timeout", es: "Se agotó el keep alive")
        case 0x8E: return LocalizedText(en: "Session taken over", es: "Otra conexión tomó la sesión")
        case 0x8F: return LocalizedText(en: "Topic Filter invalid", es: "Filtro de tema no válido")
        case 0x90: return LocalizedText(en: "Topic Name invalid", es: "Nombre de tema no válido")
        case 0x91: return LocalizedText(en: "Packet Identifier in use", es: "Identificador de paquete en uso")
        case 0x92: return LocalizedText(en: "Packet Identifier not found", es: "Identificador de paquete no encontrado")
        case 0x93: return LocalizedText(en: "Receive Maximum exceeded", es: "Se superó el Receive Maximum")
        case 0x94: return LocalizedText(en: "Topic Alias invalid", es: "Alias de tema no válido")
        case 0x95: return LocalizedText(en: "Packet too large", es: "Paquete demasiado grande")
        case 0x96: return LocalizedText(en: "Message rate too high", es: "Demasiados mensajes por segundo")
        case 0x97: return LocalizedText(en: "Quota exceeded", es: "Cuota superada")
        case 0x98: return LocalizedText(en: "Administrative action", es: "Acción administrativa")
        case 0x99: return LocalizedText(en: "Payload format invalid", es: "Formato de la carga no válido")
        case 0x9A: return LocalizedText(en: "Retain not supported", es: "Retain no admitido")
        case 0x9B: return LocalizedText(en: "QoS not supported", es: "QoS no admitida")
        case 0x9C: return LocalizedText(en: "Use another server", es: "Use otro servidor")
        case 0x9D: return LocalizedText(en: "Server moved", es: "El servidor se ha trasladado")
        case 0x9E: return LocalizedText(en: "Shared Subscriptions not supported", es: "Suscripciones compartidas no admitidas")
        case 0x9F: return LocalizedText(en: "Connection rate exceeded", es: "Demasiadas conexiones por segundo")
        case 0xA0: return LocalizedText(en: "Maximum connect time", es: "Tiempo máximo de conexión")
        case 0xA1: return LocalizedText(en: "Subscription Identifiers not supported", es: "Identificadores de suscripción no admitidos")
        case 0xA2: return LocalizedText(en: "Wildcard Subscriptions not supported", es: "Suscripciones con comodines no admitidas")
        default: return LocalizedText(en: "Unknown reason code", es: "Código de motivo desconocido")
        }
    }

    /// 3.1.1 (and 3.1) CONNACK return codes 0–5; 6–255 are reserved.
    static func connectReturnCodeName(_ code: UInt8) -> LocalizedText {
        switch code {
        case 0: LocalizedText(en: "Connection accepted", es: "Conexión aceptada")
        case 1: LocalizedText(en: "Refused: unacceptable protocol version", es: "Rechazada: versión de protocolo no aceptable")
        case 2: LocalizedText(en: "Refused: identifier rejected", es: "Rechazada: identificador no aceptado")
        case 3: LocalizedText(en: "Refused: server unavailable", es: "Rechazada: servidor no disponible")
        case 4: LocalizedText(en: "Refused: bad user name or password", es: "Rechazada: usuario o contraseña incorrectos")
        case 5: LocalizedText(en: "Refused: not authorized", es: "Rechazada: no autorizado")
        default: LocalizedText(en: "Reserved return code", es: "Código de retorno reservado")
        }
    }

    /// 3.1.1 SUBACK return codes: the granted QoS, or 0x80 for a refused filter [MQTT-3.9.3-2].
    static func subackReturnCodeName(_ code: UInt8) -> LocalizedText {
        switch code {
        case 0, 1, 2: LocalizedText(en: "Success, granted QoS \(code)", es: "Éxito, QoS \(code) concedida")
        case 0x80: LocalizedText(en: "Failure", es: "Fallo")
        default: LocalizedText(en: "Reserved return code", es: "Código de retorno reservado")
        }
    }
}
