import MQTTCodec

/// Every text of the inspector's own (the field explanations are the codec's), in both languages.
enum InspectText {
    static func fieldOfCount(_ step: Int, _ count: Int) -> LocalizedText {
        LocalizedText(en: "field \(step) of \(count)", es: "campo \(step) de \(count)")
    }
    static func packetOfCount(_ packet: Int, _ count: Int) -> LocalizedText {
        LocalizedText(en: "packet \(packet) of \(count)", es: "paquete \(packet) de \(count)")
    }
    static func bytesCount(_ count: Int) -> LocalizedText {
        LocalizedText(en: count == 1 ? "1 byte" : "\(count) bytes", es: count == 1 ? "1 byte" : "\(count) bytes")
    }
    static func byteRange(_ range: Range<Int>) -> LocalizedText {
        range.count == 1
            ? LocalizedText(en: "byte \(range.lowerBound)", es: "byte \(range.lowerBound)")
            : LocalizedText(en: "bytes \(range.lowerBound)–\(range.upperBound - 1)", es: "bytes \(range.lowerBound)–\(range.upperBound - 1)")
    }
    static func bitsOfByte(_ byte: Int) -> LocalizedText {
        LocalizedText(en: "bits of byte \(byte)", es: "bits del byte \(byte)")
    }
    static func packetCount(_ count: Int) -> LocalizedText {
        LocalizedText(en: count == 1 ? "1 packet" : "\(count) packets", es: count == 1 ? "1 paquete" : "\(count) paquetes")
    }
    static let value = LocalizedText(en: "value", es: "valor")
    static let whatItIs = LocalizedText(en: "what it is", es: "qué es")
    static let here = LocalizedText(en: "here", es: "aquí")
    static let malformed = LocalizedText(en: "malformed", es: "mal formado")
    static func malformedAt(_ offset: Int) -> LocalizedText {
        LocalizedText(en: "malformed at byte \(offset)", es: "mal formado en el byte \(offset)")
    }
    static func brokerCloses(_ code: String, _ name: String) -> LocalizedText {
        LocalizedText(en: "A broker closes this connection (in MQTT 5.0 it first sends reason code \(code) \(name)).",
                      es: "Un broker cierra esta conexión (en MQTT 5.0 antes envía el código \(code) \(name)).")
    }
    static let noPackets = LocalizedText(en: "No MQTT packets in this input.", es: "No hay paquetes MQTT en esta entrada.")
    static func noMatch(_ filter: String) -> LocalizedText {
        LocalizedText(en: "No packet matches \"\(filter)\". Press / and Enter to clear the filter.",
                      es: "Ningún paquete coincide con \"\(filter)\". Pulsa / y Enter para quitar el filtro.")
    }
    static let filterPrompt = LocalizedText(en: "filter (client, type or topic; Enter applies, Esc cancels): ",
                                            es: "filtro (cliente, tipo o tema; Enter aplica, Esc cancela): ")
    static func filterShown(_ filter: String) -> LocalizedText { LocalizedText(en: "filter: \(filter)", es: "filtro: \(filter)") }
    static let following = LocalizedText(en: "following", es: "siguiendo")
    static let waiting = LocalizedText(en: "Waiting for packets… (the broker writes them as clients talk)",
                                       es: "Esperando paquetes… (el broker los escribe cuando hablan los clientes)")
    static let keysLine = LocalizedText(
        en: "→/n next field  ←/p previous  ↓↑ packet  tab flow  / filter  ? help  q quit",
        es: "→/n campo sig.  ←/p anterior  ↓↑ paquete  tab flujo  / filtro  ? ayuda  q salir")
    static func tooSmall(_ columns: Int, _ rows: Int) -> LocalizedText {
        LocalizedText(en: "Make the terminal at least \(columns)x\(rows).", es: "Agranda la terminal al menos a \(columns)x\(rows).")
    }
    static let listHeader = LocalizedText(en: "#     time          client      type         summary",
                                          es: "#     hora          cliente     tipo         resumen")
    static let flow = LocalizedText(en: "flow", es: "flujo")

    static let help: [LocalizedText] = [
        LocalizedText(en: "mqttlab inspect — one field at a time", es: "mqttlab inspect — campo a campo"),
        LocalizedText(en: "", es: ""),
        LocalizedText(en: "  → or n       next field (after a flag byte: each of its bits)",
                      es: "  → o n        campo siguiente (tras un byte de banderas: cada bit)"),
        LocalizedText(en: "  ← or p       previous field", es: "  ← o p        campo anterior"),
        LocalizedText(en: "  ↓ / ↑        next / previous packet", es: "  ↓ / ↑        paquete siguiente / anterior"),
        LocalizedText(en: "  PgDn / PgUp  ten packets down / up", es: "  AvPág / RePág diez paquetes abajo / arriba"),
        LocalizedText(en: "  Home / End   first / last field", es: "  Inicio / Fin primer / último campo"),
        LocalizedText(en: "  tab          next packet of the same flow (PUBLISH → PUBREC → PUBREL → PUBCOMP)",
                      es: "  tab          paquete siguiente del mismo flujo (PUBLISH → PUBREC → PUBREL → PUBCOMP)"),
        LocalizedText(en: "  /            filter by client, type or topic (empty: show all)",
                      es: "  /            filtrar por cliente, tipo o tema (vacío: todos)"),
        LocalizedText(en: "  ?            this help      q  quit", es: "  ?            esta ayuda     q  salir"),
        LocalizedText(en: "", es: ""),
        LocalizedText(en: "The highlighted bytes in the hex dump are the current field; its explanation is below.",
                      es: "Los bytes resaltados del volcado hex son el campo actual; debajo, su explicación."),
        LocalizedText(en: "→ is a packet to the broker, ← one from the broker.",
                      es: "→ es un paquete hacia el broker, ← uno que envía el broker."),
        LocalizedText(en: "", es: ""),
        LocalizedText(en: "Press any key to go back.", es: "Pulsa cualquier tecla para volver."),
    ]

    static func conversationName(_ kind: Conversation.Kind) -> LocalizedText {
        switch kind {
        case .connect: LocalizedText(en: "connection", es: "conexión")
        case .qos1: LocalizedText(en: "QoS 1 exchange", es: "intercambio QoS 1")
        case .qos2: LocalizedText(en: "QoS 2 exchange", es: "intercambio QoS 2")
        case .subscribe: LocalizedText(en: "subscription", es: "suscripción")
        case .unsubscribe: LocalizedText(en: "unsubscription", es: "baja de suscripción")
        case .ping: LocalizedText(en: "keep alive", es: "keep alive")
        case .delivery: LocalizedText(en: "delivery to subscribers", es: "entrega a suscriptores")
        case .takeOver: LocalizedText(en: "session take-over", es: "toma de la sesión")
        case .will: LocalizedText(en: "will", es: "última voluntad")
        }
    }

    /// What the flow is about, for the line under the explanation.
    static func conversationPurpose(_ kind: Conversation.Kind) -> LocalizedText {
        switch kind {
        case .connect: LocalizedText(en: "the client asks to connect, the broker answers", es: "el cliente pide conectar, el broker responde")
        case .qos1: LocalizedText(en: "at least once: the receiver confirms with PUBACK", es: "al menos una vez: el receptor confirma con PUBACK")
        case .qos2: LocalizedText(en: "exactly once: received (PUBREC), release (PUBREL), complete (PUBCOMP)",
                                  es: "exactamente una vez: recibido (PUBREC), liberar (PUBREL), completo (PUBCOMP)")
        case .subscribe: LocalizedText(en: "the broker grants each filter a QoS", es: "el broker concede una QoS a cada filtro")
        case .unsubscribe: LocalizedText(en: "the broker confirms the filters are gone", es: "el broker confirma que los filtros se han quitado")
        case .ping: LocalizedText(en: "the client shows it is alive", es: "el cliente muestra que sigue vivo")
        case .delivery: LocalizedText(en: "the broker forwards the message to each matching subscription",
                                      es: "el broker reenvía el mensaje a cada suscripción que coincide")
        case .takeOver: LocalizedText(en: "a new connection with the same client id ends the old one",
                                      es: "una conexión nueva con el mismo id de cliente cierra la antigua")
        case .will: LocalizedText(en: "the client vanished without DISCONNECT: the broker publishes its will",
                                  es: "el cliente desapareció sin DISCONNECT: el broker publica su última voluntad")
        }
    }
}
