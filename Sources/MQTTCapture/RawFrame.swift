/// One packet record as stored in the file, before any protocol header is looked at.
struct RawFrame {
    /// 1-based position among the file's packet records, like Wireshark's `frame.number`.
    var number: Int
    /// LINKTYPE_* of the interface the packet was captured on.
    var linkType: Int
    /// Seconds since the Unix epoch.
    var timestamp: Double
    /// The captured bytes (possibly fewer than were on the wire, see `originalLength`).
    var data: ArraySlice<UInt8>
    /// Length of the packet on the wire.
    var originalLength: Int
}

/// What a file-format parser hands to the protocol layers.
struct FileContents {
    var frames: [RawFrame] = []
    var warnings: [CaptureWarning] = []
    var linkTypes: [Int] = []
    /// Packet records seen, including ones that could not be used.
    var frameCount = 0

    mutating func noteLinkType(_ linkType: Int) {
        if !linkTypes.contains(linkType) { linkTypes.append(linkType) }
    }

    /// A warning about the file structure, attached to the frame that would come next.
    mutating func warnStructure(_ message: String) {
        warnings.append(CaptureWarning(frameNumber: frameCount + 1, message: message))
    }
}
