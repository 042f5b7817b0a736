/// Reads pcap and pcapng captures and returns the reassembled TCP byte streams in them.
///
/// Reading is tolerant in the way Wireshark is: damaged or unusual frames are skipped with a
/// `CaptureWarning`, and a file cut short keeps everything before the cut. Only a file that
/// cannot be a capture at all (or whose header says nothing in it is readable) throws.
public enum CaptureReader {
    public static func read(_ bytes: [UInt8]) throws(CaptureError) -> Capture {
        try read(bytes, holdLimit: TCPReassembler.defaultHoldLimit)
    }

    public static func read(contentsOf path: String) throws(CaptureError) -> Capture {
        try read(FileBytes.read(path))
    }

    /// "1 (Ethernet)", "113 (Linux cooked SLL)", "105 (IEEE 802.11)" or just the number:
    /// for showing `Capture.linkTypes` to a person.
    public static func linkTypeName(_ linkType: Int) -> String {
        LinkLayer.name(of: linkType)
    }

    /// `holdLimit` caps the out-of-order bytes held per direction; tests lower it to reach the cap cheaply.
    static func read(_ bytes: [UInt8], holdLimit: Int) throws(CaptureError) -> Capture {
        let contents: FileContents
        if PcapNGFile.matches(bytes) {
            contents = try PcapNGFile.parse(bytes)
        } else if let (littleEndian, magic) = PcapFile.byteOrder(of: bytes) {
            contents = try PcapFile.parse(bytes, littleEndian: littleEndian, magic: magic)
        } else {
            throw .notACapture(firstBytes: Array(bytes.prefix(16)))
        }

        var warnings = contents.warnings
        var reassembler = TCPReassembler(holdLimit: holdLimit)
        var unsupportedLinkTypes: Set<Int> = []
        for frame in contents.frames {
            guard LinkLayer.isSupported(frame.linkType) else {
                // Only in pcapng, where each interface has its own link type; say it once per type.
                if unsupportedLinkTypes.insert(frame.linkType).inserted {
                    warnings.append(
                        CaptureWarning(
                            frameNumber: frame.number,
                            message: "frames with link type \(LinkLayer.name(of: frame.linkType)) are skipped; supported: \(LinkLayer.supportedNames)"
                        )
                    )
                }
                continue
            }
            do throws(FrameIssue) {
                try feed(frame, into: &reassembler, warnings: &warnings)
            } catch {
                warnings.append(CaptureWarning(frameNumber: frame.number, message: "\(error.message); frame skipped"))
            }
        }
        reassembler.finish()
        warnings += reassembler.warnings
        // Structure, frame and reassembly warnings are collected separately; show them in frame order.
        let ordered = warnings.enumerated().sorted { ($0.element.frameNumber, $0.offset) < ($1.element.frameNumber, $1.offset) }
        return Capture(
            chunks: reassembler.chunks,
            warnings: ordered.map(\.element),
            linkTypes: contents.linkTypes,
            frameCount: contents.frameCount
        )
    }

    /// Peels link, IP and TCP headers off one frame and hands the segment to the reassembler.
    /// Frames that are not TCP over IP are ignored silently: captures are full of ARP, DNS and the like.
    private static func feed(
        _ frame: RawFrame,
        into reassembler: inout TCPReassembler,
        warnings: inout [CaptureWarning]
    ) throws(FrameIssue) {
        guard let network = try LinkLayer.ipPacket(in: frame.data, linkType: frame.linkType) else { return }
        let packet = try IPPacket.parse(network.bytes, declaredVersion: network.declaredVersion)
        guard packet.protocolNumber == 6 else { return }
        if let fragment = packet.fragment {
            // Reassembling IP fragments is out of scope: TCP avoids fragmentation (path MTU
            // discovery), so fragmented TCP is rare and its bytes are reported missing instead.
            if fragment.offset != 0 {
                warnings.append(
                    CaptureWarning(
                        frameNumber: frame.number,
                        message:
                            "IPv\(packet.version) fragment at offset \(fragment.offset) skipped (fragments are not reassembled); "
                            + "the TCP bytes it carries are missing from the stream"
                    )
                )
                return
            }
            warnings.append(
                CaptureWarning(
                    frameNumber: frame.number,
                    message:
                        "the IPv\(packet.version) packet is fragmented; only the bytes of its first fragment are used, "
                        + "the rest are missing from the stream"
                )
            )
        }
        let segment = try TCPSegment.parse(packet.payload, declaredLength: packet.declaredPayloadLength)
        if segment.payload.count < segment.declaredPayloadLength {
            warnings.append(
                CaptureWarning(
                    frameNumber: frame.number,
                    message:
                        "only \(segment.payload.count) of \(segment.declaredPayloadLength) TCP payload bytes were captured (snap length); "
                        + "the stream has a gap here"
                )
            )
        }
        reassembler.add(
            segment,
            from: TCPEndpoint(address: packet.source, port: segment.sourcePort),
            to: TCPEndpoint(address: packet.destination, port: segment.destinationPort),
            frame: FrameStamp(number: frame.number, timestamp: frame.timestamp)
        )
    }
}
