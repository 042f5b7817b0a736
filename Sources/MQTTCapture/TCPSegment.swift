/// The fields of a TCP header that reassembly needs, plus the segment's payload.
struct TCPSegment {
    var sourcePort: UInt16
    var destinationPort: UInt16
    var sequenceNumber: UInt32
    var syn: Bool
    var ack: Bool
    var fin: Bool
    var rst: Bool
    /// Payload bytes present in the capture.
    var payload: ArraySlice<UInt8>
    /// Payload length according to the IP header; larger than `payload.count` when the snap
    /// length cut the frame, and the difference is sequence space the capture never saw.
    var declaredPayloadLength: Int

    /// Parses the TCP header at the start of `bytes`. Checksums are not verified: captures of
    /// locally sent traffic routinely hold wrong checksums that the network card fills in later.
    static func parse(_ bytes: ArraySlice<UInt8>, declaredLength: Int) throws(FrameIssue) -> TCPSegment {
        let header = ByteCursor(bytes)
        guard
            let sourcePort = header.u16(at: 0), let destinationPort = header.u16(at: 2),
            let sequenceNumber = header.u32(at: 4), let offsetByte = header.u8(at: 12), let flags = header.u8(at: 13)
        else {
            throw FrameIssue("the capture kept only \(bytes.count) bytes of the TCP header")
        }
        let headerLength = Int(offsetByte >> 4) * 4
        guard headerLength >= 20 else {
            throw FrameIssue("TCP header length \(headerLength) is below the minimum of 20 bytes")
        }
        guard headerLength <= declaredLength else {
            throw FrameIssue("TCP header length \(headerLength) is longer than the \(declaredLength) bytes the IP header gives it")
        }
        guard header.has(headerLength, at: 0) else {
            throw FrameIssue("the capture kept only \(bytes.count) bytes of a \(headerLength)-byte TCP header")
        }
        return TCPSegment(
            sourcePort: sourcePort,
            destinationPort: destinationPort,
            sequenceNumber: sequenceNumber,
            syn: flags & 0x02 != 0,
            ack: flags & 0x10 != 0,
            fin: flags & 0x01 != 0,
            rst: flags & 0x04 != 0,
            payload: header.rest(from: headerLength),
            declaredPayloadLength: declaredLength - headerLength
        )
    }
}
