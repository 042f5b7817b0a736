/// Appends integers in a chosen byte order; the test builders write every header with it.
struct ByteWriter {
    var bytes: [UInt8] = []
    var littleEndian: Bool

    init(littleEndian: Bool = false) {
        self.littleEndian = littleEndian
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { integer(UInt64(value), size: 2) }
    mutating func u32(_ value: UInt32) { integer(UInt64(value), size: 4) }
    mutating func u64(_ value: UInt64) { integer(value, size: 8) }
    mutating func append(_ other: [UInt8]) { bytes += other }

    /// Zero bytes up to the next multiple of 4 (pcapng pads everything to 32 bits).
    mutating func pad4() {
        while bytes.count % 4 != 0 { bytes.append(0) }
    }

    private mutating func integer(_ value: UInt64, size: Int) {
        for index in 0..<size {
            let shift = UInt64(8 * (littleEndian ? index : size - 1 - index))
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }
}
