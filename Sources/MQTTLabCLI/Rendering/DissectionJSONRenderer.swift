import MQTTCodec

/// Renders a dissection as JSON for tools: the whole field tree with keys, offsets, lengths, raw bytes,
/// values, and the explanations in the chosen language.
struct DissectionJSONRenderer {
    var language: Language

    /// The members describing the packet itself; callers put their own (index, frame, endpoints) first.
    func members(_ dissection: Dissection) -> [(String, JSONWriter.Value)] {
        [
            ("version", .string(dissection.version.description)),
            ("type", dissection.type.map { .string($0.description) } ?? .null),
            ("size", .int(Int64(dissection.bytes.count))),
            ("hex", .string(Hex.compact(dissection.bytes))),
            ("error", dissection.error.map(errorValue) ?? .null),
            ("fields", .array(dissection.fields.map { field($0, in: dissection) })),
        ]
    }

    func errorValue(_ error: MalformedPacket) -> JSONWriter.Value {
        .object([
            ("offset", .int(Int64(error.offset))),
            ("rule", .string(String(describing: error.violation))),
            ("spec", error.specID.map { .string($0) } ?? .null),
            ("reason_code", .uint(UInt64(error.reasonCode.rawValue))),
            ("message", .string(error.violation.message.text(language))),
        ])
    }

    private func field(_ field: Field, in dissection: Dissection) -> JSONWriter.Value {
        let value: JSONWriter.Value = switch field.value {
        case .none: .null
        case .bool(let flag): .bool(flag)
        case .integer(let number): .uint(number)
        case .string(let text): .string(text)
        case .bytes(let data): .string(Hex.compact(data))
        }
        return .object([
            ("key", .string(field.key)),
            ("name", .string(field.kind.name.text(language))),
            ("offset", .int(Int64(field.offset))),
            ("length", .int(Int64(field.length))),
            ("mask", field.mask.map { .uint(UInt64($0)) } ?? .null),
            ("raw", .string(Hex.compact(dissection.raw(field)))),
            ("value", value),
            ("meaning", .string((field.note ?? field.kind.meaning).text(language))),
            ("children", .array(field.children.map { self.field($0, in: dissection) })),
        ])
    }
}
