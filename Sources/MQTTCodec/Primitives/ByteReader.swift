/// A bounds-checked cursor over one packet's bytes.
///
/// Offsets are positions in the packet (its first byte is 0), so every error and every dissected field
/// can say exactly which byte it is about. Integers are read big-endian, byte by byte, as the
/// specification writes them; there are no unaligned loads.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var position: Int
    /// One past the last byte this reader may consume (the end of the packet, or of a property block).
    var limit: Int
    var version: ProtocolVersion

    init(bytes: [UInt8], position: Int = 0, limit: Int? = nil, version: ProtocolVersion) {
        self.bytes = bytes
        self.position = position
        self.limit = limit ?? bytes.count
        self.version = version
    }

    var remaining: Int { limit - position }
    var isAtEnd: Bool { position >= limit }

    func fail(_ violation: Violation, at offset: Int? = nil) -> MalformedPacket {
        MalformedPacket(violation, at: offset ?? position, version: version)
    }

    private func require(_ count: Int, _ field: FieldKind) throws(MalformedPacket) {
        guard count <= remaining else {
            throw fail(.truncated(field, needed: count, available: max(remaining, 0)))
        }
    }

    mutating func readByte(_ field: FieldKind) throws(MalformedPacket) -> UInt8 {
        try require(1, field)
        defer { position += 1 }
        return bytes[position]
    }

    mutating func readUInt16(_ field: FieldKind) throws(MalformedPacket) -> UInt16 {
        try require(2, field)
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    mutating func readUInt32(_ field: FieldKind) throws(MalformedPacket) -> UInt32 {
        try require(4, field)
        defer { position += 4 }
        return UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16
            | UInt32(bytes[position + 2]) << 8 | UInt32(bytes[position + 3])
    }

    /// A Variable Byte Integer inside the packet (property length, property id, subscription identifier).
    /// 5.0 requires the shortest form [MQTT-1.5.5-1].
    mutating func readVariableByteInteger(_ field: FieldKind) throws(MalformedPacket) -> UInt32 {
        let start = position
        var value: UInt32 = 0
        var multiplier: UInt32 = 1
        for index in 0..<4 {
            let byte = try readByte(field)
            value += UInt32(byte & 0x7F) * multiplier
            if byte & 0x80 == 0 {
                if index > 0 && byte == 0 { throw fail(.nonMinimalVariableByteInteger, at: start) }
                return value
            }
            multiplier *= 128
        }
        throw fail(.variableByteIntegerTooLong, at: start)
    }

    /// Takes `count` raw bytes.
    mutating func readBytes(_ count: Int, _ field: FieldKind) throws(MalformedPacket) -> [UInt8] {
        try require(count, field)
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    /// Checks that the next `count` bytes are a valid MQTT string and returns it.
    mutating func readStringBody(_ count: Int, _ field: FieldKind) throws(MalformedPacket) -> String {
        try require(count, field)
        let range = position..<position + count
        switch UTF8Validation.firstProblem(in: bytes, range) {
        case .invalid(let offset): throw fail(.invalidUTF8, at: offset)
        case .null(let offset): throw fail(.nullCharacter, at: offset)
        case nil: break
        }
        position += count
        return String(decoding: bytes[range], as: UTF8.self)
    }
}
