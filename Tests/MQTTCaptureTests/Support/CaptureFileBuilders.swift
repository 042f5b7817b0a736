/// Builds a classic pcap file in memory.
struct PcapBuilder {
    private var writer: ByteWriter

    init(linkType: UInt32, littleEndian: Bool = true, nanosecond: Bool = false, magic: UInt32? = nil, major: UInt16 = 2) {
        writer = ByteWriter(littleEndian: littleEndian)
        writer.u32(magic ?? (nanosecond ? 0xa1b2_3c4d : 0xa1b2_c3d4))
        writer.u16(major)
        writer.u16(4)
        writer.u32(0)  // thiszone
        writer.u32(0)  // sigfigs
        writer.u32(262_144)  // snaplen
        writer.u32(linkType)
    }

    /// Appends one record. `originalLength` defaults to the captured length.
    mutating func add(_ frame: [UInt8], seconds: UInt32 = 1_700_000_000, fraction: UInt32 = 0, originalLength: Int? = nil) {
        writer.u32(seconds)
        writer.u32(fraction)
        writer.u32(UInt32(frame.count))
        writer.u32(UInt32(originalLength ?? frame.count))
        writer.append(frame)
    }

    var bytes: [UInt8] { writer.bytes }
}

/// Builds a pcapng file in memory, block by block.
struct PcapNGBuilder {
    private(set) var bytes: [UInt8] = []
    private var littleEndian: Bool

    /// Starts the file with a Section Header Block.
    init(littleEndian: Bool = true) {
        self.littleEndian = littleEndian
        section(littleEndian: littleEndian)
    }

    /// A new Section Header Block; later blocks use its byte order.
    mutating func section(littleEndian: Bool, major: UInt16 = 1) {
        self.littleEndian = littleEndian
        var body = ByteWriter(littleEndian: littleEndian)
        body.u32(0x1a2b_3c4d)
        body.u16(major)
        body.u16(0)
        body.u64(UInt64.max)  // section length unknown
        block(type: 0x0a0d_0d0a, body: body.bytes)
    }

    /// Interface Description Block, with optional `if_tsresol` and `if_tsoffset` options.
    mutating func interface(linkType: UInt16, snapLength: UInt32 = 0, timestampResolution: UInt8? = nil, secondsOffset: Int64? = nil) {
        var body = ByteWriter(littleEndian: littleEndian)
        body.u16(linkType)
        body.u16(0)
        body.u32(snapLength)
        // An option the reader must skip over: if_name "lo".
        body.u16(2)
        body.u16(2)
        body.append(Array("lo".utf8))
        body.pad4()
        if let timestampResolution {
            body.u16(9)
            body.u16(1)
            body.u8(timestampResolution)
            body.pad4()
        }
        if let secondsOffset {
            body.u16(14)
            body.u16(8)
            body.u64(UInt64(bitPattern: secondsOffset))
        }
        body.u16(0)  // opt_endofopt
        body.u16(0)
        block(type: 1, body: body.bytes)
    }

    mutating func enhancedPacket(_ data: [UInt8], interface: UInt32 = 0, ticks: UInt64 = 1_700_000_000_000_000, originalLength: Int? = nil) {
        var body = ByteWriter(littleEndian: littleEndian)
        body.u32(interface)
        body.u32(UInt32(truncatingIfNeeded: ticks >> 32))
        body.u32(UInt32(truncatingIfNeeded: ticks))
        body.u32(UInt32(data.count))
        body.u32(UInt32(originalLength ?? data.count))
        body.append(data)
        body.pad4()
        // An opaque comment option after the data, which the reader must not take as packet bytes.
        body.u16(1)
        body.u16(3)
        body.append([0x68, 0x69, 0x21])
        body.pad4()
        body.u16(0)
        body.u16(0)
        block(type: 6, body: body.bytes)
    }

    /// The obsolete Packet Block (type 2): 16-bit interface id plus a drops counter.
    mutating func obsoletePacket(_ data: [UInt8], interface: UInt16 = 0, ticks: UInt64 = 1_700_000_000_000_000) {
        var body = ByteWriter(littleEndian: littleEndian)
        body.u16(interface)
        body.u16(0)
        body.u32(UInt32(truncatingIfNeeded: ticks >> 32))
        body.u32(UInt32(truncatingIfNeeded: ticks))
        body.u32(UInt32(data.count))
        body.u32(UInt32(data.count))
        body.append(data)
        body.pad4()
        block(type: 2, body: body.bytes)
    }

    mutating func simplePacket(_ data: [UInt8], originalLength: Int? = nil) {
        var body = ByteWriter(littleEndian: littleEndian)
        body.u32(UInt32(originalLength ?? data.count))
        body.append(data)
        body.pad4()
        block(type: 3, body: body.bytes)
    }

    /// Any block, e.g. a Name Resolution (4), Interface Statistics (5) or custom one.
    mutating func block(type: UInt32, body: [UInt8]) {
        var writer = ByteWriter(littleEndian: littleEndian)
        let total = UInt32(12 + body.count)
        writer.u32(type)
        writer.u32(total)
        writer.append(body)
        writer.u32(total)
        bytes += writer.bytes
    }

    mutating func appendRaw(_ raw: [UInt8]) { bytes += raw }
}
