/// Turns the bytes of one whole packet into a `Packet` or a `Dissection`.
///
/// Use `PacketFramer` first to cut a byte stream into packets.
public enum PacketDecoder {
    /// Decodes one whole packet, fixed header included. `version` gives the rules for every packet but
    /// CONNECT, which carries its own protocol level.
    public static func decode(_ bytes: [UInt8], version: ProtocolVersion) throws(MalformedPacket) -> Packet {
        var parser = PacketParser(bytes: bytes, version: version, recording: false)
        return try parser.parsePacket()
    }

    /// `decode` for a packet whose first byte says PUBLISH (type 3; the caller checks, and an empty or other
    /// packet is a programming error): the same result and the same errors, as the `Publish` itself rather
    /// than a `Packet` wrapping it. The broker calls this for every message
    /// it receives untraced; wrapping and unwrapping the enum cost it retains and releases.
    public static func decodePublish(_ bytes: [UInt8], version: ProtocolVersion) throws(MalformedPacket) -> Publish {
        precondition(bytes.first.map { $0 >> 4 } == PacketType.publish.rawValue, "decodePublish needs a PUBLISH")
        var parser = PacketParser(bytes: bytes, version: version, recording: false)
        return try parser.parsePublishPacket()
    }

    /// Decodes one packet and records every field: offsets, values, meanings. For malformed input it
    /// dissects as far as the bytes are valid, then marks the rest and says where and why it broke.
    public static func dissect(_ bytes: [UInt8], version: ProtocolVersion) -> Dissection {
        var parser = PacketParser(bytes: bytes, version: version, recording: true)
        let type = bytes.first.flatMap { PacketType(rawValue: $0 >> 4) }
        do {
            let packet = try parser.parsePacket()
            return Dissection(bytes: bytes, version: parser.version, type: type, fields: parser.recorder?.fields ?? [],
                              packet: packet, error: nil)
        } catch {
            var recorder = parser.recorder ?? FieldRecorder()
            recorder.endAll(at: recorder.coveredUntil)
            let covered = recorder.coveredUntil
            if covered < bytes.count {
                recorder.add(Field(kind: .malformed, offset: covered, length: bytes.count - covered, value: .bytes(Array(bytes[covered...])),
                                   note: error.violation.message))
            }
            return Dissection(bytes: bytes, version: parser.version, type: type, fields: recorder.fields, packet: nil, error: error)
        }
    }
}
