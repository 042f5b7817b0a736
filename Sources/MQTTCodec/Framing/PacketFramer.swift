/// Cuts a byte stream into whole packets, whatever the chunking: one byte at a time or many packets at
/// once.
///
/// The maximum packet size is checked as soon as the fixed header is complete, before the body is
/// waited for, so a peer announcing a 256 MB packet is refused at its second to fifth byte. Call
/// `next()` until it returns nil after each `append`, and the buffer never holds more than one
/// maximum-size packet plus the last chunk.
public struct PacketFramer: Sendable {
    public var maximumPacketSize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// Stream offset of `buffer[start]`, so errors can say where in the stream they happened.
    public private(set) var consumed = 0

    public init(maximumPacketSize: Int = Int(VariableByteInteger.maximum) + 5) {
        self.maximumPacketSize = maximumPacketSize
    }

    /// Bytes received but not yet returned as a packet.
    public var bufferedCount: Int { buffer.count - start }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// A violation of the framing rules: too long a remaining length, or a packet over the maximum size.
    /// `offset` counts from the start of the stream.
    public struct Failure: Error, Sendable, Equatable {
        public var violation: Violation
        public var offset: Int
    }

    /// The next whole packet (fixed header included), or nil when more bytes are needed.
    public mutating func next() throws(Failure) -> [UInt8]? {
        let available = buffer.count - start
        guard available >= 2 else { return nil }
        var remainingLength = 0
        var multiplier = 1
        var headerSize = 0
        for index in 1...4 {
            guard index < available else { return nil }
            let byte = buffer[start + index]
            remainingLength += Int(byte & 0x7F) * multiplier
            if byte & 0x80 == 0 {
                headerSize = index + 1
                break
            }
            if index == 4 { throw Failure(violation: .remainingLengthTooLong, offset: consumed + 1) }
            multiplier *= 128
        }
        let total = headerSize + remainingLength
        if total > maximumPacketSize {
            throw Failure(violation: .packetTooLarge(size: total, maximum: maximumPacketSize), offset: consumed)
        }
        guard available >= total else { return nil }
        let packet = Array(buffer[start..<start + total])
        start += total
        consumed += total
        // Drop consumed bytes once they dominate, so the buffer does not grow with the stream.
        if start >= 4096 && start * 2 >= buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        return packet
    }

    /// Takes every byte not yet returned as a packet: for reporting what is left of a stream that ended
    /// mid-packet or cannot be framed any further.
    public mutating func takeBuffered() -> [UInt8] {
        let rest = Array(buffer[start...])
        consumed += rest.count
        buffer.removeAll(keepingCapacity: false)
        start = 0
        return rest
    }
}
