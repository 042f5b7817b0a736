/// The decoded value of one field.
public enum FieldValue: Sendable, Equatable {
    /// A group of fields (the properties block, one subscription) has no value of its own.
    case none
    case bool(Bool)
    case integer(UInt64)
    case string(String)
    case bytes([UInt8])
}

/// One field of a dissected packet: which bytes, what they say, and what that means.
///
/// Fields form a tree. A field with `mask == nil` and no byte-level children is a *leaf*: the leaves of
/// a packet cover each of its bytes exactly once, in order. Flag bytes have children that share the
/// byte and say which bits they read (`mask`); groups (properties, a property, a subscription) have
/// children that split the group's bytes.
public struct Field: Sendable, Equatable {
    public var kind: FieldKind
    /// Offset of the first byte, from the start of the packet.
    public var offset: Int
    public var length: Int
    /// For a bit field: the bits of the byte at `offset` it reads.
    public var mask: UInt8?
    public var value: FieldValue
    /// What this particular value means ("QoS 1: at least once"), where more than the value is worth saying.
    public var note: LocalizedText?
    public var children: [Field]

    public init(
        kind: FieldKind, offset: Int, length: Int, mask: UInt8? = nil, value: FieldValue, note: LocalizedText? = nil,
        children: [Field] = []
    ) {
        self.kind = kind
        self.offset = offset
        self.length = length
        self.mask = mask
        self.value = value
        self.note = note
        self.children = children
    }

    /// The Wireshark MQTT dissector's field name where one exists, else an `mqttlab.` name.
    public var key: String { kind.key }

    public var range: Range<Int> { offset..<offset + length }

    /// True for a field whose bytes no child splits further (flag bits share their byte, they don't split it).
    public var isLeaf: Bool { mask == nil && children.allSatisfy { $0.mask != nil } }

    /// The leaves of this field, in order: the fields that, together, cover its bytes exactly once.
    public var leaves: [Field] {
        if mask != nil { return [] }
        if isLeaf { return [self] }
        return children.flatMap(\.leaves)
    }
}
