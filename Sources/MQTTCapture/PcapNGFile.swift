/// pcapng files: a sequence of blocks, each `type, total length, body, total length`.
///
/// A file holds one or more sections; each starts with a Section Header Block whose byte-order
/// magic sets the byte order of the whole section, and each has its own list of interfaces
/// (link type and timestamp unit per interface). Packets refer to interfaces by index.
enum PcapNGFile {
    static let sectionHeaderType: UInt32 = 0x0a0d_0d0a
    private static let byteOrderMagic: UInt32 = 0x1a2b_3c4d

    private enum BlockType {
        static let interfaceDescription: UInt32 = 1
        static let obsoletePacket: UInt32 = 2
        static let simplePacket: UInt32 = 3
        static let enhancedPacket: UInt32 = 6
    }

    private struct Interface {
        var linkType: Int
        var snapLength: Int
        var resolution = TimestampResolution.microseconds
        /// `if_tsoffset`: seconds to add to every timestamp of this interface.
        var secondsOffset: Int64 = 0
    }

    /// True if the file starts like pcapng (the Section Header Block type is a byte palindrome,
    /// so it reads the same in both byte orders).
    static func matches(_ bytes: [UInt8]) -> Bool {
        ByteCursor(bytes[...]).u32(at: 0) == sectionHeaderType
    }

    static func parse(_ bytes: [UInt8]) throws(CaptureError) -> FileContents {
        var contents = FileContents()
        // Set by each Section Header Block; `matches` guaranteed the file starts with one.
        var littleEndian = false
        var interfaces: [Interface] = []
        var offset = 0
        while offset < bytes.count {
            let left = bytes.count - offset
            // The block type is a palindrome for section headers, so this read needs no byte order yet.
            let type = ByteCursor(bytes[...], littleEndian: littleEndian).u32(at: offset)
            if type == sectionHeaderType {
                // A new section may switch byte order and starts a fresh interface list.
                guard let order = try sectionByteOrder(bytes, at: offset, isFirst: offset == 0, contents: &contents) else { break }
                littleEndian = order
                interfaces = []
            }
            guard left >= 12, let type else {
                contents.warnStructure("the file ends inside a block header at byte offset \(offset) (\(left) bytes left); the capture was cut short")
                break
            }
            let file = ByteCursor(bytes[...], littleEndian: littleEndian)
            let totalLength = Int(file.u32(at: offset + 4) ?? 0)
            guard totalLength >= 12, totalLength % 4 == 0 else {
                contents.warnStructure(
                    "stopped reading at byte offset \(offset): block length \(totalLength) is invalid "
                        + "(it must be a multiple of 4 and at least 12), so the file is damaged"
                )
                break
            }
            guard totalLength <= left else {
                contents.warnStructure(
                    "the block at byte offset \(offset) declares \(totalLength) bytes but only \(left) are left; "
                        + "the capture was cut short and this last block is skipped"
                )
                break
            }
            guard file.u32(at: offset + totalLength - 4) == UInt32(totalLength) else {
                contents.warnStructure(
                    "stopped reading at byte offset \(offset): the block's closing length does not match "
                        + "its opening length \(totalLength), so the file is damaged"
                )
                break
            }
            // The body: everything between the 8-byte block header and the 4-byte trailer.
            let body = ByteCursor(bytes[(offset + 8)..<(offset + totalLength - 4)], littleEndian: littleEndian)
            switch type {
            case BlockType.interfaceDescription:
                if let interface = readInterface(body) {
                    interfaces.append(interface)
                    contents.noteLinkType(interface.linkType)
                } else {
                    contents.warnStructure("the interface description at byte offset \(offset) is too short; packets on it will be skipped")
                    interfaces.append(Interface(linkType: -1, snapLength: 0))
                }
            case BlockType.enhancedPacket, BlockType.obsoletePacket:
                contents.frameCount += 1
                readPacket(body, enhanced: type == BlockType.enhancedPacket, interfaces: interfaces, at: offset, into: &contents)
            case BlockType.simplePacket:
                contents.frameCount += 1
                readSimplePacket(body, interfaces: interfaces, at: offset, into: &contents)
            default:
                // Name resolution, statistics, custom and future block types carry no packets.
                break
            }
            offset += totalLength
        }
        return contents
    }

    /// Reads the byte-order magic of a Section Header Block. Throws for the file's first section
    /// (nothing would be readable); for later sections adds a warning and returns `nil` to stop.
    private static func sectionByteOrder(
        _ bytes: [UInt8],
        at offset: Int,
        isFirst: Bool,
        contents: inout FileContents
    ) throws(CaptureError) -> Bool? {
        let header = ByteCursor(bytes[...])
        guard let magic = header.u32(at: offset + 8), let rawLength = header.u32(at: offset + 4) else {
            if isFirst {
                throw .truncatedHeader(offset: offset, needed: 28, available: bytes.count - offset)
            }
            contents.warnStructure("the file ends inside a section header at byte offset \(offset); the capture was cut short")
            return nil
        }
        let littleEndian: Bool
        switch magic {
        case byteOrderMagic: littleEndian = false
        case byteOrderMagic.byteSwapped: littleEndian = true
        default:
            if isFirst {
                throw .malformedHeader(
                    offset: offset + 8,
                    reason: "section header byte-order magic is \(hex32(magic)), expected 1a2b3c4d in either byte order"
                )
            }
            contents.warnStructure("stopped reading at byte offset \(offset): the section header's byte-order magic is wrong, so the file is damaged")
            return nil
        }
        let length = littleEndian ? rawLength.byteSwapped : rawLength
        let section = ByteCursor(bytes[...], littleEndian: littleEndian)
        if isFirst {
            guard length >= 28, length % 4 == 0 else {
                throw .malformedHeader(
                    offset: offset + 4,
                    reason: "section header length \(length) is invalid (it must be a multiple of 4 and at least 28)"
                )
            }
            guard Int(length) <= bytes.count - offset, let major = section.u16(at: offset + 12) else {
                throw .truncatedHeader(offset: offset, needed: Int(length), available: bytes.count - offset)
            }
            guard major == 1 else {
                throw .unsupportedVersion(major: Int(major), minor: Int(section.u16(at: offset + 14) ?? 0), offset: offset + 12)
            }
        } else if let major = section.u16(at: offset + 12), major != 1 {
            contents.warnStructure("stopped reading at byte offset \(offset): section format version \(major) is not supported")
            return nil
        }
        return littleEndian
    }

    private static func readInterface(_ body: ByteCursor) -> Interface? {
        guard let linkType = body.u16(at: 0), let snapLength = body.u32(at: 4) else { return nil }
        var interface = Interface(linkType: Int(linkType), snapLength: Int(snapLength))
        forEachOption(body, from: 8) { code, value in
            switch code {
            case 9:  // if_tsresol
                if let byte = value.u8(at: 0) { interface.resolution = TimestampResolution(optionByte: byte) }
            case 14:  // if_tsoffset
                if let raw = value.u64(at: 0) { interface.secondsOffset = Int64(bitPattern: raw) }
            default:
                break
            }
        }
        return interface
    }

    /// Enhanced Packet Block (and the obsolete Packet Block, which differs only in a 16-bit
    /// interface id followed by a drops counter).
    private static func readPacket(
        _ body: ByteCursor,
        enhanced: Bool,
        interfaces: [Interface],
        at offset: Int,
        into contents: inout FileContents
    ) {
        let interfaceID = enhanced ? body.u32(at: 0).map(Int.init) : body.u16(at: 0).map(Int.init)
        guard
            let interfaceID, let high = body.u32(at: 4), let low = body.u32(at: 8),
            let capturedLength = body.u32(at: 12), let originalLength = body.u32(at: 16)
        else {
            contents.warnings.append(
                CaptureWarning(frameNumber: contents.frameCount, message: "the packet block at byte offset \(offset) is too short; frame skipped")
            )
            return
        }
        guard interfaceID < interfaces.count else {
            contents.warnings.append(
                CaptureWarning(
                    frameNumber: contents.frameCount,
                    message:
                        "the packet block at byte offset \(offset) names interface \(interfaceID), which the section does not describe; frame skipped"
                )
            )
            return
        }
        guard let data = body.slice(at: 20, length: Int(capturedLength)) else {
            contents.warnings.append(
                CaptureWarning(
                    frameNumber: contents.frameCount,
                    message:
                        "the packet block at byte offset \(offset) declares \(capturedLength) captured bytes, more than the block holds; "
                        + "frame skipped"
                )
            )
            return
        }
        let interface = interfaces[interfaceID]
        let ticks = UInt64(high) << 32 | UInt64(low)
        contents.frames.append(
            RawFrame(
                number: contents.frameCount,
                linkType: interface.linkType,
                timestamp: interface.resolution.seconds(ticks) + Double(interface.secondsOffset),
                data: data,
                originalLength: Int(originalLength)
            )
        )
    }

    /// Simple Packet Block: always interface 0, no timestamp (reported as 0), and the captured
    /// length is implied: the original length cut to the interface's snap length.
    private static func readSimplePacket(
        _ body: ByteCursor,
        interfaces: [Interface],
        at offset: Int,
        into contents: inout FileContents
    ) {
        guard let interface = interfaces.first, let originalLength = body.u32(at: 0) else {
            contents.warnings.append(
                CaptureWarning(
                    frameNumber: contents.frameCount,
                    message: "the simple packet block at byte offset \(offset) has no interface or is too short; frame skipped"
                )
            )
            return
        }
        var capturedLength = Int(originalLength)
        if interface.snapLength > 0 { capturedLength = min(capturedLength, interface.snapLength) }
        capturedLength = min(capturedLength, body.count - 4)
        let data = body.slice(at: 4, length: capturedLength) ?? []
        contents.frames.append(
            RawFrame(number: contents.frameCount, linkType: interface.linkType, timestamp: 0, data: data, originalLength: Int(originalLength))
        )
    }

    /// Walks the `code, length, value, padding` options that end most blocks.
    private static func forEachOption(_ body: ByteCursor, from start: Int, _ visit: (UInt16, ByteCursor) -> Void) {
        var offset = start
        while let code = body.u16(at: offset), let length = body.u16(at: offset + 2), code != 0 {
            guard let value = body.slice(at: offset + 4, length: Int(length)) else { return }
            visit(code, ByteCursor(value, littleEndian: body.littleEndian))
            offset += 4 + (Int(length) + 3) / 4 * 4
        }
    }

    private static func hex32(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
