/// A tiny JSON writer that keeps keys in the order they are written, so `--json` output reads the same
/// way as the text output and diffs cleanly.
struct JSONWriter {
    private(set) var text = ""

    enum Value {
        case null
        case bool(Bool)
        case int(Int64)
        case uint(UInt64)
        case double(Double)
        case string(String)
        case array([Value])
        case object([(String, Value)])
    }

    static func render(_ value: Value) -> String {
        var writer = JSONWriter()
        writer.write(value)
        return writer.text
    }

    mutating func write(_ value: Value) {
        switch value {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .int(let number): text += String(number)
        case .uint(let number): text += String(number)
        case .double(let number): text += number.isFinite ? String(number) : "null"
        case .string(let string): writeString(string)
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                write(item)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, (key, item)) in members.enumerated() {
                if index > 0 { text += "," }
                writeString(key)
                text += ":"
                write(item)
            }
            text += "}"
        }
    }

    private mutating func writeString(_ string: String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
