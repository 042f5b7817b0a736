import MQTTCodec

/// A rule of the protocol that a client broke with a packet that was well formed but not allowed where it
/// came (a second CONNECT, an unknown topic alias…). The broker closes the connection; a 5.0 client gets
/// a DISCONNECT whose Reason String is `text.en` followed by the spec id, and the trace explains it in the
/// learner's language. Malformed bytes are a `Violation` of the codec instead.
public struct ProtocolRule: Sendable, Equatable {
    /// The normative statement's id, e.g. "MQTT-3.1.0-2".
    public var specID: String?
    public var text: LocalizedText

    public init(specID: String?, text: LocalizedText) {
        self.specID = specID
        self.text = text
    }

    /// The Reason String sent to a 5.0 client: English, so logs and forums can be searched, with the id.
    public var reasonString: String {
        specID.map { "\(text.en) [\($0)]" } ?? text.en
    }

    static let secondConnect = ProtocolRule(specID: "MQTT-3.1.0-2", text: LocalizedText(
        en: "a second CONNECT on a connection that is already connected",
        es: "un segundo CONNECT en una conexión que ya está conectada"))
    static let subscriptionIdentifierFromClient = ProtocolRule(specID: "MQTT-3.3.4-6", text: LocalizedText(
        en: "a PUBLISH from a client may not carry a Subscription Identifier",
        es: "un PUBLISH de un cliente no puede llevar Subscription Identifier"))
    static func topicAliasOverMaximum(_ alias: UInt16, maximum: UInt16) -> ProtocolRule {
        ProtocolRule(specID: "MQTT-3.2.2-17", text: LocalizedText(
            en: "topic alias \(alias) is above the Topic Alias Maximum of \(maximum) the broker announced",
            es: "el alias de tema \(alias) supera el Topic Alias Maximum de \(maximum) que anunció el broker"))
    }
    static func unknownTopicAlias(_ alias: UInt16) -> ProtocolRule {
        ProtocolRule(specID: nil, text: LocalizedText(
            en: "topic alias \(alias) was used with an empty topic before any PUBLISH set it",
            es: "se usó el alias de tema \(alias) con un tema vacío antes de que ningún PUBLISH lo definiera"))
    }
    static let retainNotSupported = ProtocolRule(specID: "MQTT-3.2.2-14", text: LocalizedText(
        en: "a retained PUBLISH, but the broker announced Retain Available 0",
        es: "un PUBLISH retenido, pero el broker anunció Retain Available 0"))
    static func receiveMaximumExceeded(_ maximum: UInt16) -> ProtocolRule {
        ProtocolRule(specID: "MQTT-3.3.4-7", text: LocalizedText(
            en: "more than \(maximum) QoS 2 messages unacknowledged, the Receive Maximum the broker announced",
            es: "más de \(maximum) mensajes QoS 2 sin confirmar, el Receive Maximum que anunció el broker"))
    }
    static let sessionExpiryFromZero = ProtocolRule(specID: nil, text: LocalizedText(
        en: "a DISCONNECT may not set a Session Expiry Interval when the CONNECT set it to 0",
        es: "un DISCONNECT no puede poner Session Expiry Interval si el CONNECT lo puso a 0"))
    static let authWithoutMethod = ProtocolRule(specID: "MQTT-4.12.0-6", text: LocalizedText(
        en: "an AUTH packet, but the CONNECT had no Authentication Method",
        es: "un paquete AUTH, pero el CONNECT no tenía Authentication Method"))
    static func serverOnlyPacket(_ type: PacketType) -> ProtocolRule {
        ProtocolRule(specID: nil, text: LocalizedText(
            en: "\(type) is a packet only a server sends",
            es: "\(type) es un paquete que solo envía un servidor"))
    }
}
