/// Reads one whole packet, validating every rule as it goes and, when a recorder is attached, writing
/// down each field it reads. Decoding and dissection are the same walk over the bytes, so what the
/// trace explains is exactly what the broker understood.
struct PacketParser {
    var reader: ByteReader
    var recorder: FieldRecorder?

    init(bytes: [UInt8], version: ProtocolVersion, recording: Bool) {
        reader = ByteReader(bytes: bytes, version: version)
        recorder = recording ? FieldRecorder() : nil
    }

    var version: ProtocolVersion { reader.version }
    var isRecording: Bool { recorder != nil }

    func fail(_ violation: Violation, at offset: Int? = nil) -> MalformedPacket {
        reader.fail(violation, at: offset)
    }

    // MARK: Recording

    mutating func record(
        _ kind: FieldKind, from start: Int, value: FieldValue, note: LocalizedText? = nil, children: [Field] = []
    ) {
        guard recorder != nil else { return }
        recorder!.add(Field(kind: kind, offset: start, length: reader.position - start, value: value, note: note, children: children))
    }

    mutating func begin(_ kind: FieldKind, note: LocalizedText? = nil) {
        recorder?.begin(kind, at: reader.position, note: note)
    }

    mutating func end() {
        recorder?.end(at: reader.position)
    }

    // MARK: Reading typed fields

    mutating func byte(_ kind: FieldKind, note: (UInt8) -> LocalizedText? = { _ in nil }) throws(MalformedPacket) -> UInt8 {
        let start = reader.position
        let value = try reader.readByte(kind)
        if isRecording { record(kind, from: start, value: .integer(UInt64(value)), note: note(value)) }
        return value
    }

    mutating func uint16(_ kind: FieldKind, note: (UInt16) -> LocalizedText? = { _ in nil }) throws(MalformedPacket) -> UInt16 {
        let start = reader.position
        let value = try reader.readUInt16(kind)
        if isRecording { record(kind, from: start, value: .integer(UInt64(value)), note: note(value)) }
        return value
    }

    mutating func uint32(_ kind: FieldKind, note: (UInt32) -> LocalizedText? = { _ in nil }) throws(MalformedPacket) -> UInt32 {
        let start = reader.position
        let value = try reader.readUInt32(kind)
        if isRecording { record(kind, from: start, value: .integer(UInt64(value)), note: note(value)) }
        return value
    }

    mutating func variableByteInteger(_ kind: FieldKind, note: (UInt32) -> LocalizedText? = { _ in nil }) throws(MalformedPacket) -> UInt32 {
        let start = reader.position
        let value = try reader.readVariableByteInteger(kind)
        if isRecording { record(kind, from: start, value: .integer(UInt64(value)), note: note(value)) }
        return value
    }

    /// A UTF-8 Encoded String: its 2-byte length as one field, its text as another.
    mutating func string(length lengthKind: FieldKind, _ kind: FieldKind) throws(MalformedPacket) -> String {
        let count = Int(try uint16(lengthKind))
        let start = reader.position
        let text = try reader.readStringBody(count, kind)
        if isRecording { record(kind, from: start, value: .string(text)) }
        return text
    }

    /// Binary Data: its 2-byte length, then the bytes.
    mutating func binary(length lengthKind: FieldKind, _ kind: FieldKind) throws(MalformedPacket) -> [UInt8] {
        let count = Int(try uint16(lengthKind))
        let start = reader.position
        let data = try reader.readBytes(count, kind)
        if isRecording { record(kind, from: start, value: .bytes(data), note: Self.bytesNote(data)) }
        return data
    }

    /// A packet identifier that must not be 0 [MQTT-2.3.1-1] (3.1.1) / [MQTT-2.2.1-3] (5.0).
    mutating func packetIdentifier() throws(MalformedPacket) -> UInt16 {
        let start = reader.position
        let id = try uint16(.packetIdentifier)
        guard id != 0 else { throw fail(.packetIdentifierZero, at: start) }
        return id
    }

    /// A reason code byte that must be one the packet may carry.
    mutating func reasonCode(for type: PacketType) throws(MalformedPacket) -> ReasonCode {
        let start = reader.position
        let version = version
        let code = try byte(.reasonCode(type)) { ReasonCode($0).name(in: type, version: version) }
        guard ReasonCode.allowedV5(in: type).contains(code) else { throw fail(.invalidReasonCode(code, type), at: start) }
        return ReasonCode(code)
    }

    /// "22.5" (4 bytes) when the bytes read as text, else their size.
    static func bytesNote(_ data: [UInt8]) -> LocalizedText {
        if data.isEmpty { return LocalizedText(en: "empty (0 bytes)", es: "vacío (0 bytes)") }
        let unit = data.count == 1 ? "byte" : "bytes"
        if UTF8Validation.firstProblem(in: data, 0..<data.count) == nil,
            data.allSatisfy({ $0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
        {
            // Long payloads are shortened here: the note is a reminder, the bytes themselves are in the dump.
            var text = String(decoding: data, as: UTF8.self)
            if text.count > 48 { text = String(text.prefix(48)) + "…" }
            return LocalizedText(en: "text \"\(text)\" (\(data.count) \(unit))", es: "texto \"\(text)\" (\(data.count) \(unit))")
        }
        return LocalizedText(en: "\(data.count) \(unit) of binary data", es: "\(data.count) \(unit) de datos binarios")
    }

    static func onOff(_ bit: Bool, on: LocalizedText, off: LocalizedText) -> LocalizedText { bit ? on : off }
}
