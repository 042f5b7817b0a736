import MQTTCodec

/// `-D command identifier value [value]`: a 5.0 property for one packet, named as Mosquitto names it.
enum ClientPropertyArgument {
    enum Command: String, Sendable, CaseIterable {
        case connect, publish, subscribe, unsubscribe, disconnect, will, auth
    }

    /// The property names Mosquitto accepts, with how many values each takes.
    static let names: [String: Int] = [
        "payload-format-indicator": 1, "message-expiry-interval": 1, "content-type": 1, "response-topic": 1,
        "correlation-data": 1, "subscription-identifier": 1, "session-expiry-interval": 1, "authentication-method": 1,
        "authentication-data": 1, "request-problem-information": 1, "will-delay-interval": 1,
        "request-response-information": 1, "receive-maximum": 1, "topic-alias-maximum": 1, "topic-alias": 1,
        "user-property": 2, "maximum-packet-size": 1,
    ]

    /// Builds the property; the error message says what is wrong in Mosquitto's words.
    static func property(_ name: String, _ values: [String]) throws(ClientUsageError) -> Property {
        func number<T: FixedWidthInteger>(_ type: T.Type) throws(ClientUsageError) -> T {
            guard let value = T(values[0]) else { throw ClientUsageError("Invalid property value for \(name): \(values[0])") }
            return value
        }
        switch name {
        case "payload-format-indicator": return .payloadFormatIndicator(try number(UInt8.self))
        case "message-expiry-interval": return .messageExpiryInterval(try number(UInt32.self))
        case "content-type": return .contentType(values[0])
        case "response-topic": return .responseTopic(values[0])
        case "correlation-data": return .correlationData(Array(values[0].utf8))
        case "subscription-identifier": return .subscriptionIdentifier(try number(UInt32.self))
        case "session-expiry-interval": return .sessionExpiryInterval(try number(UInt32.self))
        case "authentication-method": return .authenticationMethod(values[0])
        case "authentication-data": return .authenticationData(Array(values[0].utf8))
        case "request-problem-information": return .requestProblemInformation(try number(UInt8.self))
        case "will-delay-interval": return .willDelayInterval(try number(UInt32.self))
        case "request-response-information": return .requestResponseInformation(try number(UInt8.self))
        case "receive-maximum": return .receiveMaximum(try number(UInt16.self))
        case "topic-alias-maximum": return .topicAliasMaximum(try number(UInt16.self))
        case "topic-alias": return .topicAlias(try number(UInt16.self))
        case "maximum-packet-size": return .maximumPacketSize(try number(UInt32.self))
        case "user-property": return .userProperty(name: values[0], value: values[1])
        default: throw ClientUsageError("Invalid property name \(name).")
        }
    }

    /// Whether Table 2-4 allows the property in the packet the command names.
    static func isAllowed(_ property: Property, in command: Command) -> Bool {
        let place: PropertyIdentifier.Place
        switch command {
        case .connect: place = .packet(.connect)
        case .publish: place = .packet(.publish)
        case .subscribe: place = .packet(.subscribe)
        case .unsubscribe: place = .packet(.unsubscribe)
        case .disconnect: place = .packet(.disconnect)
        case .will: place = .will
        case .auth: place = .packet(.auth)
        }
        return property.identifier.isAllowed(in: place)
    }
}

/// A command-line mistake: printed as `Error: …` with a hint to `--help`, exit status 1 like Mosquitto's
/// clients.
struct ClientUsageError: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}
