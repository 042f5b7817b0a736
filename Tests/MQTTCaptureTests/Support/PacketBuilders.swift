/// TCP flag bits as they sit in the header's flags byte.
struct TCPFlags: OptionSet {
    let rawValue: UInt8
    static let fin = TCPFlags(rawValue: 0x01)
    static let syn = TCPFlags(rawValue: 0x02)
    static let rst = TCPFlags(rawValue: 0x04)
    static let psh = TCPFlags(rawValue: 0x08)
    static let ack = TCPFlags(rawValue: 0x10)
}

/// Builders for the protocol headers the reader strips, byte by byte, big-endian as on the wire.
/// Checksums are left at zero: the reader must not care, as it cannot for offloaded traffic.
enum Packets {
    static func tcp(
        sourcePort: UInt16,
        destinationPort: UInt16,
        sequence: UInt32,
        acknowledgment: UInt32 = 0,
        flags: TCPFlags = [.ack, .psh],
        payload: [UInt8] = [],
        options: [UInt8] = []
    ) -> [UInt8] {
        precondition(options.count % 4 == 0)
        var writer = ByteWriter()
        writer.u16(sourcePort)
        writer.u16(destinationPort)
        writer.u32(sequence)
        writer.u32(acknowledgment)
        writer.u8(UInt8((20 + options.count) / 4) << 4)
        writer.u8(flags.rawValue)
        writer.u16(65_535)  // window
        writer.u16(0)  // checksum
        writer.u16(0)  // urgent pointer
        writer.append(options)
        writer.append(payload)
        return writer.bytes
    }

    static func ipv4(
        source: [UInt8],
        destination: [UInt8],
        protocolNumber: UInt8 = 6,
        payload: [UInt8],
        options: [UInt8] = [],
        fragmentOffset: Int = 0,
        moreFragments: Bool = false,
        totalLength: UInt16? = nil
    ) -> [UInt8] {
        precondition(options.count % 4 == 0)
        let headerLength = 20 + options.count
        var writer = ByteWriter()
        writer.u8(0x40 | UInt8(headerLength / 4))
        writer.u8(0)
        writer.u16(totalLength ?? UInt16(headerLength + payload.count))
        writer.u16(0x1234)  // identification
        writer.u16(UInt16(fragmentOffset / 8) | (moreFragments ? 0x2000 : 0))
        writer.u8(64)
        writer.u8(protocolNumber)
        writer.u16(0)
        writer.append(source)
        writer.append(destination)
        writer.append(options)
        writer.append(payload)
        return writer.bytes
    }

    /// An IPv6 extension header in the generic `next header, length in 8-byte units` layout.
    struct ExtensionHeader {
        var type: UInt8
        var body: [UInt8]  // after the two first bytes; padded so the header is a multiple of 8
    }

    static func ipv6(
        source: [UInt8],
        destination: [UInt8],
        nextHeader: UInt8 = 6,
        payload: [UInt8],
        extensionHeaders: [ExtensionHeader] = []
    ) -> [UInt8] {
        var chain = ByteWriter()
        let types = extensionHeaders.map(\.type) + [nextHeader]
        for (index, header) in extensionHeaders.enumerated() {
            precondition((header.body.count + 2) % 8 == 0)
            chain.u8(types[index + 1])
            // The fragment header's second byte is reserved, not a length.
            chain.u8(header.type == 44 ? 0 : UInt8((header.body.count + 2) / 8 - 1))
            chain.append(header.body)
        }
        chain.append(payload)
        var writer = ByteWriter()
        writer.u32(0x6000_0000)
        writer.u16(UInt16(chain.bytes.count))
        writer.u8(types[0])
        writer.u8(64)
        writer.append(source)
        writer.append(destination)
        writer.append(chain.bytes)
        return writer.bytes
    }

    /// IPv4 for 4-byte addresses, IPv6 for 16-byte ones.
    static func ip(source: [UInt8], destination: [UInt8], payload: [UInt8]) -> [UInt8] {
        source.count == 4
            ? ipv4(source: source, destination: destination, payload: payload)
            : ipv6(source: source, destination: destination, payload: payload)
    }

    static func ethernet(_ payload: [UInt8], etherType: UInt16, vlanTags: [UInt16] = [], tagType: UInt16 = 0x8100) -> [UInt8] {
        var writer = ByteWriter()
        writer.append([0x02, 0, 0, 0, 0, 0x01])
        writer.append([0x02, 0, 0, 0, 0, 0x02])
        for tag in vlanTags {
            writer.u16(tagType)
            writer.u16(tag)
        }
        writer.u16(etherType)
        writer.append(payload)
        return writer.bytes
    }

    static func etherType(of ipPacket: [UInt8]) -> UInt16 {
        ipPacket.first.map { $0 >> 4 == 6 } == true ? 0x86dd : 0x0800
    }

    /// Linux cooked capture (SLL, 16-byte header).
    static func sll(_ payload: [UInt8], protocolType: UInt16) -> [UInt8] {
        var writer = ByteWriter()
        writer.u16(0)  // packet type: to us
        writer.u16(772)  // ARPHRD_LOOPBACK
        writer.u16(6)
        writer.append([0, 0, 0, 0, 0, 0, 0, 0])
        writer.u16(protocolType)
        writer.append(payload)
        return writer.bytes
    }

    /// Linux cooked capture v2 (SLL2, 20-byte header).
    static func sll2(_ payload: [UInt8], protocolType: UInt16) -> [UInt8] {
        var writer = ByteWriter()
        writer.u16(protocolType)
        writer.u16(0)
        writer.u32(1)  // interface index
        writer.u16(772)
        writer.u8(0)
        writer.u8(6)
        writer.append([0, 0, 0, 0, 0, 0, 0, 0])
        writer.append(payload)
        return writer.bytes
    }

    /// BSD loopback: the address family in the capturing host's byte order.
    static func loopback(_ payload: [UInt8], family: UInt32, littleEndian: Bool) -> [UInt8] {
        var writer = ByteWriter(littleEndian: littleEndian)
        writer.u32(family)
        writer.append(payload)
        return writer.bytes
    }
}

/// One TCP connection between a client and a server, producing IP packets with sequence numbers
/// worked out from the initial sequence numbers, so tests can talk in stream offsets.
struct Conversation {
    var client: [UInt8]
    var clientPort: UInt16
    var server: [UInt8]
    var serverPort: UInt16
    var clientISN: UInt32 = 1_000
    var serverISN: UInt32 = 5_000

    func syn() -> [UInt8] {
        packet(fromClient: true, sequence: clientISN, flags: [.syn])
    }

    func synAck() -> [UInt8] {
        packet(fromClient: false, sequence: serverISN, acknowledgment: clientISN &+ 1, flags: [.syn, .ack])
    }

    /// Payload at `offset` bytes into the client's or server's stream.
    func data(fromClient: Bool, offset: Int, _ payload: [UInt8], flags: TCPFlags = [.ack, .psh]) -> [UInt8] {
        let isn = fromClient ? clientISN : serverISN
        return packet(fromClient: fromClient, sequence: isn &+ 1 &+ UInt32(truncatingIfNeeded: offset), flags: flags, payload: payload)
    }

    func data(fromClient: Bool, offset: Int, _ text: String, flags: TCPFlags = [.ack, .psh]) -> [UInt8] {
        data(fromClient: fromClient, offset: offset, Array(text.utf8), flags: flags)
    }

    func packet(
        fromClient: Bool,
        sequence: UInt32,
        acknowledgment: UInt32 = 0,
        flags: TCPFlags,
        payload: [UInt8] = []
    ) -> [UInt8] {
        let segment = Packets.tcp(
            sourcePort: fromClient ? clientPort : serverPort,
            destinationPort: fromClient ? serverPort : clientPort,
            sequence: sequence,
            acknowledgment: acknowledgment,
            flags: flags,
            payload: payload
        )
        return Packets.ip(source: fromClient ? client : server, destination: fromClient ? server : client, payload: segment)
    }
}
