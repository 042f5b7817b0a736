/// Strips the link-layer header of a frame and finds the IP packet inside, if there is one.
enum LinkLayer {
    /// An IP packet found inside a frame.
    struct Payload {
        var bytes: ArraySlice<UInt8>
        /// 4 or 6 when the link header says which; `nil` when only the packet's own version
        /// nibble can tell (raw IP links).
        var declaredVersion: Int?
    }

    private static let supported: [(linkType: Int, name: String)] = [
        (0, "BSD loopback"),
        (1, "Ethernet"),
        (12, "raw IP"),
        (14, "raw IP"),
        (101, "raw IP"),
        (108, "OpenBSD loopback"),
        (113, "Linux cooked SLL"),
        (228, "raw IPv4"),
        (229, "raw IPv6"),
        (276, "Linux cooked SLL2"),
    ]

    /// Names of common link types we cannot read, so the error says what the file is.
    private static let otherNames: [Int: String] = [
        9: "PPP", 50: "PPP over serial", 105: "IEEE 802.11", 119: "802.11 Prism", 127: "802.11 radiotap",
        147: "user-defined 0", 189: "Linux USB", 192: "PPI", 195: "IEEE 802.15.4", 201: "Bluetooth HCI H4",
        220: "Linux USB, memory-mapped", 253: "Linux netlink",
    ]

    static func isSupported(_ linkType: Int) -> Bool {
        supported.contains { $0.linkType == linkType }
    }

    /// "1 (Ethernet)", "105 (IEEE 802.11)", or just the number.
    static func name(of linkType: Int) -> String {
        if let entry = supported.first(where: { $0.linkType == linkType }) { return "\(linkType) (\(entry.name))" }
        if let name = otherNames[linkType] { return "\(linkType) (\(name))" }
        return "\(linkType)"
    }

    static var supportedNames: String {
        supported.map { "\($0.linkType) (\($0.name))" }.joined(separator: ", ")
    }

    /// The IP packet in `frame`, `nil` when the frame carries something else (ARP, LLDP, …).
    static func ipPacket(in frame: ArraySlice<UInt8>, linkType: Int) throws(FrameIssue) -> Payload? {
        let header = ByteCursor(frame)
        switch linkType {
        case 0:
            return try loopback(frame, anyByteOrder: true)
        case 108:
            return try loopback(frame, anyByteOrder: false)
        case 1:
            return try ethernet(frame)
        case 12, 14, 101:
            return Payload(bytes: frame, declaredVersion: nil)
        case 228:
            return Payload(bytes: frame, declaredVersion: 4)
        case 229:
            return Payload(bytes: frame, declaredVersion: 6)
        case 113:
            // Packet type, ARPHRD type, address length, 8 address bytes, then the protocol.
            guard let protocolType = header.u16(at: 14) else { throw FrameIssue("frame too short for a Linux cooked (SLL) header") }
            return payload(etherType: protocolType, bytes: header.rest(from: 16))
        case 276:
            // SLL2 puts the protocol first and grows the header to 20 bytes.
            guard let protocolType = header.u16(at: 0), header.has(20, at: 0) else {
                throw FrameIssue("frame too short for a Linux cooked v2 (SLL2) header")
            }
            return payload(etherType: protocolType, bytes: header.rest(from: 20))
        default:
            return nil
        }
    }

    /// Ethernet II, walking any stack of 802.1Q / 802.1ad VLAN tags before the real EtherType.
    private static func ethernet(_ frame: ArraySlice<UInt8>) throws(FrameIssue) -> Payload? {
        let header = ByteCursor(frame)
        var typeOffset = 12
        while true {
            guard let etherType = header.u16(at: typeOffset) else {
                throw FrameIssue("frame too short for its Ethernet header")
            }
            switch etherType {
            case 0x8100, 0x88a8, 0x9100:
                // Each tag is 2 bytes of priority/VLAN id followed by the next EtherType.
                typeOffset += 4
            default:
                return payload(etherType: etherType, bytes: header.rest(from: typeOffset + 2))
            }
        }
    }

    /// BSD loopback: a 4-byte address family. DLT_NULL stores it in the capturing host's byte
    /// order, which the file does not record, so both orders are tried (DLT_LOOP is always
    /// big-endian); IPv6's number differs between operating systems.
    private static func loopback(_ frame: ArraySlice<UInt8>, anyByteOrder: Bool) throws(FrameIssue) -> Payload? {
        let header = ByteCursor(frame)
        guard let bigEndian = header.u32(at: 0) else { throw FrameIssue("frame too short for a loopback header") }
        let candidates = anyByteOrder ? [bigEndian, bigEndian.byteSwapped] : [bigEndian]
        let bytes = header.rest(from: 4)
        for family in candidates {
            switch family {
            case 2: return Payload(bytes: bytes, declaredVersion: 4)
            case 10, 23, 24, 28, 30: return Payload(bytes: bytes, declaredVersion: 6)
            default: continue
            }
        }
        return nil
    }

    private static func payload(etherType: UInt16, bytes: ArraySlice<UInt8>) -> Payload? {
        switch etherType {
        case 0x0800: return Payload(bytes: bytes, declaredVersion: 4)
        case 0x86dd: return Payload(bytes: bytes, declaredVersion: 6)
        default: return nil
        }
    }
}
