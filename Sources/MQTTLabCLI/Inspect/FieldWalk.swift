import MQTTCodec

/// One stop of the walk through a packet: a field whose bytes no other field splits (a leaf of the
/// codec's dissection), or one bit field of a flag byte.
struct WalkStep: Sendable, Equatable {
    var field: Field
    /// The groups the field sits in, outermost first (properties › Message Expiry Interval › …).
    var path: [Field]
    /// For a bit field: the flag byte it reads from; nil for a byte-level step.
    var flagByte: Field?
    /// 0-based number of the byte-level leaf this step belongs to (bit steps share their byte's).
    var leafIndex: Int

    var isBitField: Bool { flagByte != nil }
    /// The bytes this step highlights: the field's own bytes, or the flag byte a bit lives in.
    var byteRange: Range<Int> { field.range }
}

/// The order in which a learner steps through a packet: every leaf of the codec's field tree in byte
/// order, and after a flag byte each of its bit fields (DUP, QoS, RETAIN; the CONNECT flags…).
///
/// Nothing here reads a byte: offsets, lengths, masks and explanations are all the codec's. Because the
/// codec's leaves cover every byte exactly once, so do the walk's byte-level steps (tested for every
/// packet type in both versions).
struct FieldWalk: Sendable {
    let dissection: Dissection
    let steps: [WalkStep]

    init(_ dissection: Dissection) {
        self.dissection = dissection
        var steps: [WalkStep] = []
        var leafIndex = 0
        func visit(_ field: Field, path: [Field]) {
            if field.mask != nil { return }  // bit fields are visited with their byte, below
            if field.isLeaf {
                steps.append(WalkStep(field: field, path: path, flagByte: nil, leafIndex: leafIndex))
                for bit in field.children where bit.mask != nil {
                    steps.append(WalkStep(field: bit, path: path + [field], flagByte: field, leafIndex: leafIndex))
                }
                leafIndex += 1
                return
            }
            for child in field.children { visit(child, path: path + [field]) }
        }
        dissection.fields.forEach { visit($0, path: []) }
        self.steps = steps
    }

    /// The byte-level steps: the leaves, which cover every byte once.
    var leafSteps: [WalkStep] { steps.filter { !$0.isBitField } }

    /// The step where a malformed packet's error is explained: the byte-level step holding the byte that
    /// breaks the rule, or the last step when bytes are missing at the end. Nil for a valid packet.
    var errorStep: Int? {
        guard let error = dissection.error else { return nil }
        return stepIndex(coveringByte: error.offset) ?? steps.indices.last(where: { !steps[$0].isBitField })
    }

    /// The step that covers `offset` at byte level (where the malformed part starts, for example).
    func stepIndex(coveringByte offset: Int) -> Int? {
        steps.firstIndex { !$0.isBitField && $0.field.range.contains(offset) }
    }
}

/// Where the learner is: which packet of the (filtered) list, and which step of its walk.
struct WalkCursor: Sendable, Equatable {
    var packet: Int = 0
    var step: Int = 0
}
