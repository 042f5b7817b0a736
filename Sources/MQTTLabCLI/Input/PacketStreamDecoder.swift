import MQTTCodec

/// Where the rules a packet was read with came from, so the output can say so.
enum VersionSource: Equatable, Sendable {
    /// `-V` on the command line.
    case given
    /// The packet is a CONNECT, or came after one on the same stream.
    case connect
    /// No CONNECT and no `-V`: 3.1.1, the most common version.
    case assumed
    /// No CONNECT and no `-V`, and the packet is malformed under 3.1.1 but valid under 5.0.
    case guessed
}

/// One packet found in the input, dissected.
struct DecodedPacket: Sendable {
    var dissection: Dissection
    var versionSource: VersionSource
    /// Set for packets that come from a capture.
    var capture: CaptureContext?
}

/// Where in a capture a packet was found.
struct CaptureContext: Sendable {
    var frame: Int
    var time: Double
    var connection: Int
    var source: String
    var destination: String
    var fromClient: Bool
}

/// Cuts one byte stream into packets and dissects each, keeping track of the protocol version: a
/// CONNECT sets it for what follows, as a broker would.
struct PacketStreamDecoder {
    var givenVersion: ProtocolVersion?
    private(set) var connectVersion: ProtocolVersion?
    private var framer = PacketFramer()
    /// After a framing error the stream cannot be resynchronised: the rest is reported as one piece.
    private(set) var broken = false

    init(version: ProtocolVersion?) {
        givenVersion = version
    }

    /// Feeds bytes; returns the packets they complete.
    mutating func feed(_ bytes: [UInt8]) -> [DecodedPacket] {
        guard !broken else { return [] }
        framer.append(bytes)
        var packets: [DecodedPacket] = []
        while true {
            do {
                guard let packet = try framer.next() else { break }
                packets.append(decode(packet))
            } catch {
                // Dissect what is left: the codec points at the byte that breaks the framing.
                broken = true
                packets.append(decode(framer.takeBuffered()))
                break
            }
        }
        return packets
    }

    /// Whatever is left when the input ends: an incomplete packet, dissected so its error says what is missing.
    mutating func finish() -> DecodedPacket? {
        guard !broken, framer.bufferedCount > 0 else { return nil }
        return decode(framer.takeBuffered())
    }

    var pendingByteCount: Int { framer.bufferedCount }

    mutating func setConnectVersion(_ version: ProtocolVersion) { connectVersion = version }

    private mutating func decode(_ bytes: [UInt8]) -> DecodedPacket {
        let isConnect = bytes.first.map { $0 >> 4 == PacketType.connect.rawValue } ?? false
        if let version = givenVersion ?? connectVersion {
            let dissection = PacketDecoder.dissect(bytes, version: version)
            if isConnect, dissection.error == nil { connectVersion = dissection.version }
            return DecodedPacket(dissection: dissection, versionSource: givenVersion != nil ? .given : .connect)
        }
        let asV3 = PacketDecoder.dissect(bytes, version: .v3_1_1)
        if isConnect {
            if asV3.error == nil { connectVersion = asV3.version }
            return DecodedPacket(dissection: asV3, versionSource: .connect)
        }
        if asV3.error != nil {
            let asV5 = PacketDecoder.dissect(bytes, version: .v5_0)
            if asV5.error == nil { return DecodedPacket(dissection: asV5, versionSource: .guessed) }
        }
        return DecodedPacket(dissection: asV3, versionSource: .assumed)
    }
}
