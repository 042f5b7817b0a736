/// Appends MQTT's wire types to a byte array.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func uint16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    mutating func uint32(_ value: UInt32) {
        bytes.append(UInt8(value >> 24))
        bytes.append(UInt8((value >> 16) & 0xFF))
        bytes.append(UInt8((value >> 8) & 0xFF))
        bytes.append(UInt8(value & 0xFF))
    }

    mutating func variableByteInteger(_ value: UInt32) {
        VariableByteInteger.encode(value, into: &bytes)
    }

    mutating func raw(_ data: some Sequence<UInt8>) { bytes.append(contentsOf: data) }

    /// A length-prefixed string or binary field.
    mutating func lengthPrefixed(_ data: some Collection<UInt8>) throws(EncodeError) {
        guard data.count <= 65_535 else { throw .fieldTooLong(data.count) }
        uint16(UInt16(data.count))
        bytes.append(contentsOf: data)
    }

    mutating func string(_ text: String) throws(EncodeError) { try lengthPrefixed(text.utf8) }
}

/// A packet model the encoder cannot put on the wire.
public enum EncodeError: Error, Sendable, Equatable, CustomStringConvertible {
    case fieldTooLong(Int)
    case packetTooLarge(Int)
    case missingPacketIdentifier
    case notInVersion(PacketType, ProtocolVersion)
    case valueOutOfRange(String)

    public var description: String {
        switch self {
        case .fieldTooLong(let count): "a string or binary field of \(count) bytes exceeds 65535"
        case .packetTooLarge(let size): "the packet would be \(size) bytes, over the 268435455-byte remaining length limit"
        case .missingPacketIdentifier: "a QoS 1 or 2 PUBLISH needs a packet identifier"
        case .notInVersion(let type, let version): "\(type) cannot be sent in MQTT \(version)"
        case .valueOutOfRange(let what): "\(what) is out of range"
        }
    }
}
