/// Classic libpcap files: a 24-byte file header, then records of a 16-byte header plus data.
///
/// The writer's byte order is recorded only by how the magic number reads, and the magic also
/// says whether the sub-second field counts microseconds or nanoseconds.
enum PcapFile {
    static let microsecondMagic: UInt32 = 0xa1b2_c3d4
    static let nanosecondMagic: UInt32 = 0xa1b2_3c4d
    /// Alexey Kuznetsov's patched libpcap, still found in old Red Hat captures: same layout but
    /// 8 more bytes in every record header (interface index, protocol, packet type).
    static let kuznetsovMagic: UInt32 = 0xa1b2_cd34

    private static let fileHeaderLength = 24

    /// The byte order the magic number reveals, or `nil` if the file is not classic pcap.
    static func byteOrder(of bytes: [UInt8]) -> (littleEndian: Bool, magic: UInt32)? {
        let header = ByteCursor(bytes[...])
        guard let bigEndianMagic = header.u32(at: 0) else { return nil }
        let known = [microsecondMagic, nanosecondMagic, kuznetsovMagic]
        if known.contains(bigEndianMagic) { return (false, bigEndianMagic) }
        let swapped = bigEndianMagic.byteSwapped
        if known.contains(swapped) { return (true, swapped) }
        return nil
    }

    static func parse(_ bytes: [UInt8], littleEndian: Bool, magic: UInt32) throws(CaptureError) -> FileContents {
        let file = ByteCursor(bytes[...], littleEndian: littleEndian)
        guard
            let major = file.u16(at: 4), let minor = file.u16(at: 6),
            let rawLinkType = file.u32(at: 20)
        else {
            throw .truncatedHeader(offset: 0, needed: fileHeaderLength, available: bytes.count)
        }
        guard major == 2 else {
            throw .unsupportedVersion(major: Int(major), minor: Int(minor), offset: 4)
        }
        // The upper bits of the field may carry FCS information; the link type is the low 16 bits.
        let linkType = Int(rawLinkType & 0xffff)
        guard LinkLayer.isSupported(linkType) else {
            throw .unsupportedLinkType(linkType: linkType, offset: 20)
        }

        var contents = FileContents()
        contents.noteLinkType(linkType)
        let fractionsPerSecond: Double = magic == nanosecondMagic ? 1_000_000_000 : 1_000_000
        let recordHeaderLength = magic == kuznetsovMagic ? 24 : 16
        var offset = fileHeaderLength
        while offset < bytes.count {
            let left = bytes.count - offset
            guard
                left >= recordHeaderLength,
                let seconds = file.u32(at: offset), let fraction = file.u32(at: offset + 4),
                let capturedLength = file.u32(at: offset + 8), let originalLength = file.u32(at: offset + 12)
            else {
                contents.warnStructure(
                    "the file ends inside a record header at byte offset \(offset) (\(left) of \(recordHeaderLength) bytes); "
                        + "the capture was cut short"
                )
                break
            }
            let dataOffset = offset + recordHeaderLength
            guard let data = file.slice(at: dataOffset, length: Int(capturedLength)) else {
                contents.warnStructure(
                    "the record at byte offset \(offset) declares \(capturedLength) bytes but only \(bytes.count - dataOffset) are left; "
                        + "the capture was cut short and this last record is skipped"
                )
                break
            }
            contents.frameCount += 1
            contents.frames.append(
                RawFrame(
                    number: contents.frameCount,
                    linkType: linkType,
                    timestamp: Double(seconds) + Double(fraction) / fractionsPerSecond,
                    data: data,
                    originalLength: Int(originalLength)
                )
            )
            offset = dataOffset + Int(capturedLength)
        }
        return contents
    }
}
