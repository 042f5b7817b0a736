/// Why a file could not be read as a capture at all.
///
/// Only problems at the start of the file throw. Damage further in (a record cut short, a bad
/// block length) becomes a `CaptureWarning`, and what was read before it is kept, because a
/// capture cut short by a crash or a full disk is still worth decoding.
public enum CaptureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The magic number matches neither pcap nor pcapng (the file starts at byte offset 0).
    case notACapture(firstBytes: [UInt8])
    /// The file or section header starting at `offset` needs `needed` bytes but only `available` are left.
    case truncatedHeader(offset: Int, needed: Int, available: Int)
    /// The header at `offset` declares a format version this reader does not know.
    case unsupportedVersion(major: Int, minor: Int, offset: Int)
    /// A classic pcap file whose link type (stored at `offset`) is not one this reader can strip.
    case unsupportedLinkType(linkType: Int, offset: Int)
    /// A structure at `offset` is inconsistent in a way that makes the rest unreadable.
    case malformedHeader(offset: Int, reason: String)
    /// The file could not be opened or read.
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .notACapture(let firstBytes):
            if firstBytes.isEmpty {
                return "not a pcap or pcapng file: the file is empty"
            }
            return "not a pcap or pcapng file: first bytes are \(Self.hex(firstBytes))"
        case .truncatedHeader(let offset, let needed, let available):
            return "truncated header at byte offset \(offset): needs \(needed) bytes, only \(available) left"
        case .unsupportedVersion(let major, let minor, let offset):
            return "unsupported format version \(major).\(minor) at byte offset \(offset)"
        case .unsupportedLinkType(let linkType, let offset):
            return "unsupported link type \(LinkLayer.name(of: linkType)) at byte offset \(offset);"
                + " supported: \(LinkLayer.supportedNames)"
        case .malformedHeader(let offset, let reason):
            return "malformed header at byte offset \(offset): \(reason)"
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        }
    }

    /// "d4 c3 b2 a1 (\"....\")": hex plus printable ASCII, because a learner who passed a text
    /// or JSON file by mistake recognises it faster from the characters.
    private static func hex(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
        let text = String(decoding: bytes.map { (0x20...0x7e).contains($0) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
        return "\(hex) (\"\(text)\")"
    }
}
