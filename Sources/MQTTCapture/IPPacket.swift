/// The parts of an IPv4 or IPv6 packet that TCP reassembly needs.
struct IPPacket {
    /// Where this packet sits in a fragmented datagram.
    struct Fragment {
        /// Byte offset of this fragment's data in the original datagram; 0 for the first fragment.
        var offset: Int
        var moreFollow: Bool
    }

    var version: Int
    var source: String
    var destination: String
    /// Upper-layer protocol (6 is TCP), after any IPv6 extension headers.
    var protocolNumber: UInt8
    /// Upper-layer bytes present in the capture.
    var payload: ArraySlice<UInt8>
    /// Upper-layer length the IP header declares. Larger than `payload.count` when the capture's
    /// snap length cut the packet short.
    var declaredPayloadLength: Int
    /// `nil` unless the packet is a fragment.
    var fragment: Fragment?

    /// Parses the packet. `declaredVersion` is what the link layer said (when it says anything);
    /// the packet's own version field must agree.
    static func parse(_ bytes: ArraySlice<UInt8>, declaredVersion: Int?) throws(FrameIssue) -> IPPacket {
        guard let first = bytes.first else { throw FrameIssue("the IP packet is empty") }
        let version = Int(first >> 4)
        if let declaredVersion, declaredVersion != version {
            throw FrameIssue("the link header announces IPv\(declaredVersion) but the packet's version field is \(version)")
        }
        switch version {
        case 4: return try ipv4(ByteCursor(bytes))
        case 6: return try ipv6(ByteCursor(bytes))
        default: throw FrameIssue("IP version field is \(version), neither 4 nor 6")
        }
    }

    private static func ipv4(_ packet: ByteCursor) throws(FrameIssue) -> IPPacket {
        let headerLength = Int((packet.u8(at: 0) ?? 0) & 0x0f) * 4
        guard headerLength >= 20 else {
            throw FrameIssue("IPv4 header length \(headerLength) is below the minimum of 20 bytes")
        }
        guard
            packet.has(headerLength, at: 0), let rawTotal = packet.u16(at: 2), let fragmentField = packet.u16(at: 6),
            let protocolNumber = packet.u8(at: 9),
            let source = packet.slice(at: 12, length: 4), let destination = packet.slice(at: 16, length: 4)
        else {
            throw FrameIssue("the capture kept only \(packet.count) bytes of the IPv4 header")
        }
        // A total length of 0 is what Linux records for outgoing packets handed to TCP
        // segmentation offload: the real length is whatever was captured.
        let totalLength = rawTotal == 0 ? packet.count : Int(rawTotal)
        guard totalLength >= headerLength else {
            throw FrameIssue("IPv4 total length \(totalLength) is shorter than its \(headerLength)-byte header")
        }
        // Ethernet pads short frames; the total length says where the packet really ends.
        let capturedEnd = min(totalLength, packet.count)
        let fragmentOffset = Int(fragmentField & 0x1fff) * 8
        let moreFragments = fragmentField & 0x2000 != 0
        return IPPacket(
            version: 4,
            source: IPAddressText.ipv4(source),
            destination: IPAddressText.ipv4(destination),
            protocolNumber: protocolNumber,
            payload: packet.rest(from: headerLength).prefix(capturedEnd - headerLength),
            declaredPayloadLength: totalLength - headerLength,
            fragment: fragmentOffset != 0 || moreFragments ? Fragment(offset: fragmentOffset, moreFollow: moreFragments) : nil
        )
    }

    private static func ipv6(_ packet: ByteCursor) throws(FrameIssue) -> IPPacket {
        guard
            let rawPayloadLength = packet.u16(at: 4), let firstNextHeader = packet.u8(at: 6),
            let source = packet.slice(at: 8, length: 16), let destination = packet.slice(at: 24, length: 16)
        else {
            throw FrameIssue("the capture kept only \(packet.count) bytes of the 40-byte IPv6 header")
        }
        // 0 means a jumbogram or, as for IPv4, a segmentation-offload packet: use what was captured.
        let payloadLength = rawPayloadLength == 0 ? packet.count - 40 : Int(rawPayloadLength)
        let capturedEnd = min(40 + payloadLength, packet.count)
        let body = ByteCursor(packet.rest(from: 40).prefix(capturedEnd - 40))

        var nextHeader = firstNextHeader
        var offset = 0
        var fragment: Fragment? = nil
        // Extension headers chain through their first byte. Each is at least 8 bytes long, so
        // the walk always advances and ends.
        walk: while true {
            switch nextHeader {
            case 0, 43, 60, 135, 139, 140:
                // Hop-by-hop, routing, destination options, mobility, HIP, shim6: length in 8-byte units after the first 8.
                guard let following = body.u8(at: offset), let units = body.u8(at: offset + 1) else {
                    throw FrameIssue("an IPv6 extension header is cut short")
                }
                nextHeader = following
                offset += (Int(units) + 1) * 8
            case 51:
                // Authentication header: length in 4-byte units, minus 2.
                guard let following = body.u8(at: offset), let units = body.u8(at: offset + 1) else {
                    throw FrameIssue("an IPv6 authentication header is cut short")
                }
                nextHeader = following
                offset += (Int(units) + 2) * 4
            case 44:
                guard let following = body.u8(at: offset), let field = body.u16(at: offset + 2) else {
                    throw FrameIssue("an IPv6 fragment header is cut short")
                }
                // An "atomic fragment" (offset 0, no more to follow) is a whole datagram.
                if field & 0xfff9 != 0 {
                    fragment = Fragment(offset: Int(field >> 3) * 8, moreFollow: field & 1 != 0)
                }
                nextHeader = following
                offset += 8
            default:
                break walk
            }
            guard offset <= body.count else { throw FrameIssue("IPv6 extension headers run past the end of the packet") }
        }
        return IPPacket(
            version: 6,
            source: IPAddressText.ipv6(source),
            destination: IPAddressText.ipv6(destination),
            protocolNumber: nextHeader,
            payload: body.rest(from: offset),
            declaredPayloadLength: payloadLength - offset,
            fragment: fragment
        )
    }
}
