/// Just enough of cJSON (the JSON library Mosquitto's clients print with) for `-F %j` / `%J` and
/// `--pretty` to give the same bytes: an order-keeping parser for the payload of `%J`, and cJSON's
/// compact and pretty (tab-indented) printers.
indirect enum CJSON: Sendable {
    case object([(String, CJSON)])
    case array([CJSON])
    case string([UInt8])
    /// The number as cJSON prints it (an integer when it is one, else %1.15g / %1.17g).
    case number(Double)
    case bool(Bool)
    case null

    // MARK: Printing

    func printed(pretty: Bool, depth: Int = 0) -> [UInt8] {
        switch self {
        case .null: return Array("null".utf8)
        case .bool(let value): return Array((value ? "true" : "false").utf8)
        case .number(let value): return Array(Self.numberText(value).utf8)
        case .string(let bytes): return Self.quoted(bytes)
        case .array(let items):
            var out: [UInt8] = [UInt8(ascii: "[")]
            for (index, item) in items.enumerated() {
                if index > 0 { out += pretty ? Array(", ".utf8) : [UInt8(ascii: ",")] }
                out += item.printed(pretty: pretty, depth: depth + 1)
            }
            out.append(UInt8(ascii: "]"))
            return out
        case .object(let members):
            var out: [UInt8] = [UInt8(ascii: "{")]
            if pretty { out.append(10) }
            for (index, (key, value)) in members.enumerated() {
                if pretty { out += Array(repeating: 9, count: depth + 1) }
                out += Self.quoted(Array(key.utf8))
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(9) }
                out += value.printed(pretty: pretty, depth: depth + 1)
                if index < members.count - 1 { out.append(UInt8(ascii: ",")) }
                if pretty { out.append(10) }
            }
            if pretty { out += Array(repeating: 9, count: depth) }
            out.append(UInt8(ascii: "}"))
            return out
        }
    }

    static func quoted(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out += [92, UInt8(ascii: "\"")]
            case 92: out += [92, 92]
            case 8: out += [92, UInt8(ascii: "b")]
            case 12: out += [92, UInt8(ascii: "f")]
            case 10: out += [92, UInt8(ascii: "n")]
            case 13: out += [92, UInt8(ascii: "r")]
            case 9: out += [92, UInt8(ascii: "t")]
            case 0..<32:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }

    static func numberText(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    // MARK: Parsing

    /// Parses a whole JSON text; nil when it is not valid JSON.
    static func parse(_ bytes: [UInt8]) -> CJSON? {
        var parser = Parser(bytes: bytes)
        guard let value = parser.value() else { return nil }
        parser.skipSpace()
        return parser.index == bytes.count ? value : nil
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        /// Objects and arrays open right now. A payload comes from any client of the broker: without a
        /// limit, a million `[` would recurse until the stack overflows. cJSON stops at the same depth.
        var depth = 0
        static let maximumDepth = 1000

        mutating func skipSpace() {
            while index < bytes.count, [9, 10, 13, 32].contains(bytes[index]) { index += 1 }
        }

        mutating func literal(_ text: String) -> Bool {
            let expected = Array(text.utf8)
            guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else { return false }
            index += expected.count
            return true
        }

        mutating func value() -> CJSON? {
            skipSpace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                depth += 1
                defer { depth -= 1 }
                guard depth <= Self.maximumDepth else { return nil }
                index += 1
                var members: [(String, CJSON)] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard case .string(let key)? = string() else { return nil }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                    index += 1
                    guard let item = value() else { return nil }
                    members.append((String(decoding: key, as: UTF8.self), item))
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                    return nil
                }
            case UInt8(ascii: "["):
                depth += 1
                defer { depth -= 1 }
                guard depth <= Self.maximumDepth else { return nil }
                index += 1
                var items: [CJSON] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                while true {
                    guard let item = value() else { return nil }
                    items.append(item)
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                    return nil
                }
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            default: return number()
            }
        }

        mutating func string() -> CJSON? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            var out: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""): return .string(out)
                case 92:
                    guard index < bytes.count else { return nil }
                    let escaped = bytes[index]
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "n"): out.append(10)
                    case UInt8(ascii: "t"): out.append(9)
                    case UInt8(ascii: "r"): out.append(13)
                    case UInt8(ascii: "b"): out.append(8)
                    case UInt8(ascii: "f"): out.append(12)
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
                              let scalar = Unicode.Scalar(code) else { return nil }
                        index += 4
                        out += Array(String(Character(scalar)).utf8)
                    default: out.append(escaped)
                    }
                default: out.append(byte)
                }
            }
            return nil
        }

        mutating func number() -> CJSON? {
            let start = index
            while index < bytes.count, Array("+-0123456789.eE".utf8).contains(bytes[index]) { index += 1 }
            guard index > start, let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else { return nil }
            return .number(value)
        }
    }
}
