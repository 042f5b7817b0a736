/// Bounds-checked reads of fixed-size integers from a byte slice.
///
/// Capture files are untrusted input: every read returns `nil` instead of trapping when the
/// bytes run out, so a damaged file becomes a warning or an error, never a crash.
/// Offsets given to the `…(at:)` readers are relative to the start of `bytes`, which keeps
/// header parsing readable (`u16(at: 2)` is "the field at byte 2 of this header").
struct ByteCursor {
    /// The bytes being read. Slices keep the indices of the array they come from, so
    /// `bytes.startIndex` is also the absolute offset in the file when the slice was cut
    /// from the whole file.
    let bytes: ArraySlice<UInt8>
    /// Byte order of multi-byte fields. Network headers are big-endian; pcap and pcapng
    /// fields follow the writer's byte order, found from the file's magic number.
    let littleEndian: Bool

    init(_ bytes: ArraySlice<UInt8>, littleEndian: Bool = false) {
        self.bytes = bytes
        self.littleEndian = littleEndian
    }

    var count: Int { bytes.count }

    /// Absolute index (file offset, when cut from the file) of a relative offset.
    func absolute(_ offset: Int) -> Int { bytes.startIndex + offset }

    func has(_ length: Int, at offset: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= bytes.count - length
    }

    func u8(at offset: Int) -> UInt8? {
        guard has(1, at: offset) else { return nil }
        return bytes[bytes.startIndex + offset]
    }

    func u16(at offset: Int) -> UInt16? {
        guard let value = unsigned(at: offset, size: 2) else { return nil }
        return UInt16(truncatingIfNeeded: value)
    }

    func u32(at offset: Int) -> UInt32? {
        guard let value = unsigned(at: offset, size: 4) else { return nil }
        return UInt32(truncatingIfNeeded: value)
    }

    func u64(at offset: Int) -> UInt64? {
        unsigned(at: offset, size: 8)
    }

    /// `length` bytes starting at `offset`, or `nil` if they are not all there.
    func slice(at offset: Int, length: Int) -> ArraySlice<UInt8>? {
        guard has(length, at: offset) else { return nil }
        let start = bytes.startIndex + offset
        return bytes[start..<(start + length)]
    }

    /// Everything from `offset` to the end (empty when `offset` is at or past the end).
    func rest(from offset: Int) -> ArraySlice<UInt8> {
        let start = bytes.startIndex + min(max(offset, 0), bytes.count)
        return bytes[start...]
    }

    private func unsigned(at offset: Int, size: Int) -> UInt64? {
        guard has(size, at: offset) else { return nil }
        let start = bytes.startIndex + offset
        var value: UInt64 = 0
        for index in 0..<size {
            let byte = UInt64(bytes[start + (littleEndian ? size - 1 - index : index)])
            value = value << 8 | byte
        }
        return value
    }
}
