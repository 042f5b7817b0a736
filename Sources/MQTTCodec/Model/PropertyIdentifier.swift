/// The 27 property identifiers of MQTT 5.0 (Table 2-4), with their wire type and where they may appear.
public enum PropertyIdentifier: UInt8, Sendable, CaseIterable, Codable {
    case payloadFormatIndicator = 0x01
    case messageExpiryInterval = 0x02
    case contentType = 0x03
    case responseTopic = 0x08
    case correlationData = 0x09
    case subscriptionIdentifier = 0x0B
    case sessionExpiryInterval = 0x11
    case assignedClientIdentifier = 0x12
    case serverKeepAlive = 0x13
    case authenticationMethod = 0x15
    case authenticationData = 0x16
    case requestProblemInformation = 0x17
    case willDelayInterval = 0x18
    case requestResponseInformation = 0x19
    case responseInformation = 0x1A
    case serverReference = 0x1C
    case reasonString = 0x1F
    case receiveMaximum = 0x21
    case topicAliasMaximum = 0x22
    case topicAlias = 0x23
    case maximumQoS = 0x24
    case retainAvailable = 0x25
    case userProperty = 0x26
    case maximumPacketSize = 0x27
    case wildcardSubscriptionAvailable = 0x28
    case subscriptionIdentifierAvailable = 0x29
    case sharedSubscriptionAvailable = 0x2A

    /// How the value is written on the wire.
    public enum WireType: Sendable {
        case byte, twoByteInteger, fourByteInteger, variableByteInteger, utf8String, binaryData, utf8StringPair
    }

    public var wireType: WireType {
        switch self {
        case .payloadFormatIndicator, .requestProblemInformation, .requestResponseInformation, .maximumQoS,
            .retainAvailable, .wildcardSubscriptionAvailable, .subscriptionIdentifierAvailable,
            .sharedSubscriptionAvailable:
            .byte
        case .serverKeepAlive, .receiveMaximum, .topicAliasMaximum, .topicAlias:
            .twoByteInteger
        case .messageExpiryInterval, .sessionExpiryInterval, .willDelayInterval, .maximumPacketSize:
            .fourByteInteger
        case .subscriptionIdentifier:
            .variableByteInteger
        case .contentType, .responseTopic, .assignedClientIdentifier, .authenticationMethod,
            .responseInformation, .serverReference, .reasonString:
            .utf8String
        case .correlationData, .authenticationData:
            .binaryData
        case .userProperty:
            .utf8StringPair
        }
    }

    /// Byte properties whose only legal values are 0 and 1 (anything else is a Protocol Error).
    /// Maximum QoS is in the list too: a server may only announce 0 or 1 [MQTT-3.2.2-9].
    public var isBoolean: Bool { wireType == .byte }

    /// Where a property block sits: in a packet, or the will properties inside CONNECT's payload.
    public enum Place: Sendable, Hashable, CustomStringConvertible {
        case packet(PacketType)
        case will

        public var description: String {
            switch self {
            case .packet(let type): type.description
            case .will: "CONNECT (will properties)"
            }
        }
    }

    /// Table 2-4's "used in" column.
    public func isAllowed(in place: Place) -> Bool {
        switch place {
        case .will:
            return [.willDelayInterval, .payloadFormatIndicator, .messageExpiryInterval, .contentType,
                    .responseTopic, .correlationData, .userProperty].contains(self)
        case .packet(let type):
            switch type {
            case .connect:
                return [.sessionExpiryInterval, .receiveMaximum, .maximumPacketSize, .topicAliasMaximum,
                        .requestResponseInformation, .requestProblemInformation, .userProperty,
                        .authenticationMethod, .authenticationData].contains(self)
            case .connack:
                return [.sessionExpiryInterval, .receiveMaximum, .maximumQoS, .retainAvailable,
                        .maximumPacketSize, .assignedClientIdentifier, .topicAliasMaximum, .reasonString,
                        .userProperty, .wildcardSubscriptionAvailable, .subscriptionIdentifierAvailable,
                        .sharedSubscriptionAvailable, .serverKeepAlive, .responseInformation, .serverReference,
                        .authenticationMethod, .authenticationData].contains(self)
            case .publish:
                return [.payloadFormatIndicator, .messageExpiryInterval, .topicAlias, .responseTopic,
                        .correlationData, .userProperty, .subscriptionIdentifier, .contentType].contains(self)
            case .puback, .pubrec, .pubrel, .pubcomp, .suback, .unsuback:
                return self == .reasonString || self == .userProperty
            case .subscribe:
                return self == .subscriptionIdentifier || self == .userProperty
            case .unsubscribe:
                return self == .userProperty
            case .disconnect:
                return [.sessionExpiryInterval, .reasonString, .userProperty, .serverReference].contains(self)
            case .auth:
                return [.authenticationMethod, .authenticationData, .reasonString, .userProperty].contains(self)
            case .pingreq, .pingresp:
                return false
            }
        }
    }

    /// User Property may repeat anywhere; Subscription Identifier may repeat in a PUBLISH (a server
    /// sends one per matching subscription). Everything else at most once (Protocol Error otherwise).
    public func mayRepeat(in place: Place) -> Bool {
        self == .userProperty || (self == .subscriptionIdentifier && place == .packet(.publish))
    }

    public var name: LocalizedText {
        switch self {
        case .payloadFormatIndicator: LocalizedText(en: "Payload Format Indicator", es: "Indicador de formato de la carga")
        case .messageExpiryInterval: LocalizedText(en: "Message Expiry Interval", es: "Caducidad del mensaje")
        case .contentType: LocalizedText(en: "Content Type", es: "Tipo de contenido")
        case .responseTopic: LocalizedText(en: "Response Topic", es: "Tema de respuesta")
        case .correlationData: LocalizedText(en: "Correlation Data", es: "Datos de correlación")
        case .subscriptionIdentifier: LocalizedText(en: "Subscription Identifier", es: "Identificador de suscripción")
        case .sessionExpiryInterval: LocalizedText(en: "Session Expiry Interval", es: "Caducidad de la sesión")
        case .assignedClientIdentifier: LocalizedText(en: "Assigned Client Identifier", es: "Identificador de cliente asignado")
        case .serverKeepAlive: LocalizedText(en: "Server Keep Alive", es: "Keep alive del servidor")
        case .authenticationMethod: LocalizedText(en: "Authentication Method", es: "Método de autenticación")
        case .authenticationData: LocalizedText(en: "Authentication Data", es: "Datos de autenticación")
        case .requestProblemInformation: LocalizedText(en: "Request Problem Information", es: "Pedir información de problemas")
        case .willDelayInterval: LocalizedText(en: "Will Delay Interval", es: "Retraso de la última voluntad")
        case .requestResponseInformation: LocalizedText(en: "Request Response Information", es: "Pedir información de respuesta")
        case .responseInformation: LocalizedText(en: "Response Information", es: "Información de respuesta")
        case .serverReference: LocalizedText(en: "Server Reference", es: "Referencia a otro servidor")
        case .reasonString: LocalizedText(en: "Reason String", es: "Texto del motivo")
        case .receiveMaximum: LocalizedText(en: "Receive Maximum", es: "Máximo de recepción")
        case .topicAliasMaximum: LocalizedText(en: "Topic Alias Maximum", es: "Máximo de alias de tema")
        case .topicAlias: LocalizedText(en: "Topic Alias", es: "Alias de tema")
        case .maximumQoS: LocalizedText(en: "Maximum QoS", es: "QoS máxima")
        case .retainAvailable: LocalizedText(en: "Retain Available", es: "Retain disponible")
        case .userProperty: LocalizedText(en: "User Property", es: "Propiedad de usuario")
        case .maximumPacketSize: LocalizedText(en: "Maximum Packet Size", es: "Tamaño máximo de paquete")
        case .wildcardSubscriptionAvailable: LocalizedText(en: "Wildcard Subscription Available", es: "Suscripción con comodines disponible")
        case .subscriptionIdentifierAvailable: LocalizedText(en: "Subscription Identifier Available", es: "Identificador de suscripción disponible")
        case .sharedSubscriptionAvailable: LocalizedText(en: "Shared Subscription Available", es: "Suscripción compartida disponible")
        }
    }

    /// Why the property exists, for the dissection's "meaning" column.
    public var purpose: LocalizedText {
        switch self {
        case .payloadFormatIndicator: LocalizedText(en: "0 = raw bytes, 1 = UTF-8 text", es: "0 = bytes sin formato, 1 = texto UTF-8")
        case .messageExpiryInterval: LocalizedText(en: "seconds the broker may keep the message undelivered", es: "segundos que el broker puede guardar el mensaje sin entregar")
        case .contentType: LocalizedText(en: "what the payload is, often a MIME type", es: "qué es la carga, a menudo un tipo MIME")
        case .responseTopic: LocalizedText(en: "where the receiver should publish its answer", es: "dónde debe publicar su respuesta quien lo recibe")
        case .correlationData: LocalizedText(en: "lets the requester match the answer to its request", es: "permite emparejar la respuesta con la petición")
        case .subscriptionIdentifier: LocalizedText(en: "number that tells which subscription a message matched", es: "número que dice con qué suscripción coincidió el mensaje")
        case .sessionExpiryInterval: LocalizedText(en: "seconds the session outlives the connection", es: "segundos que la sesión sobrevive a la conexión")
        case .assignedClientIdentifier: LocalizedText(en: "the id the broker chose for a client that sent none", es: "el id que el broker eligió para un cliente que no envió ninguno")
        case .serverKeepAlive: LocalizedText(en: "the keep alive the broker imposes instead of the client's", es: "el keep alive que impone el broker en lugar del del cliente")
        case .authenticationMethod: LocalizedText(en: "name of the extended authentication method", es: "nombre del método de autenticación extendida")
        case .authenticationData: LocalizedText(en: "data of the extended authentication", es: "datos de la autenticación extendida")
        case .requestProblemInformation: LocalizedText(en: "1 = send reason strings on failures", es: "1 = enviar textos de motivo cuando algo falla")
        case .willDelayInterval: LocalizedText(en: "seconds to wait before publishing the will", es: "segundos de espera antes de publicar la última voluntad")
        case .requestResponseInformation: LocalizedText(en: "1 = the client wants a response information", es: "1 = el cliente quiere información de respuesta")
        case .responseInformation: LocalizedText(en: "basis to build response topics", es: "base para construir temas de respuesta")
        case .serverReference: LocalizedText(en: "another server the client should use", es: "otro servidor que el cliente debería usar")
        case .reasonString: LocalizedText(en: "human-readable reason, for diagnostics", es: "motivo legible por personas, para diagnóstico")
        case .receiveMaximum: LocalizedText(en: "how many QoS 1/2 messages may be unacknowledged at once", es: "cuántos mensajes QoS 1/2 pueden estar sin confirmar a la vez")
        case .topicAliasMaximum: LocalizedText(en: "highest topic alias the sender accepts (0 = none)", es: "el alias de tema más alto que acepta (0 = ninguno)")
        case .topicAlias: LocalizedText(en: "a number that stands for the topic, to save bytes", es: "un número que sustituye al tema para ahorrar bytes")
        case .maximumQoS: LocalizedText(en: "highest QoS the broker supports", es: "la QoS más alta que admite el broker")
        case .retainAvailable: LocalizedText(en: "1 = the broker keeps retained messages", es: "1 = el broker guarda mensajes retenidos")
        case .userProperty: LocalizedText(en: "a name/value pair the application chose", es: "un par nombre/valor elegido por la aplicación")
        case .maximumPacketSize: LocalizedText(en: "largest packet the sender accepts, in bytes", es: "el paquete más grande que acepta, en bytes")
        case .wildcardSubscriptionAvailable: LocalizedText(en: "1 = subscriptions may use + and #", es: "1 = las suscripciones pueden usar + y #")
        case .subscriptionIdentifierAvailable: LocalizedText(en: "1 = subscription identifiers are supported", es: "1 = se admiten identificadores de suscripción")
        case .sharedSubscriptionAvailable: LocalizedText(en: "1 = $share/ subscriptions are supported", es: "1 = se admiten suscripciones $share/")
        }
    }
}
