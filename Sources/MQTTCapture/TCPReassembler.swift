/// Sorts TCP segments into connections and turns each direction into an ordered byte stream.
struct TCPReassembler {
    /// The default cap on out-of-order bytes held per direction before a gap is given up on.
    static let defaultHoldLimit = 16 << 20

    /// An address pair in a fixed order, so both directions of a connection find the same entry.
    private struct ConnectionKey: Hashable {
        var low: TCPEndpoint
        var high: TCPEndpoint

        init(_ one: TCPEndpoint, _ other: TCPEndpoint) {
            if (one.address, one.port) <= (other.address, other.port) {
                (low, high) = (one, other)
            } else {
                (low, high) = (other, one)
            }
        }
    }

    private struct Connection {
        var number: Int
        var initiator: TCPEndpoint
        var responder: TCPEndpoint
        var towardResponder = TCPStreamDirection()
        var towardInitiator = TCPStreamDirection()
    }

    private let holdLimit: Int
    private var connections: [Connection] = []
    /// The latest connection on each address pair (an earlier one may have been replaced by a new SYN).
    private var latest: [ConnectionKey: Int] = [:]
    private(set) var chunks: [TCPChunk] = []
    private(set) var warnings: [CaptureWarning] = []

    init(holdLimit: Int = defaultHoldLimit) {
        self.holdLimit = holdLimit
    }

    mutating func add(_ segment: TCPSegment, from source: TCPEndpoint, to destination: TCPEndpoint, frame: FrameStamp) {
        let key = ConnectionKey(source, destination)
        var index = latest[key]
        if let existing = index, segment.syn, Self.isNewConnection(connections[existing], segment: segment, from: source) {
            // The address pair is reused. Whatever the old connection still held can no longer be completed.
            flush(existing)
            index = nil
        }
        let position: Int
        if let index {
            position = index
        } else {
            // A SYN-ACK comes from the responder; anything else is taken to come from the initiator.
            let fromResponder = segment.syn && segment.ack
            connections.append(
                Connection(
                    number: connections.count + 1,
                    initiator: fromResponder ? destination : source,
                    responder: fromResponder ? source : destination
                )
            )
            position = connections.count - 1
            latest[key] = position
        }
        feed(segment, position: position, forward: connections[position].initiator == source, frame: frame)
    }

    /// Called at the end of the capture: bytes still held behind a gap are released after it,
    /// with a warning per gap, because no later segment can fill it now.
    mutating func finish() {
        for position in connections.indices { flush(position) }
    }

    /// A SYN on a known address pair starts a new connection unless it repeats the SYN (or
    /// SYN-ACK) already seen, or completes a handshake whose other half is all that was seen.
    /// A bare SYN from the responder's side is always new: the pair was reused with roles swapped.
    /// (Simultaneous open would be split in two; it is vanishingly rare in practice.)
    private static func isNewConnection(_ connection: Connection, segment: TCPSegment, from source: TCPEndpoint) -> Bool {
        let forward = connection.initiator == source
        let direction = forward ? connection.towardResponder : connection.towardInitiator
        if !segment.ack && !forward { return true }
        guard direction.isStarted else { return false }
        return direction.initialSequence != segment.sequenceNumber
    }

    private mutating func feed(_ segment: TCPSegment, position: Int, forward: Bool, frame: FrameStamp) {
        let deliveries = withDirection(position, forward: forward) { direction -> [TCPStreamDirection.Delivery] in
            if segment.syn { direction.start(initialSequence: segment.sequenceNumber) }
            // A reset's payload, when there is one, is a diagnostic text, not stream data.
            guard !segment.rst else { return [] }
            return direction.receive(
                sequence: segment.syn ? segment.sequenceNumber &+ 1 : segment.sequenceNumber,
                payload: segment.payload,
                declaredLength: segment.declaredPayloadLength,
                frame: frame
            )
        }
        emit(deliveries, position: position, forward: forward)
        let limit = holdLimit
        while let skipped = withDirection(
            position,
            forward: forward,
            { direction in
                direction.heldBytes > limit ? direction.skipFirstGap(at: frame) : nil
            }
        ) {
            warnings.append(
                CaptureWarning(
                    frameNumber: frame.number,
                    message: "\(describe(position, forward: forward)): gave up waiting for \(skipped.length) missing bytes "
                        + "at stream offset \(skipped.offset) after holding more than \(limit) out-of-order bytes; the stream goes on after a gap"
                )
            )
            emit(skipped.deliveries, position: position, forward: forward)
        }
    }

    private mutating func flush(_ position: Int) {
        for forward in [true, false] {
            while let skipped = withDirection(position, forward: forward, { $0.skipFirstGap(at: nil) }) {
                warnings.append(
                    CaptureWarning(
                        frameNumber: skipped.heldSince.number,
                        message: "\(describe(position, forward: forward)): \(skipped.length) bytes at stream offset \(skipped.offset) "
                            + "never appeared in the capture; the bytes after them are delivered after a gap"
                    )
                )
                emit(skipped.deliveries, position: position, forward: forward)
            }
        }
    }

    /// Mutates one direction of a connection in place (no copy of its held data).
    private mutating func withDirection<Result>(
        _ position: Int,
        forward: Bool,
        _ body: (inout TCPStreamDirection) -> Result
    ) -> Result {
        forward ? body(&connections[position].towardResponder) : body(&connections[position].towardInitiator)
    }

    private mutating func emit(_ deliveries: [TCPStreamDirection.Delivery], position: Int, forward: Bool) {
        let connection = connections[position]
        for delivery in deliveries {
            chunks.append(
                TCPChunk(
                    connection: connection.number,
                    source: forward ? connection.initiator : connection.responder,
                    destination: forward ? connection.responder : connection.initiator,
                    fromInitiator: forward,
                    frameNumber: delivery.frame.number,
                    timestamp: delivery.frame.timestamp,
                    missingBytesBefore: delivery.missingBefore,
                    bytes: delivery.bytes
                )
            )
        }
    }

    /// "connection 2 (10.0.0.1:50000 -> 10.0.0.2:1883)"
    private func describe(_ position: Int, forward: Bool) -> String {
        let connection = connections[position]
        let (from, to) = forward ? (connection.initiator, connection.responder) : (connection.responder, connection.initiator)
        return "connection \(connection.number) (\(from) -> \(to))"
    }
}
