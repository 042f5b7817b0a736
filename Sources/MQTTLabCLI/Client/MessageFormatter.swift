import MQTTClient
import MQTTCodec

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a received message into the bytes `mosquitto_sub` would print for it: the payload, `topic
/// payload` with `-v`, or the `-F` format (every `%` token, `@` strftime token, width and precision, and
/// `\` escape of Mosquitto 2.0), followed by a newline unless `-N`.
struct MessageFormatter {
    /// The largest field width or precision a `-F` format may ask for.
    static let maximumWidth = 4096

    var format: String?
    var verbose: Bool
    var noEOL: Bool
    var pretty: Bool

    /// The bytes to print and any error to report (Mosquitto reports a `%J` payload that is not JSON
    /// and goes on).
    func render(_ message: MQTTMessage, at nanoseconds: UInt64) -> (output: [UInt8], errors: [String]) {
        var out: [UInt8] = []
        var errors: [String] = []
        if let format {
            formatted(format, message, nanoseconds, &out, &errors)
            if !noEOL { out.append(10) }
        } else if verbose {
            if !message.payload.isEmpty {
                out += Array(message.topic.utf8) + [32] + message.payload
                if !noEOL { out.append(10) }
            } else if !noEOL {
                out += Array("\(message.topic) (null)\n".utf8)
            }
        } else if !message.payload.isEmpty {
            out += message.payload
            if !noEOL { out.append(10) }
        }
        return (out, errors)
    }

    // MARK: -F

    private struct Spec {
        var leftAlign = false
        var zeroPad = false
        var width = 0
        var precision: Int?
    }

    private func formatted(_ format: String, _ message: MQTTMessage, _ nanoseconds: UInt64, _ out: inout [UInt8], _ errors: inout [String]) {
        let bytes = Array(format.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 1 < bytes.count {
                index += 1
                var spec = Spec()
                while index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "0") {
                    if bytes[index] == UInt8(ascii: "-") { spec.leftAlign = true } else { spec.zeroPad = true }
                    index += 1
                }
                while index < bytes.count, (48...57).contains(bytes[index]) {
                    // Capped: a width is typed by a person, and an unchecked one overflows or makes the
                    // formatter pad every message to gigabytes.
                    spec.width = min(spec.width * 10 + Int(bytes[index] - 48), Self.maximumWidth)
                    index += 1
                }
                if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                    index += 1
                    var precision = 0
                    while index < bytes.count, (48...57).contains(bytes[index]) {
                        precision = min(precision * 10 + Int(bytes[index] - 48), Self.maximumWidth)
                        index += 1
                    }
                    spec.precision = precision
                }
                guard index < bytes.count else { break }
                token(bytes[index], spec, message, nanoseconds, &out, &errors)
                index += 1
            } else if byte == UInt8(ascii: "@"), index + 1 < bytes.count {
                index += 1
                switch bytes[index] {
                case UInt8(ascii: "@"): out.append(UInt8(ascii: "@"))
                case UInt8(ascii: "N"): out += Array(Self.nineDigits(nanoseconds % 1_000_000_000).utf8)
                default: out += Array(Self.localTime("%" + String(UnicodeScalar(bytes[index])), nanoseconds).utf8)
                }
                index += 1
            } else if byte == 92, index + 1 < bytes.count {
                index += 1
                switch bytes[index] {
                case 92: out.append(92)
                case UInt8(ascii: "0"): out.append(0)
                case UInt8(ascii: "a"): out.append(7)
                case UInt8(ascii: "e"): out.append(27)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "v"): out.append(11)
                default: out += [92, bytes[index]]
                }
                index += 1
            } else {
                out.append(byte)
                index += 1
            }
        }
    }

    private func token(_ token: UInt8, _ spec: Spec, _ message: MQTTMessage, _ nanoseconds: UInt64, _ out: inout [UInt8], _ errors: inout [String]) {
        let properties = message.properties
        switch token {
        case UInt8(ascii: "%"): out.append(UInt8(ascii: "%"))
        case UInt8(ascii: "t"): out += padded(Array(message.topic.utf8), spec)
        case UInt8(ascii: "p"): out += message.payload
        case UInt8(ascii: "x"): out += Array(Hex.compact(message.payload).utf8)
        case UInt8(ascii: "X"): out += Array(Hex.compact(message.payload).uppercased().utf8)
        case UInt8(ascii: "l"): out += number(message.payload.count, spec)
        case UInt8(ascii: "m"): out += number(Int(message.packetID), spec)
        case UInt8(ascii: "q"): out.append(48 + message.qos.rawValue)
        case UInt8(ascii: "r"): out.append(message.retain ? 49 : 48)
        case UInt8(ascii: "I"): out += padded(Array(Self.localTime("%Y-%m-%dT%H:%M:%S%z", nanoseconds).utf8), spec)
        case UInt8(ascii: "U"):
            out += Array("\(nanoseconds / 1_000_000_000).\(Self.nineDigits(nanoseconds % 1_000_000_000))".utf8)
        case UInt8(ascii: "j"): out += json(message, nanoseconds, embedPayload: false, errors: &errors) ?? []
        case UInt8(ascii: "J"): out += json(message, nanoseconds, embedPayload: true, errors: &errors) ?? []
        case UInt8(ascii: "A"):
            if let alias = properties.firstValue({ if case .topicAlias(let value) = $0 { value } else { nil } }) { out += number(Int(alias), spec) }
        case UInt8(ascii: "C"):
            if let type = properties.firstValue({ if case .contentType(let value) = $0 { value } else { nil } }) { out += padded(Array(type.utf8), spec) }
        case UInt8(ascii: "D"):
            if let data = properties.firstValue({ if case .correlationData(let value) = $0 { value } else { nil } }) { out += data }
        case UInt8(ascii: "E"):
            if let expiry = properties.firstValue({ if case .messageExpiryInterval(let value) = $0 { value } else { nil } }) { out += number(Int(expiry), spec) }
        case UInt8(ascii: "F"):
            if let indicator = properties.firstValue({ if case .payloadFormatIndicator(let value) = $0 { value } else { nil } }) { out += number(Int(indicator), spec) }
        case UInt8(ascii: "P"):
            out += Array(properties.userProperties.map { "\($0.name):\($0.value)" }.joined(separator: " ").utf8)
        case UInt8(ascii: "R"):
            if let topic = properties.firstValue({ if case .responseTopic(let value) = $0 { value } else { nil } }) { out += padded(Array(topic.utf8), spec) }
        case UInt8(ascii: "S"):
            if let id = properties.firstValue({ if case .subscriptionIdentifier(let value) = $0 { value } else { nil } }) { out += number(Int(id), spec) }
        default:
            break
        }
    }

    private func padded(_ text: [UInt8], _ spec: Spec) -> [UInt8] {
        var text = text
        if let precision = spec.precision, text.count > precision { text = Array(text.prefix(precision)) }
        guard text.count < spec.width else { return text }
        let padding = [UInt8](repeating: 32, count: spec.width - text.count)
        return spec.leftAlign ? text + padding : padding + text
    }

    private func number(_ value: Int, _ spec: Spec) -> [UInt8] {
        let text = Array(String(value).utf8)
        guard text.count < spec.width else { return text }
        if spec.leftAlign { return text + [UInt8](repeating: 32, count: spec.width - text.count) }
        return [UInt8](repeating: spec.zeroPad ? 48 : 32, count: spec.width - text.count) + text
    }

    // MARK: %j / %J

    private func json(_ message: MQTTMessage, _ nanoseconds: UInt64, embedPayload: Bool, errors: inout [String]) -> [UInt8]? {
        let micros = (nanoseconds % 1_000_000_000) / 1000
        let microText = String(repeating: "0", count: 6 - String(micros).count) + String(micros)
        let stamp = Self.localTime("%Y-%m-%dT%H:%M:%S", nanoseconds) + "." + microText + "Z" + Self.localTime("%z", nanoseconds)
        var members: [(String, CJSON)] = [
            ("tst", .string(Array(stamp.utf8))),
            ("topic", .string(Array(message.topic.utf8))),
            ("qos", .number(Double(message.qos.rawValue))),
            ("retain", .number(message.retain ? 1 : 0)),
            ("payloadlen", .number(Double(message.payload.count))),
        ]
        if message.qos != .atMostOnce { members.append(("mid", .number(Double(message.packetID)))) }
        let properties = Self.jsonProperties(message.properties)
        if !properties.isEmpty { members.append(("properties", .object(properties))) }
        guard let payloadValue = jsonPayload(message, embed: embedPayload, errors: &errors) else { return nil }
        members.append(("payload", payloadValue))
        return CJSON.object(members).printed(pretty: pretty)
    }

    /// The payload member: a string (`%j`), the parsed JSON (`%J`; nil when it is not JSON), or null
    /// for an empty payload, as Mosquitto prints it.
    private func jsonPayload(_ message: MQTTMessage, embed: Bool, errors: inout [String]) -> CJSON? {
        if message.payload.isEmpty { return CJSON.null }
        // Mosquitto hands the payload to cJSON as a C string: it ends at the first NUL byte.
        guard embed else { return CJSON.string(Array(message.payload.prefix { $0 != 0 })) }
        guard let parsed = CJSON.parse(message.payload) else {
            errors.append("Message payload is not valid JSON on topic \(message.topic).")
            return nil
        }
        return parsed
    }

    /// 5.0 properties as Mosquitto names them in `%j`: user properties gathered in one object.
    static func jsonProperties(_ properties: Properties) -> [(String, CJSON)] {
        var members: [(String, CJSON)] = []
        var users: [(String, CJSON)] = []
        var userIndex: Int?
        for property in properties {
            switch property {
            case .userProperty(let name, let value):
                if userIndex == nil {
                    userIndex = members.count
                    members.append(("user-properties", .null))
                }
                users.append((name, .string(Array(value.utf8))))
            case .contentType(let value): members.append(("content-type", .string(Array(value.utf8))))
            case .responseTopic(let value): members.append(("response-topic", .string(Array(value.utf8))))
            case .correlationData(let value): members.append(("correlation-data", .string(value)))
            case .messageExpiryInterval(let value): members.append(("message-expiry-interval", .number(Double(value))))
            case .payloadFormatIndicator(let value): members.append(("payload-format-indicator", .number(Double(value))))
            case .subscriptionIdentifier(let value): members.append(("subscription-identifier", .number(Double(value))))
            case .topicAlias(let value): members.append(("topic-alias", .number(Double(value))))
            default: break
            }
        }
        if let userIndex { members[userIndex].1 = .object(users) }
        return members
    }

    // MARK: Time

    static func localTime(_ format: String, _ nanoseconds: UInt64) -> String {
        var seconds = time_t(nanoseconds / 1_000_000_000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 256)
        let count = format.withCString { strftime(&buffer, buffer.count, $0, &parts) }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func nineDigits(_ value: UInt64) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 9 - text.count)) + text
    }
}
