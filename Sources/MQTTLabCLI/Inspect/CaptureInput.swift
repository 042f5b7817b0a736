import MQTTCapture
import MQTTCodec

/// A pcap or pcapng capture as the inspector's packet list, through the same `CaptureDecoder` as
/// `mqttlab decode --pcap` (TCP reassembly, per-direction framing, the CONNECT's version).
enum CaptureInput {
    static func load(path: String, forcedPorts: Set<UInt16>, version: ProtocolVersion?) throws -> PacketList {
        let capture: Capture
        do {
            capture = try CaptureReader.read(contentsOf: path)
        } catch {
            throw InputError(message: "cannot read capture \(path): \(error)")
        }
        let decoded = CaptureDecoder(forcedPorts: forcedPorts, givenVersion: version).decode(capture)
        var list = PacketList(title: InspectInputName.short(path))
        list.notes = capture.warnings.map { "\(path): \($0)" } + decoded.notes.map { "\(path): \($0)" }
        list.packets = decoded.packets.enumerated().map { index, packet in
            let context = packet.capture
            return InspectedPacket(
                number: index + 1, time: context?.time, connection: context?.connection ?? 0, client: nil,
                direction: context.map { $0.fromClient ? .toBroker : .toClient } ?? .unknown,
                dissection: packet.dissection, origin: context.map { "\(path): frame \($0.frame)" } ?? path)
        }
        list.nameClientsFromConnects()
        if list.packets.isEmpty && list.notes.isEmpty { list.notes.append("\(path): no MQTT packets found") }
        return list
    }
}

/// Bytes typed or pasted as hex (or raw bytes from a file), cut into packets like `mqttlab decode` does.
enum HexPacketInput {
    static func load(_ bytes: [UInt8], version: ProtocolVersion?, title: String) -> PacketList {
        var stream = PacketStreamDecoder(version: version)
        var decoded = stream.feed(bytes)
        if let rest = stream.finish() { decoded.append(rest) }
        var list = PacketList(title: title)
        var offset = 0
        for (index, packet) in decoded.enumerated() {
            list.packets.append(InspectedPacket(
                number: index + 1, time: nil, connection: 0, client: nil, direction: .unknown,
                dissection: packet.dissection, origin: "\(title): byte \(offset)"))
            offset += packet.dissection.bytes.count
        }
        list.nameClientsFromConnects()
        return list
    }
}

enum InspectInputName {
    /// The last path component: enough for a title line.
    static func short(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
