/// Every kind of field a packet can have: its key (Wireshark's `mqtt.*` name where the MQTT dissector
/// has one, so a learner can search the same name in Wireshark), its name and what it is for.
public enum FieldKind: Sendable, Equatable {
    // Fixed header
    case packetTypeAndFlags
    case packetType
    case dupFlag
    case qos
    case retain
    /// Flag bits that must hold a fixed value (all types but PUBLISH).
    case reservedFlags
    /// Bit 0 of the 3.1 SUBSCRIBE/UNSUBSCRIBE/PUBREL header, which 3.1 still laid out like PUBLISH's.
    case retainReserved
    case remainingLength
    // CONNECT
    case protocolNameLength, protocolName, protocolLevel
    case connectFlags
    case usernameFlag, passwordFlag, willRetainFlag, willQoSFlag, willFlag, cleanStartFlag, connectReservedFlag
    case keepAlive
    case clientIDLength, clientID
    case willTopicLength, willTopic, willPayloadLength, willPayload
    case usernameLength, username, passwordLength, password
    // CONNACK
    case connAckFlags, sessionPresent, connAckReservedFlags
    case connectReturnCode
    /// A 5.0 reason code of the given packet (for SUBACK and UNSUBACK, one per filter).
    case reasonCode(PacketType)
    // PUBLISH and topics
    case topicLength, topic
    case packetIdentifier
    case payload
    // SUBSCRIBE / SUBACK
    case subscription
    case requestedQoS
    case subscriptionOptions
    case optionMaximumQoS, optionNoLocal, optionRetainAsPublished, optionRetainHandling, optionReserved
    case grantedQoS
    // Properties (5.0)
    case properties
    case willProperties
    case propertyLength
    case property(PropertyIdentifier)
    case propertyIdentifier
    case propertyNumber(PropertyIdentifier)
    case propertyStringLength(PropertyIdentifier)
    case propertyString(PropertyIdentifier)
    /// Content Type: Wireshark shows its length and text as one field.
    case contentType
    case userPropertyNameLength, userPropertyName, userPropertyValueLength, userPropertyValue
    /// Bytes after the point where a malformed packet stopped making sense.
    case malformed

    public var key: String {
        switch self {
        case .packetTypeAndFlags: "mqtt.hdrflags"
        case .packetType: "mqtt.msgtype"
        case .dupFlag: "mqtt.dupflag"
        case .qos: "mqtt.qos"
        case .retain: "mqtt.retain"
        case .reservedFlags: "mqtt.hdr_reserved"
        case .retainReserved: "mqtt.retain_reserved"
        case .remainingLength: "mqtt.len"
        case .protocolNameLength: "mqtt.proto_len"
        case .protocolName: "mqtt.protoname"
        case .protocolLevel: "mqtt.ver"
        case .connectFlags: "mqtt.conflags"
        case .usernameFlag: "mqtt.conflag.uname"
        case .passwordFlag: "mqtt.conflag.passwd"
        case .willRetainFlag: "mqtt.conflag.retain"
        case .willQoSFlag: "mqtt.conflag.qos"
        case .willFlag: "mqtt.conflag.willflag"
        case .cleanStartFlag: "mqtt.conflag.cleansess"
        case .connectReservedFlag: "mqtt.conflag.reserved"
        case .keepAlive: "mqtt.kalive"
        case .clientIDLength: "mqtt.clientid_len"
        case .clientID: "mqtt.clientid"
        case .willTopicLength: "mqtt.willtopic_len"
        case .willTopic: "mqtt.willtopic"
        case .willPayloadLength: "mqtt.willmsg_len"
        case .willPayload: "mqtt.willmsg"
        case .usernameLength: "mqtt.username_len"
        case .username: "mqtt.username"
        case .passwordLength: "mqtt.passwd_len"
        case .password: "mqtt.passwd"
        case .connAckFlags: "mqtt.conack.flags"
        case .sessionPresent: "mqtt.conack.flags.sp"
        case .connAckReservedFlags: "mqtt.conack.flags.reserved"
        case .connectReturnCode: "mqtt.conack.val"
        case .reasonCode(let type): "mqtt.\(type.description.lowercased()).reason_code"
        case .topicLength: "mqtt.topic_len"
        case .topic: "mqtt.topic"
        case .packetIdentifier: "mqtt.msgid"
        case .payload: "mqtt.msg"
        case .subscription: "mqttlab.subscription"
        case .requestedQoS: "mqtt.sub.qos"
        case .subscriptionOptions: "mqtt.subscription_options"
        case .optionMaximumQoS: "mqtt.subscription_options_qos"
        case .optionNoLocal: "mqtt.subscription_options_nl"
        case .optionRetainAsPublished: "mqtt.subscription_options_rap"
        case .optionRetainHandling: "mqtt.subscription_options_retain"
        case .optionReserved: "mqtt.subscription_options_reserved"
        case .grantedQoS: "mqtt.suback.qos"
        case .properties: "mqtt.properties"
        case .willProperties: "mqtt.will_properties"
        case .propertyLength: "mqtt.property_len"
        case .property: "mqttlab.property"
        case .propertyIdentifier: "mqtt.property_id"
        case .propertyNumber(let id):
            switch id {
            case .topicAlias: "mqtt.property.topic_alias"
            case .maximumQoS: "mqtt.property.max_qos"
            default: "mqtt.prop_number"
            }
        case .propertyStringLength: "mqtt.prop_string_len"
        case .propertyString: "mqtt.prop_string"
        case .contentType: "mqtt.property.content_type"
        case .userPropertyNameLength: "mqtt.prop_key_len"
        case .userPropertyName: "mqtt.prop_key"
        case .userPropertyValueLength: "mqtt.prop_value_len"
        case .userPropertyValue: "mqtt.prop_value"
        case .malformed: "mqttlab.malformed"
        }
    }

    /// The field's name, as a learner reads it in a table.
    public var name: LocalizedText {
        switch self {
        case .packetTypeAndFlags: LocalizedText(en: "packet type & flags", es: "tipo y banderas")
        case .packetType: LocalizedText(en: "packet type", es: "tipo de paquete")
        case .dupFlag: LocalizedText(en: "DUP", es: "DUP")
        case .qos: LocalizedText(en: "QoS", es: "QoS")
        case .retain: LocalizedText(en: "RETAIN", es: "RETAIN")
        case .reservedFlags: LocalizedText(en: "reserved flags", es: "banderas reservadas")
        case .retainReserved: LocalizedText(en: "reserved (3.1 retain bit)", es: "reservado (bit retain de 3.1)")
        case .remainingLength: LocalizedText(en: "remaining length", es: "longitud restante")
        case .protocolNameLength: LocalizedText(en: "protocol name length", es: "longitud del nombre de protocolo")
        case .protocolName: LocalizedText(en: "protocol name", es: "nombre de protocolo")
        case .protocolLevel: LocalizedText(en: "protocol level", es: "nivel de protocolo")
        case .connectFlags: LocalizedText(en: "connect flags", es: "banderas de conexión")
        case .usernameFlag: LocalizedText(en: "user name flag", es: "bandera de usuario")
        case .passwordFlag: LocalizedText(en: "password flag", es: "bandera de contraseña")
        case .willRetainFlag: LocalizedText(en: "will retain", es: "retain de la última voluntad")
        case .willQoSFlag: LocalizedText(en: "will QoS", es: "QoS de la última voluntad")
        case .willFlag: LocalizedText(en: "will flag", es: "bandera de última voluntad")
        case .cleanStartFlag: LocalizedText(en: "clean session / clean start", es: "sesión limpia (clean)")
        case .connectReservedFlag: LocalizedText(en: "reserved", es: "reservado")
        case .keepAlive: LocalizedText(en: "keep alive", es: "keep alive")
        case .clientIDLength: LocalizedText(en: "client id length", es: "longitud del id de cliente")
        case .clientID: LocalizedText(en: "client id", es: "id de cliente")
        case .willTopicLength: LocalizedText(en: "will topic length", es: "longitud del tema de última voluntad")
        case .willTopic: LocalizedText(en: "will topic", es: "tema de última voluntad")
        case .willPayloadLength: LocalizedText(en: "will message length", es: "longitud del mensaje de última voluntad")
        case .willPayload: LocalizedText(en: "will message", es: "mensaje de última voluntad")
        case .usernameLength: LocalizedText(en: "user name length", es: "longitud del usuario")
        case .username: LocalizedText(en: "user name", es: "usuario")
        case .passwordLength: LocalizedText(en: "password length", es: "longitud de la contraseña")
        case .password: LocalizedText(en: "password", es: "contraseña")
        case .connAckFlags: LocalizedText(en: "acknowledge flags", es: "banderas de confirmación")
        case .sessionPresent: LocalizedText(en: "session present", es: "sesión presente")
        case .connAckReservedFlags: LocalizedText(en: "reserved", es: "reservado")
        case .connectReturnCode: LocalizedText(en: "return code", es: "código de retorno")
        case .reasonCode: LocalizedText(en: "reason code", es: "código de motivo")
        case .topicLength: LocalizedText(en: "topic length", es: "longitud del tema")
        case .topic: LocalizedText(en: "topic", es: "tema")
        case .packetIdentifier: LocalizedText(en: "packet identifier", es: "identificador de paquete")
        case .payload: LocalizedText(en: "payload", es: "carga útil")
        case .subscription: LocalizedText(en: "subscription", es: "suscripción")
        case .requestedQoS: LocalizedText(en: "requested QoS", es: "QoS pedida")
        case .subscriptionOptions: LocalizedText(en: "subscription options", es: "opciones de suscripción")
        case .optionMaximumQoS: LocalizedText(en: "maximum QoS", es: "QoS máxima")
        case .optionNoLocal: LocalizedText(en: "no local", es: "no local")
        case .optionRetainAsPublished: LocalizedText(en: "retain as published", es: "retain como se publicó")
        case .optionRetainHandling: LocalizedText(en: "retain handling", es: "tratamiento de retenidos")
        case .optionReserved: LocalizedText(en: "reserved", es: "reservado")
        case .grantedQoS: LocalizedText(en: "return code", es: "código de retorno")
        case .properties: LocalizedText(en: "properties", es: "propiedades")
        case .willProperties: LocalizedText(en: "will properties", es: "propiedades de última voluntad")
        case .propertyLength: LocalizedText(en: "property length", es: "longitud de propiedades")
        case .property(let id): id.name
        case .propertyIdentifier: LocalizedText(en: "property id", es: "id de propiedad")
        case .propertyNumber(let id), .propertyString(let id): id.name
        case .propertyStringLength(let id): LocalizedText(en: "\(id.name.en) length", es: "longitud de \(id.name.es)")
        case .contentType: PropertyIdentifier.contentType.name
        case .userPropertyNameLength: LocalizedText(en: "name length", es: "longitud del nombre")
        case .userPropertyName: LocalizedText(en: "name", es: "nombre")
        case .userPropertyValueLength: LocalizedText(en: "value length", es: "longitud del valor")
        case .userPropertyValue: LocalizedText(en: "value", es: "valor")
        case .malformed: LocalizedText(en: "malformed bytes", es: "bytes mal formados")
        }
    }

    /// What the field is for, in general; `Field.note` adds what this packet's value means.
    public var meaning: LocalizedText {
        switch self {
        case .packetTypeAndFlags: LocalizedText(en: "high 4 bits: packet type; low 4 bits: flags", es: "4 bits altos: tipo; 4 bits bajos: banderas")
        case .packetType: LocalizedText(en: "which of the 15 packet types this is", es: "cuál de los 15 tipos de paquete es")
        case .dupFlag: LocalizedText(en: "1 = a resend of a message that may have arrived already", es: "1 = reenvío de un mensaje que quizá ya llegó")
        case .qos: LocalizedText(en: "delivery guarantee: 0, 1 or 2", es: "garantía de entrega: 0, 1 o 2")
        case .retain: LocalizedText(en: "1 = the broker keeps it as the topic's last known value", es: "1 = el broker lo guarda como último valor del tema")
        case .reservedFlags: LocalizedText(en: "fixed by the standard for this packet type", es: "fijadas por el estándar para este tipo")
        case .retainReserved: LocalizedText(en: "must be 0", es: "debe ser 0")
        case .remainingLength: LocalizedText(en: "bytes that follow this field (7 bits per byte, up to 4 bytes)", es: "bytes que siguen a este campo (7 bits por byte, hasta 4 bytes)")
        case .protocolNameLength, .clientIDLength, .willTopicLength, .usernameLength, .topicLength,
            .propertyStringLength, .userPropertyNameLength, .userPropertyValueLength:
            LocalizedText(en: "length of the next text, in bytes (2 bytes, big-endian)", es: "longitud del texto siguiente en bytes (2 bytes, big-endian)")
        case .willPayloadLength, .passwordLength:
            LocalizedText(en: "length of the next binary field, in bytes", es: "longitud del campo binario siguiente, en bytes")
        case .protocolName: LocalizedText(en: "always \"MQTT\" (\"MQIsdp\" in 3.1)", es: "siempre \"MQTT\" (\"MQIsdp\" en 3.1)")
        case .protocolLevel: LocalizedText(en: "3 = MQTT 3.1, 4 = 3.1.1, 5 = 5.0", es: "3 = MQTT 3.1, 4 = 3.1.1, 5 = 5.0")
        case .connectFlags: LocalizedText(en: "which optional parts follow, and how the session starts", es: "qué partes opcionales siguen y cómo empieza la sesión")
        case .usernameFlag: LocalizedText(en: "1 = a user name follows in the payload", es: "1 = la carga incluye un usuario")
        case .passwordFlag: LocalizedText(en: "1 = a password follows in the payload", es: "1 = la carga incluye una contraseña")
        case .willRetainFlag: LocalizedText(en: "1 = publish the will as a retained message", es: "1 = publicar la última voluntad como retenida")
        case .willQoSFlag: LocalizedText(en: "QoS the will is published with", es: "QoS con que se publica la última voluntad")
        case .willFlag: LocalizedText(en: "1 = the client leaves a will message", es: "1 = el cliente deja un mensaje de última voluntad")
        case .cleanStartFlag: LocalizedText(en: "1 = start a fresh session; 0 = resume the stored one", es: "1 = empezar una sesión nueva; 0 = seguir la guardada")
        case .connectReservedFlag: LocalizedText(en: "must be 0", es: "debe ser 0")
        case .keepAlive: LocalizedText(en: "seconds the client may stay silent; the broker waits 1.5× that", es: "segundos que el cliente puede callar; el broker espera 1,5 veces eso")
        case .clientID: LocalizedText(en: "names the client and its session on the broker", es: "nombra al cliente y a su sesión en el broker")
        case .willTopic: LocalizedText(en: "topic the will is published to", es: "tema donde se publica la última voluntad")
        case .willPayload: LocalizedText(en: "sent by the broker if the client disappears", es: "lo envía el broker si el cliente desaparece")
        case .username: LocalizedText(en: "who the client says it is", es: "quién dice ser el cliente")
        case .password: LocalizedText(en: "travels in clear text unless the connection uses TLS", es: "viaja en claro salvo que la conexión use TLS")
        case .connAckFlags: LocalizedText(en: "bit 0: session present", es: "bit 0: sesión presente")
        case .sessionPresent: LocalizedText(en: "1 = the broker still had this client's session", es: "1 = el broker aún tenía la sesión de este cliente")
        case .connAckReservedFlags: LocalizedText(en: "bits 7–1, must be 0", es: "bits 7–1, deben ser 0")
        case .connectReturnCode: LocalizedText(en: "0 = accepted; 1–5 = why it was refused", es: "0 = aceptada; 1–5 = por qué se rechazó")
        case .reasonCode: LocalizedText(en: "below 0x80 success, from 0x80 an error", es: "menor que 0x80 éxito, desde 0x80 error")
        case .topic: LocalizedText(en: "levels separated by '/'", es: "niveles separados por '/'")
        case .packetIdentifier: LocalizedText(en: "pairs this packet with its acknowledgement", es: "empareja este paquete con su confirmación")
        case .payload: LocalizedText(en: "the application's bytes; the broker does not look inside", es: "los bytes de la aplicación; el broker no mira dentro")
        case .subscription: LocalizedText(en: "a topic filter and its options", es: "un filtro de tema y sus opciones")
        case .requestedQoS: LocalizedText(en: "highest QoS the client wants for this filter", es: "la QoS más alta que quiere el cliente para este filtro")
        case .subscriptionOptions: LocalizedText(en: "QoS, no local, retain as published, retain handling", es: "QoS, no local, retain como se publicó, tratamiento de retenidos")
        case .optionMaximumQoS: LocalizedText(en: "highest QoS the client wants for this filter", es: "la QoS más alta que quiere el cliente para este filtro")
        case .optionNoLocal: LocalizedText(en: "1 = do not send me my own messages", es: "1 = no enviarme mis propios mensajes")
        case .optionRetainAsPublished: LocalizedText(en: "1 = keep the publisher's RETAIN flag when forwarding", es: "1 = mantener el RETAIN del publicador al reenviar")
        case .optionRetainHandling: LocalizedText(en: "0 = send retained on subscribe, 1 = only if new, 2 = never", es: "0 = enviar retenidos al suscribir, 1 = solo si es nueva, 2 = nunca")
        case .optionReserved: LocalizedText(en: "bits 7–6, must be 0", es: "bits 7–6, deben ser 0")
        case .grantedQoS: LocalizedText(en: "granted QoS 0–2, or 0x80 = refused", es: "QoS concedida 0–2, o 0x80 = rechazada")
        case .properties: LocalizedText(en: "optional extras of MQTT 5.0", es: "extras opcionales de MQTT 5.0")
        case .willProperties: LocalizedText(en: "properties of the will message", es: "propiedades del mensaje de última voluntad")
        case .propertyLength: LocalizedText(en: "bytes of properties that follow", es: "bytes de propiedades que siguen")
        case .property(let id), .propertyNumber(let id), .propertyString(let id): id.purpose
        case .propertyIdentifier: LocalizedText(en: "which property this is", es: "qué propiedad es")
        case .contentType: PropertyIdentifier.contentType.purpose
        case .userPropertyName, .userPropertyValue: PropertyIdentifier.userProperty.purpose
        case .malformed: LocalizedText(en: "could not be decoded", es: "no se pudieron decodificar")
        }
    }
}
