/// Every way a packet can break the rules, each naming what was found.
///
/// Kept as data (not strings) so the broker can pick the reason code, tests can assert the exact case,
/// and the learner can read the explanation in their language.
public enum Violation: Sendable, Equatable {
    case reservedPacketType(UInt8)
    case invalidFlags(PacketType, expected: UInt8, found: UInt8)
    case qos3
    case dupWithQoS0
    case remainingLengthTooLong
    case nonMinimalVariableByteInteger
    case variableByteIntegerTooLong
    case packetTooLarge(size: Int, maximum: Int)
    case truncated(FieldKind, needed: Int, available: Int)
    case trailingBytes(count: Int)
    case invalidUTF8
    case nullCharacter
    case stringTooLong(Int)
    case invalidProtocolName(String)
    case unsupportedProtocolLevel(UInt8)
    case protocolNameLevelMismatch(name: String, level: UInt8)
    case reservedConnectFlag
    case willQoSWithoutWill
    case willRetainWithoutWill
    case willQoS3
    case passwordWithoutUsername
    case packetIdentifierZero
    case emptyTopicName
    case wildcardInTopicName
    case invalidTopicFilter(TopicFilterProblem)
    case emptySubscribe
    case emptyUnsubscribe
    case invalidSubscriptionQoS(UInt8)
    case reservedSubscriptionOptionBits(UInt8)
    case invalidRetainHandling
    case noLocalOnSharedSubscription
    case invalidReasonCode(UInt8, PacketType)
    case reservedConnAckFlags(UInt8)
    case sessionPresentOnRefusal
    case unknownProperty(UInt32)
    case propertyNotAllowed(PropertyIdentifier, PropertyIdentifier.Place)
    case duplicateProperty(PropertyIdentifier)
    case invalidPropertyValue(PropertyIdentifier, UInt64)
    case propertyLengthMismatch
    case authenticationDataWithoutMethod
    case authWithoutMethod
    case packetTypeNotInVersion(PacketType, ProtocolVersion)
    case invalidRemainingLength(PacketType, Int)

    /// The normative statement that the rule comes from, where the standard numbers one.
    public func specID(version: ProtocolVersion) -> String? {
        let v5 = version.isV5
        switch self {
        // Types 0 (and 15 in 3.1.1) are "Reserved/Forbidden" in the type table, which carries no
        // statement number; MQTT-2.2.2-1 / MQTT-2.1.3-1 are about reserved *flag bits*.
        case .reservedPacketType, .packetTypeNotInVersion: return nil
        case .invalidFlags(let type, _, _):
            switch type {
            case .pubrel: return "MQTT-3.6.1-1"
            case .subscribe: return "MQTT-3.8.1-1"
            case .unsubscribe: return "MQTT-3.10.1-1"
            case .disconnect: return "MQTT-3.14.1-1"
            case .auth: return "MQTT-3.15.1-1"
            default: return v5 ? "MQTT-2.1.3-1" : "MQTT-2.2.2-1"
            }
        case .qos3: return "MQTT-3.3.1-4"
        case .dupWithQoS0: return "MQTT-3.3.1-2"
        // The 4-byte limit is prose in both versions ("2.2.3" is a section, not a statement id;
        // MQTT-1.5.5-1 is the shortest-form rule below).
        case .remainingLengthTooLong, .variableByteIntegerTooLong: return nil
        case .nonMinimalVariableByteInteger: return "MQTT-1.5.5-1"
        case .packetTooLarge: return v5 ? "MQTT-3.1.2-24" : nil
        case .truncated, .trailingBytes, .propertyLengthMismatch: return nil
        case .invalidUTF8: return v5 ? "MQTT-1.5.4-1" : "MQTT-1.5.3-1"
        case .nullCharacter: return v5 ? "MQTT-1.5.4-2" : "MQTT-1.5.3-2"
        case .stringTooLong: return nil
        case .invalidProtocolName, .protocolNameLevelMismatch: return "MQTT-3.1.2-1"
        case .unsupportedProtocolLevel: return "MQTT-3.1.2-2"
        case .reservedConnectFlag: return "MQTT-3.1.2-3"
        case .willQoSWithoutWill: return v5 ? "MQTT-3.1.2-11" : "MQTT-3.1.2-13"
        case .willRetainWithoutWill: return v5 ? "MQTT-3.1.2-13" : "MQTT-3.1.2-15"
        case .sessionPresentOnRefusal: return v5 ? "MQTT-3.2.2-6" : "MQTT-3.2.2-4"
        case .willQoS3: return v5 ? "MQTT-3.1.2-12" : "MQTT-3.1.2-14"
        case .passwordWithoutUsername: return "MQTT-3.1.2-22"
        case .packetIdentifierZero: return v5 ? "MQTT-2.2.1-3" : "MQTT-2.3.1-1"
        case .emptyTopicName: return "MQTT-4.7.3-1"
        case .wildcardInTopicName: return "MQTT-3.3.2-2"
        // Each filter rule has its own number, and 3.1.1 and 5.0 number them differently (checklist §9).
        case .invalidTopicFilter(let problem):
            switch problem {
            case .empty: return "MQTT-4.7.3-1"
            case .multiLevelWildcardNotLast, .multiLevelWildcardNotAlone: return v5 ? "MQTT-4.7.1-1" : "MQTT-4.7.1-2"
            case .singleLevelWildcardNotAlone: return v5 ? "MQTT-4.7.1-2" : "MQTT-4.7.1-3"
            case .emptyShareName: return "MQTT-4.8.2-1"
            case .invalidSharedSubscription: return "MQTT-4.8.2-2"
            }
        case .emptySubscribe: return v5 ? "MQTT-3.8.3-2" : "MQTT-3.8.3-3"
        case .emptyUnsubscribe: return "MQTT-3.10.3-2"
        // 3.1.1 numbers "reserved bits or QoS 3" as one rule; 5.0 numbers only the reserved bits
        // ([MQTT-3.8.3-5]) and calls Maximum QoS 3 and Retain Handling 3 Protocol Errors in prose.
        case .reservedSubscriptionOptionBits: return v5 ? "MQTT-3.8.3-5" : "MQTT-3.8.3-4"
        case .invalidSubscriptionQoS: return v5 ? nil : "MQTT-3.8.3-4"
        case .invalidRetainHandling: return nil
        case .noLocalOnSharedSubscription: return "MQTT-3.8.3-4"
        case .invalidReasonCode(_, let type):
            switch type {
            case .connack: return v5 ? "MQTT-3.2.2-8" : nil
            case .puback: return "MQTT-3.4.2-1"
            case .pubrec: return "MQTT-3.5.2-1"
            case .pubrel: return "MQTT-3.6.2-1"
            case .pubcomp: return "MQTT-3.7.2-1"
            case .suback: return "MQTT-3.9.3-2"
            case .unsuback: return "MQTT-3.11.3-2"
            case .disconnect: return "MQTT-3.14.2-1"
            case .auth: return "MQTT-3.15.2-1"
            default: return nil
            }
        case .reservedConnAckFlags: return v5 ? "MQTT-3.2.2-1" : nil
        // MQTT-2.2.2-1 (5.0) is "no properties = Property Length 0", not these rules; the property
        // rules are unnumbered prose, except the sender's ban on Topic Alias 0 [MQTT-3.3.2-8].
        case .invalidPropertyValue(let id, _): return id == .topicAlias ? "MQTT-3.3.2-8" : nil
        case .unknownProperty, .propertyNotAllowed, .duplicateProperty: return nil
        // "Authentication Data without a Method is a Protocol Error" is prose; every AUTH must carry
        // the method [MQTT-4.12.0-5]. (MQTT-4.12.0-1 is about an unsupported method in CONNECT.)
        case .authenticationDataWithoutMethod: return nil
        case .authWithoutMethod: return "MQTT-4.12.0-5"
        case .invalidRemainingLength: return nil
        }
    }

    /// The 5.0 reason code a receiver sends when it closes the connection for this violation:
    /// Malformed Packet (0x81) for encoding mistakes, Protocol Error (0x82) for broken rules about
    /// what may be said, Packet too large (0x95) for size.
    public var reasonCode: ReasonCode {
        switch self {
        // Topic Alias 0 has its own code [MQTT-3.3.2-8]: 0x94 Topic Alias invalid.
        case .invalidPropertyValue(.topicAlias, _): .topicAliasInvalid
        case .packetTooLarge: .packetTooLarge
        case .duplicateProperty, .passwordWithoutUsername, .invalidPropertyValue, .authenticationDataWithoutMethod,
            .authWithoutMethod, .invalidRetainHandling, .noLocalOnSharedSubscription, .invalidSubscriptionQoS, .emptySubscribe, .emptyUnsubscribe,
            .packetTypeNotInVersion:
            .protocolError
        // An empty topic is legal syntax in 5.0 (it calls for an alias); without the alias it is a
        // Protocol Error, not a bad name.
        case .emptyTopicName: .protocolError
        case .wildcardInTopicName: .topicNameInvalid
        case .invalidTopicFilter: .topicFilterInvalid
        case .unsupportedProtocolLevel: .unsupportedProtocolVersion
        default: .malformedPacket
        }
    }

    /// What went wrong, in words for a learner.
    public var message: LocalizedText {
        switch self {
        case .reservedPacketType(let value):
            return LocalizedText(
                en: "packet type \(value) is reserved: no packet may use it",
                es: "el tipo de paquete \(value) está reservado: ningún paquete puede usarlo")
        case .invalidFlags(let type, let expected, let found):
            return LocalizedText(
                en: "\(type) must have flag bits \(Self.bits(expected)), found \(Self.bits(found))",
                es: "\(type) debe llevar los bits de bandera \(Self.bits(expected)), llegó \(Self.bits(found))")
        case .qos3:
            return LocalizedText(en: "QoS 3 does not exist (both QoS bits set)", es: "la QoS 3 no existe (los dos bits de QoS a 1)")
        case .dupWithQoS0:
            return LocalizedText(en: "DUP must be 0 when QoS is 0: a QoS 0 message is never resent", es: "DUP debe ser 0 con QoS 0: un mensaje QoS 0 nunca se reenvía")
        case .remainingLengthTooLong:
            return LocalizedText(en: "the remaining length takes more than 4 bytes", es: "la longitud restante ocupa más de 4 bytes")
        case .variableByteIntegerTooLong:
            return LocalizedText(en: "a variable byte integer takes more than 4 bytes", es: "un entero de longitud variable ocupa más de 4 bytes")
        case .nonMinimalVariableByteInteger:
            return LocalizedText(en: "the variable byte integer is not written in the fewest bytes", es: "el entero de longitud variable no usa el mínimo de bytes")
        case .packetTooLarge(let size, let maximum):
            return LocalizedText(en: "the packet is \(size) bytes, more than the maximum of \(maximum)", es: "el paquete mide \(size) bytes, más que el máximo de \(maximum)")
        case .truncated(let field, let needed, let available):
            return LocalizedText(
                en: "\(field.name.en) needs \(needed) bytes but only \(available) remain in the packet",
                es: "\(field.name.es): necesita \(needed) bytes pero solo quedan \(available) en el paquete")
        case .trailingBytes(let count):
            return LocalizedText(en: "\(count) bytes left over after the last field", es: "sobran \(count) bytes tras el último campo")
        case .invalidUTF8:
            return LocalizedText(en: "the string is not valid UTF-8", es: "el texto no es UTF-8 válido")
        case .nullCharacter:
            return LocalizedText(en: "the string contains U+0000, which MQTT forbids", es: "el texto contiene U+0000, que MQTT prohíbe")
        case .stringTooLong(let length):
            return LocalizedText(en: "a string of \(length) bytes does not fit in 65535", es: "un texto de \(length) bytes no cabe en 65535")
        case .invalidProtocolName(let name):
            return LocalizedText(en: "protocol name \"\(name)\" is not \"MQTT\" (or \"MQIsdp\" for 3.1)", es: "el nombre de protocolo \"\(name)\" no es \"MQTT\" (ni \"MQIsdp\" de la 3.1)")
        case .unsupportedProtocolLevel(let level):
            return LocalizedText(en: "protocol level \(level) is not 3 (3.1), 4 (3.1.1) or 5 (5.0)", es: "el nivel de protocolo \(level) no es 3 (3.1), 4 (3.1.1) ni 5 (5.0)")
        case .protocolNameLevelMismatch(let name, let level):
            return LocalizedText(en: "protocol name \"\(name)\" does not go with level \(level)", es: "el nombre de protocolo \"\(name)\" no corresponde al nivel \(level)")
        case .reservedConnectFlag:
            return LocalizedText(en: "the reserved bit 0 of the connect flags must be 0", es: "el bit 0 reservado de las banderas de conexión debe ser 0")
        case .willQoSWithoutWill:
            return LocalizedText(en: "will QoS must be 0 when there is no will", es: "la QoS de la última voluntad debe ser 0 si no hay última voluntad")
        case .willRetainWithoutWill:
            return LocalizedText(en: "will retain must be 0 when there is no will", es: "el retain de la última voluntad debe ser 0 si no hay última voluntad")
        case .sessionPresentOnRefusal:
            return LocalizedText(en: "a refused connection cannot report a session present", es: "una conexión rechazada no puede indicar sesión presente")
        case .willQoS3:
            return LocalizedText(en: "will QoS 3 does not exist", es: "la QoS 3 de última voluntad no existe")
        case .passwordWithoutUsername:
            return LocalizedText(en: "in 3.1.1 a password needs a user name", es: "en 3.1.1 una contraseña necesita un usuario")
        case .packetIdentifierZero:
            return LocalizedText(en: "packet identifier 0 is not allowed here", es: "aquí no se permite el identificador de paquete 0")
        case .emptyTopicName:
            return LocalizedText(en: "the topic name is empty", es: "el nombre del tema está vacío")
        case .wildcardInTopicName:
            return LocalizedText(en: "a topic name cannot contain + or #: wildcards are only for subscriptions", es: "un nombre de tema no puede llevar + ni #: los comodines son solo para suscribirse")
        case .invalidTopicFilter(let problem):
            return problem.message
        case .emptySubscribe:
            return LocalizedText(en: "SUBSCRIBE must carry at least one topic filter", es: "SUBSCRIBE debe llevar al menos un filtro de tema")
        case .emptyUnsubscribe:
            return LocalizedText(en: "UNSUBSCRIBE must carry at least one topic filter", es: "UNSUBSCRIBE debe llevar al menos un filtro de tema")
        case .invalidSubscriptionQoS(let value):
            return LocalizedText(en: "requested QoS \(value) does not exist", es: "la QoS pedida \(value) no existe")
        case .reservedSubscriptionOptionBits(let byte):
            return LocalizedText(en: "reserved bits of the subscription options byte are set (\(Self.bits(byte)))", es: "hay bits reservados a 1 en las opciones de suscripción (\(Self.bits(byte)))")
        case .invalidRetainHandling:
            return LocalizedText(en: "retain handling 3 does not exist", es: "el retain handling 3 no existe")
        case .noLocalOnSharedSubscription:
            return LocalizedText(en: "No Local cannot be set on a shared subscription", es: "No Local no puede activarse en una suscripción compartida")
        case .invalidReasonCode(let code, let type):
            return LocalizedText(en: "reason code 0x\(Self.hex(code)) is not allowed in \(type)", es: "el código de motivo 0x\(Self.hex(code)) no está permitido en \(type)")
        case .reservedConnAckFlags(let byte):
            return LocalizedText(en: "bits 7–1 of the acknowledge flags must be 0 (\(Self.bits(byte)))", es: "los bits 7–1 de las banderas de confirmación deben ser 0 (\(Self.bits(byte)))")
        case .unknownProperty(let id):
            let text = String(id, radix: 16, uppercase: true)
            let hex = text.count % 2 == 1 ? "0" + text : text
            return LocalizedText(en: "0x\(hex) is not a property identifier", es: "0x\(hex) no es un identificador de propiedad")
        case .propertyNotAllowed(let id, let place):
            return LocalizedText(en: "\(id.name.en) is not allowed in \(place)", es: "\(id.name.es) no está permitida en \(place)")
        case .duplicateProperty(let id):
            return LocalizedText(en: "\(id.name.en) appears twice", es: "\(id.name.es) aparece dos veces")
        case .invalidPropertyValue(let id, let value):
            return LocalizedText(en: "\(value) is not a valid value for \(id.name.en)", es: "\(value) no es un valor válido para \(id.name.es)")
        case .propertyLengthMismatch:
            return LocalizedText(en: "the properties do not end where the property length says", es: "las propiedades no terminan donde indica su longitud")
        case .authenticationDataWithoutMethod:
            return LocalizedText(en: "authentication data without an authentication method", es: "datos de autenticación sin método de autenticación")
        case .authWithoutMethod:
            return LocalizedText(en: "AUTH must carry an authentication method", es: "AUTH debe llevar un método de autenticación")
        case .packetTypeNotInVersion(let type, let version):
            return LocalizedText(en: "\(type) does not exist in MQTT \(version)", es: "\(type) no existe en MQTT \(version)")
        case .invalidRemainingLength(let type, let length):
            return LocalizedText(en: "\(type) cannot have a remaining length of \(length)", es: "\(type) no puede tener una longitud restante de \(length)")
        }
    }

    static func bits(_ value: UInt8, width: Int = 4) -> String {
        let binary = String(value, radix: 2)
        return String(repeating: "0", count: max(0, width - binary.count)) + binary
    }

    static func hex(_ value: UInt8) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return text.count == 1 ? "0" + text : text
    }
}

/// Why a topic filter is not valid [MQTT-4.7.1-1..3], [MQTT-4.8.2-1..2].
public enum TopicFilterProblem: Sendable, Equatable {
    case empty
    case multiLevelWildcardNotLast
    case multiLevelWildcardNotAlone
    case singleLevelWildcardNotAlone
    /// `$share//...`: the ShareName must be at least one character [MQTT-4.8.2-1]. Kept apart from
    /// `invalidSharedSubscription` because the standard numbers the two rules differently.
    case emptyShareName
    /// `$share/` not followed by `{ShareName}/{filter}`, or a ShareName holding / + # [MQTT-4.8.2-2].
    case invalidSharedSubscription

    public var message: LocalizedText {
        switch self {
        case .empty:
            LocalizedText(en: "the topic filter is empty", es: "el filtro de tema está vacío")
        case .multiLevelWildcardNotLast:
            LocalizedText(en: "# must be the last level of the filter", es: "# debe ser el último nivel del filtro")
        case .multiLevelWildcardNotAlone:
            LocalizedText(en: "# must fill a whole level (like a/#, not a#)", es: "# debe ocupar un nivel entero (como a/#, no a#)")
        case .singleLevelWildcardNotAlone:
            LocalizedText(en: "+ must fill a whole level (like a/+/c, not a+)", es: "+ debe ocupar un nivel entero (como a/+/c, no a+)")
        case .emptyShareName:
            LocalizedText(en: "the share name after $share/ is empty: write $share/<group>/<filter>", es: "el nombre de grupo tras $share/ está vacío: escribe $share/<grupo>/<filtro>")
        case .invalidSharedSubscription:
            LocalizedText(en: "a shared subscription is $share/<group>/<filter>, with a group name free of / + #", es: "una suscripción compartida es $share/<grupo>/<filtro>, con un grupo sin / + #")
        }
    }
}

/// A packet that breaks the rules, where it breaks them, and why.
public struct MalformedPacket: Error, Sendable, Equatable, CustomStringConvertible {
    public var violation: Violation
    /// Byte offset from the start of the packet (its first byte is offset 0).
    public var offset: Int
    /// The version whose rules were applied.
    public var version: ProtocolVersion

    public init(_ violation: Violation, at offset: Int, version: ProtocolVersion) {
        self.violation = violation
        self.offset = offset
        self.version = version
    }

    public var specID: String? { violation.specID(version: version) }
    public var reasonCode: ReasonCode { violation.reasonCode }

    public func message(_ language: Language) -> String {
        let text = violation.message.text(language)
        let at = language == .es ? "en el byte" : "at byte"
        if let specID { return "\(text) (\(at) \(offset), [\(specID)])" }
        return "\(text) (\(at) \(offset))"
    }

    public var description: String { message(.en) }
}
