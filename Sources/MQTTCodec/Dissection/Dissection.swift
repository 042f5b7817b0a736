/// A packet taken apart field by field: what the bytes are, what they mean, and, for a malformed packet,
/// where and why it breaks.
public struct Dissection: Sendable {
    /// The bytes of the packet (for a malformed one, all the bytes that were given).
    public var bytes: [UInt8]
    public var version: ProtocolVersion
    /// Nil only when the first byte names no packet type.
    public var type: PacketType?
    /// Top-level fields, in byte order. Their leaves cover `bytes` exactly once.
    public var fields: [Field]
    /// The decoded packet, when the bytes are a valid one.
    public var packet: Packet?
    public var error: MalformedPacket?

    /// Every field of the tree, depth first, parents before children.
    public var allFields: [Field] {
        var result: [Field] = []
        func visit(_ field: Field) {
            result.append(field)
            field.children.forEach(visit)
        }
        fields.forEach(visit)
        return result
    }

    /// The fields whose bytes no child splits further, in byte order.
    public var leaves: [Field] { fields.flatMap(\.leaves) }

    /// The raw bytes of a field.
    public func raw(_ field: Field) -> ArraySlice<UInt8> {
        let end = min(field.offset + field.length, bytes.count)
        let start = min(field.offset, end)
        return bytes[start..<end]
    }
}

/// Builds the field tree while the parser reads; absent (nil) on the untraced path, so decoding
/// without a watcher allocates no fields.
struct FieldRecorder {
    private struct OpenGroup {
        var kind: FieldKind
        var offset: Int
        var note: LocalizedText?
        var children: [Field] = []
    }

    private var open: [OpenGroup] = []
    private(set) var fields: [Field] = []
    /// One past the last byte a leaf has covered so far.
    private(set) var coveredUntil = 0

    mutating func add(_ field: Field) {
        if field.mask == nil && field.children.allSatisfy({ $0.mask != nil }) {
            coveredUntil = max(coveredUntil, field.offset + field.length)
        }
        if open.isEmpty {
            fields.append(field)
        } else {
            open[open.count - 1].children.append(field)
        }
    }

    mutating func begin(_ kind: FieldKind, at offset: Int, note: LocalizedText? = nil) {
        open.append(OpenGroup(kind: kind, offset: offset, note: note))
    }

    mutating func end(at offset: Int) {
        guard let group = open.popLast() else { return }
        add(Field(kind: group.kind, offset: group.offset, length: offset - group.offset, value: .none, note: group.note, children: group.children))
    }

    /// Closes every open group at the point where parsing stopped (used for malformed packets).
    mutating func endAll(at offset: Int) {
        while !open.isEmpty {
            let start = open[open.count - 1].offset
            end(at: max(offset, start))
        }
    }
}
