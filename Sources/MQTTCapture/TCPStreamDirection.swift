/// When a frame was captured: its number in the file and its timestamp.
struct FrameStamp: Equatable {
    var number: Int
    var timestamp: Double
}

/// One direction of a TCP connection. Takes segments in capture order, which may be out of
/// sequence order and may repeat bytes, and releases each stream byte exactly once, in order.
///
/// Positions are kept as 64-bit stream offsets (bytes since the start of the direction), and a
/// segment's 32-bit sequence number is turned into an offset by its signed distance from the
/// next expected sequence number. That makes sequence-number wrap-around invisible: the distance
/// is right as long as segments are within 2 GiB of each other, which TCP windows guarantee.
struct TCPStreamDirection {
    /// Bytes released in order, with how many stream bytes are missing just before them.
    struct Delivery: Equatable {
        var missingBefore: Int
        var bytes: [UInt8]
        var frame: FrameStamp
    }

    /// A gap that was skipped because waiting for it any longer was pointless.
    struct SkippedGap {
        var offset: UInt64
        var length: Int
        /// The first frame whose bytes were waiting behind the gap.
        var heldSince: FrameStamp
        var deliveries: [Delivery]
    }

    /// A held stretch of the stream, beyond the next byte to deliver.
    private struct Piece {
        enum Content {
            case bytes(ArraySlice<UInt8>)
            /// Sequence space the IP header accounts for but the capture did not keep (snap length).
            case missing(Int)
        }
        var start: UInt64
        var content: Content
        var frame: FrameStamp

        var length: Int {
            switch content {
            case .bytes(let bytes): return bytes.count
            case .missing(let count): return count
            }
        }
        var end: UInt64 { start + UInt64(length) }
    }

    /// Sequence number of this direction's SYN, when one was seen. A SYN with another number
    /// on the same address pair belongs to a new connection; one with the same number is a retransmission.
    private(set) var initialSequence: UInt32?
    /// Sequence number of the next byte to deliver; `nil` until the direction starts.
    private var nextSequence: UInt32?
    /// Stream offset of the next byte to deliver.
    private(set) var streamOffset: UInt64 = 0
    /// Out-of-order stretches, sorted by start, never overlapping, all beyond `streamOffset`.
    private var held: [Piece] = []
    /// Payload bytes in `held`; what the holding limit is measured against.
    private(set) var heldBytes = 0
    /// Missing bytes passed over since the last delivery, to be reported with the next one.
    private var pendingGap = 0

    var isStarted: Bool { nextSequence != nil }
    var hasHeldData: Bool { !held.isEmpty }

    /// A SYN fixes the start: its data (if any) and everything after begin at ISN + 1.
    mutating func start(initialSequence sequence: UInt32) {
        guard initialSequence == nil else { return }
        initialSequence = sequence
        if nextSequence == nil { nextSequence = sequence &+ 1 }
    }

    /// Adds a segment's payload. `declaredLength` may exceed `payload.count` when the capture cut
    /// the frame; the rest is recorded as missing. Returns what became deliverable.
    mutating func receive(
        sequence: UInt32,
        payload: ArraySlice<UInt8>,
        declaredLength: Int,
        frame: FrameStamp
    ) -> [Delivery] {
        let declaredLength = max(declaredLength, payload.count)
        guard declaredLength > 0 else { return [] }
        // Without a SYN the stream starts at the first segment that carries data. (Starting at a
        // bare ACK would be fooled by keep-alives, which sit one byte before the real position.)
        let next = nextSequence ?? sequence
        nextSequence = next
        let distance = Int64(Int32(bitPattern: sequence &- next))
        let start = Int64(streamOffset) + distance
        let capturedEnd = start + Int64(payload.count)
        insert(from: start, to: capturedEnd, frame: frame) { from, to in
            let base = payload.startIndex - Int(start)
            return .bytes(payload[(base + Int(from))..<(base + Int(to))])
        }
        insert(from: capturedEnd, to: start + Int64(declaredLength), frame: frame) { from, to in
            .missing(Int(to - from))
        }
        return drain(at: frame)
    }

    /// Gives up on the gap before the first held stretch: counts the gap as missing and releases
    /// what follows. `frame` is the frame on whose arrival this happens; `nil` at the end of the
    /// capture, where each delivery is stamped with the latest frame among its bytes.
    mutating func skipFirstGap(at frame: FrameStamp?) -> SkippedGap? {
        guard let first = held.first else { return nil }
        let gap = Int(first.start - streamOffset)
        let skipped = SkippedGap(offset: streamOffset, length: gap, heldSince: first.frame, deliveries: [])
        advance(by: gap)
        pendingGap += gap
        var result = skipped
        result.deliveries = drain(at: frame)
        return result
    }

    /// Puts the part of `[from, to)` that is neither delivered nor already held into `held`.
    /// The first copy of a byte wins; later copies (retransmissions) are dropped.
    private mutating func insert(
        from: Int64,
        to: Int64,
        frame: FrameStamp,
        content: (Int64, Int64) -> Piece.Content
    ) {
        var cursor = max(from, Int64(streamOffset))
        guard cursor < to else { return }
        var index = firstHeldIndex(endingAfter: UInt64(cursor))
        while cursor < to {
            if index < held.count, Int64(held[index].start) <= cursor {
                cursor = max(cursor, Int64(held[index].end))
                index += 1
                continue
            }
            let pieceEnd = index < held.count ? min(to, Int64(held[index].start)) : to
            let piece = Piece(start: UInt64(cursor), content: content(cursor, pieceEnd), frame: frame)
            if case .bytes(let bytes) = piece.content { heldBytes += bytes.count }
            held.insert(piece, at: index)
            index += 1
            cursor = pieceEnd
        }
    }

    /// Releases held stretches that now start exactly at the next byte to deliver.
    private mutating func drain(at frame: FrameStamp?) -> [Delivery] {
        var deliveries: [Delivery] = []
        var current: Delivery? = nil
        var taken = 0
        while taken < held.count, held[taken].start == streamOffset {
            let piece = held[taken]
            taken += 1
            advance(by: piece.length)
            switch piece.content {
            case .bytes(let bytes):
                heldBytes -= bytes.count
                let stamp = frame ?? piece.frame
                if current == nil {
                    current = Delivery(missingBefore: pendingGap, bytes: [], frame: stamp)
                    pendingGap = 0
                }
                current?.bytes.append(contentsOf: bytes)
                if let latest = current?.frame, stamp.number > latest.number { current?.frame = stamp }
            case .missing(let count):
                if let finished = current { deliveries.append(finished) }
                current = nil
                pendingGap += count
            }
        }
        held.removeFirst(taken)
        if let finished = current { deliveries.append(finished) }
        return deliveries
    }

    private mutating func advance(by count: Int) {
        streamOffset += UInt64(count)
        nextSequence = (nextSequence ?? 0) &+ UInt32(truncatingIfNeeded: count)
    }

    /// Binary search: held stretches are sorted and disjoint, so their ends are sorted too.
    private func firstHeldIndex(endingAfter offset: UInt64) -> Int {
        var low = 0
        var high = held.count
        while low < high {
            let middle = (low + high) / 2
            if held[middle].end <= offset { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
