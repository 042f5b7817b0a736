import ArgumentParser
import Foundation
import MQTTCodec

/// Which input `mqttlab inspect` reads, decided from its options — or, for a single file argument, from
/// the file's first bytes (pcap and pcapng magic numbers, a JSON object) so `mqttlab inspect FILE` just works.
enum InspectSource {
    case capture(String)
    case traceJSON(String)
    case bytes([UInt8], title: String)

    static func resolve(input: [String], pcap: String?, traceJSON: String?, file: String?, follow: Bool) throws -> InspectSource {
        if let pcap { return .capture(pcap) }
        if let traceJSON { return .traceJSON(traceJSON) }
        if let file { return .bytes(try readBytes(path: file), title: InspectInputName.short(file)) }
        if input.count == 1, FileManager.default.fileExists(atPath: input[0]) || follow {
            return try sniff(path: input[0], follow: follow)
        }
        if !input.isEmpty { return .bytes(try parseHex(input, source: "the arguments"), title: "hex") }
        if isatty(STDIN_FILENO) == 1 {
            throw ValidationError("nothing to inspect. Try: mqttlab inspect capture.pcapng, or mqttlab inspect 30 0a 00 04 43 61 73 61 32 32 2e 35 (see --help)")
        }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        return .bytes(try bytes(of: [UInt8](data), source: "standard input"), title: "stdin")
    }

    /// pcap (a1b2c3d4 / a1b23c4d in either byte order), pcapng (0a0d0d0a), or a JSON object line.
    static func sniff(path: String, follow: Bool) throws -> InspectSource {
        if follow { return .traceJSON(path) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(message: "cannot read \(path): not readable")
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 4)) ?? Data())
        let magics: [[UInt8]] = [[0xD4, 0xC3, 0xB2, 0xA1], [0xA1, 0xB2, 0xC3, 0xD4], [0x4D, 0x3C, 0xB2, 0xA1],
                                 [0xA1, 0xB2, 0x3C, 0x4D], [0x0A, 0x0D, 0x0D, 0x0A]]
        if magics.contains(head) { return .capture(path) }
        if head.first == UInt8(ascii: "{") { return .traceJSON(path) }
        return .bytes(try readBytes(path: path), title: InspectInputName.short(path))
    }

    func load(version: ProtocolVersion?, forcedPorts: Set<UInt16>, follow: Bool) throws -> (PacketList, TraceFollower?) {
        switch self {
        case .capture(let path):
            return (try CaptureInput.load(path: path, forcedPorts: forcedPorts, version: version), nil)
        case .traceJSON(let path):
            guard follow else { return (try TraceJSONInput.load(path: path), nil) }
            // Live: whatever is there now, then the follower reads what comes after (the file may not exist yet).
            var follower = TraceFollower(path: path)
            let first = follower.poll()
            var list = PacketList(title: InspectInputName.short(path))
            list.packets = first.packets
            list.notes = first.problems
            list.nameClientsFromConnects()
            return (list, follower)
        case .bytes(let bytes, let title):
            return (HexPacketInput.load(bytes, version: version, title: title), nil)
        }
    }

    private static func readBytes(path: String) throws -> [UInt8] {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw InputError(message: "cannot read \(path): no such file, or not readable")
        }
        return try bytes(of: [UInt8](contents), source: path)
    }

    private static func bytes(of raw: [UInt8], source: String) throws -> [UInt8] {
        if raw.isEmpty { throw InputError(message: "\(source) is empty") }
        if HexInput.looksLikeHexText(raw) { return try parseHex([String(decoding: raw, as: UTF8.self)], source: source) }
        return raw
    }

    private static func parseHex(_ pieces: [String], source: String) throws -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try HexInput.parse(pieces)
        } catch {
            if let text = error.text {
                throw ValidationError("'\(text)' in \(source) is not hexadecimal (write bytes like 30 0a or 300a), and no file of that name exists")
            }
            throw ValidationError("\(source) has an odd number of hex digits: each byte takes two (05, not 5)")
        }
        if bytes.isEmpty { throw ValidationError("no bytes in \(source)") }
        return bytes
    }
}
