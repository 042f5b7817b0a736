/// One side of a TCP connection.
public struct TCPEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// Textual IP address: dotted decimal for IPv4 ("127.0.0.1"), RFC 5952 form for IPv6 ("::1").
    public var address: String
    public var port: UInt16

    public init(address: String, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// "127.0.0.1:1883" or "[::1]:1883": IPv6 addresses are bracketed so the port stays readable.
    public var description: String {
        address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}

/// Bytes of one direction of a TCP connection, delivered in stream order, each byte exactly once.
public struct TCPChunk: Sendable, Equatable {
    /// 1-based index of the TCP connection in order of first appearance in the file (any segment,
    /// even one without payload, counts). It equals Wireshark's `tcp.stream + 1`.
    public var connection: Int
    public var source: TCPEndpoint
    public var destination: TCPEndpoint
    /// True when sent by the side that sent the SYN; when the capture has no SYN for this
    /// connection, by the side whose segment was seen first.
    public var fromInitiator: Bool
    /// 1-based frame number (Wireshark's `frame.number`) of the segment whose arrival made these
    /// bytes deliverable. That is the segment carrying them, or, for bytes that arrived out of
    /// order, the later segment that filled the gap before them.
    public var frameNumber: Int
    /// Capture time of that frame, in seconds since the Unix epoch.
    public var timestamp: Double
    /// Number of stream bytes that are missing just before `bytes` (never captured, cut by the
    /// snap length, or given up on). 0 in a clean stream; a decoder should resynchronise when
    /// it is not.
    public var missingBytesBefore: Int
    public var bytes: [UInt8]

    public init(
        connection: Int,
        source: TCPEndpoint,
        destination: TCPEndpoint,
        fromInitiator: Bool,
        frameNumber: Int,
        timestamp: Double,
        missingBytesBefore: Int = 0,
        bytes: [UInt8]
    ) {
        self.connection = connection
        self.source = source
        self.destination = destination
        self.fromInitiator = fromInitiator
        self.frameNumber = frameNumber
        self.timestamp = timestamp
        self.missingBytesBefore = missingBytesBefore
        self.bytes = bytes
    }
}

/// Something in the capture that was skipped or could not be read fully. Reading goes on.
public struct CaptureWarning: Sendable, Equatable, CustomStringConvertible {
    /// The frame the warning is about. For a problem in the file structure itself (for example a
    /// record cut short), the number the next frame would have had.
    public var frameNumber: Int
    public var message: String

    public init(frameNumber: Int, message: String) {
        self.frameNumber = frameNumber
        self.message = message
    }

    public var description: String { "frame \(frameNumber): \(message)" }
}

/// Everything read from one capture file.
public struct Capture: Sendable {
    /// Reassembled TCP payload of every connection, in the order the bytes became deliverable
    /// while reading the file (so chunks of different connections interleave as they did on the wire).
    public var chunks: [TCPChunk]
    public var warnings: [CaptureWarning]
    /// Link types (LINKTYPE_* numbers) of the file's interfaces, each listed once, in order of first
    /// appearance. A classic pcap file has exactly one.
    public var linkTypes: [Int]
    /// Number of packet records (frames) in the file.
    public var frameCount: Int

    public init(chunks: [TCPChunk], warnings: [CaptureWarning], linkTypes: [Int], frameCount: Int) {
        self.chunks = chunks
        self.warnings = warnings
        self.linkTypes = linkTypes
        self.frameCount = frameCount
    }
}
