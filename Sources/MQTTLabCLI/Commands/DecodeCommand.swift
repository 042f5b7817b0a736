import ArgumentParser
import Foundation
import MQTTCapture
import MQTTCodec

/// `mqttlab decode`: bytes in, every field explained out.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode MQTT packets field by field, with every byte explained.",
        discussion: """
            Give the bytes as hexadecimal arguments, a raw file, standard input, or a capture:

              mqttlab decode 30 0a 00 04 43 61 73 61 32 32 2e 35      spaced hex
              mqttlab decode 300a00044361736132322e35                  compact hex (0x30,0x0a and 30:0a work too)
              mqttlab decode --file packet.bin                         raw bytes from a file
              echo "c0 00" | mqttlab decode                            hex (or raw bytes) on standard input
              mqttlab decode --pcap class.pcapng                       every MQTT packet of a capture
              mqttlab decode -V 5 40 03 00 0a 10                       read with MQTT 5.0 rules
              mqttlab decode --json e0 00                              one JSON object per packet, for tools

            Several packets in a row are split and decoded one after another. A CONNECT tells which
            version the packets after it use; without one, and without -V, 3.1.1 is assumed (and 5.0 is
            tried when a packet only makes sense there).

            Captures: pcap or pcapng files from tcpdump, Wireshark or tshark, on any port. TCP streams
            are reassembled; a connection counts as MQTT when it starts with a CONNECT, uses port 1883,
            or uses a port given with --port.

            Exit status: 0 every packet is valid; 1 a packet is malformed (the output points at the byte
            and names the rule); 64 the command line is wrong; 66 the input cannot be read.
            """
    )

    @Argument(help: ArgumentHelp("Bytes in hexadecimal.", valueName: "hex"))
    var hex: [String] = []

    @Option(name: .long, help: ArgumentHelp("Read raw bytes (or hex text) from a file.", valueName: "path"))
    var file: String?

    @Option(name: .long, help: ArgumentHelp("Read every MQTT packet of a pcap or pcapng capture.", valueName: "path"))
    var pcap: String?

    @Option(name: .customShort("V"), help: ArgumentHelp(
        "Protocol version for packets not preceded by a CONNECT: 3.1, 3.1.1 or 5.", valueName: "version"))
    var protocolVersion: String?

    @Option(name: .long, help: ArgumentHelp("With --pcap: also decode TCP connections on this port as MQTT (repeatable).", valueName: "port"))
    var port: [UInt16] = []

    @Flag(name: .long, help: "Print one JSON object per packet (JSON Lines) with the whole field tree.")
    var json = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        let sources = [!hex.isEmpty, file != nil, pcap != nil].filter { $0 }.count
        if sources > 1 { throw ValidationError("give the bytes one way: hex arguments, --file or --pcap") }
        if let protocolVersion, ProtocolVersion(userText: protocolVersion) == nil {
            throw ValidationError("-V takes 3.1, 3.1.1 or 5, not '\(protocolVersion)'")
        }
        if !port.isEmpty && pcap == nil { throw ValidationError("--port only applies to --pcap") }
    }

    func run() throws {
        let language = output.language
        let version = protocolVersion.flatMap(ProtocolVersion.init(userText:))
        var packets: [DecodedPacket]
        var notes: [String] = []
        if let pcap {
            let capture: Capture
            do {
                capture = try CaptureReader.read(contentsOf: pcap)
            } catch {
                throw InputError(message: "cannot read capture \(pcap): \(error)")
            }
            notes += capture.warnings.map { "capture: \($0)" }
            let result = CaptureDecoder(forcedPorts: Set(port), givenVersion: version).decode(capture)
            packets = result.packets
            notes += result.notes
            if packets.isEmpty && notes.isEmpty { notes.append("no MQTT packets found in \(pcap)") }
        } else {
            let bytes = try readBytes()
            var stream = PacketStreamDecoder(version: version)
            packets = stream.feed(bytes)
            if let rest = stream.finish() { packets.append(rest) }
        }

        let terminal = output.terminal
        var printedAny = false
        for (index, packet) in packets.enumerated() {
            if json {
                print(DecodeOutput.json(packet, index: index + 1, language: language))
            } else {
                if printedAny { print("") }
                print(DecodeOutput.text(packet, index: index + 1, count: packets.count, language: language, terminal: terminal))
            }
            printedAny = true
        }
        for note in notes { FileHandle.standardError.write(Data(("mqttlab: " + note + "\n").utf8)) }
        if packets.contains(where: { $0.dissection.error != nil }) { throw ExitCode(1) }
    }

    private func readBytes() throws -> [UInt8] {
        if !hex.isEmpty { return try parseHex(hex, source: "the arguments") }
        let data: Data
        let source: String
        if let file {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw InputError(message: "cannot read \(file): no such file, or not readable")
            }
            data = contents
            source = file
        } else {
            if isatty(STDIN_FILENO) == 1 {
                throw ValidationError("no bytes given. Try: mqttlab decode 30 0a 00 04 43 61 73 61 32 32 2e 35 (see --help)")
            }
            data = FileHandle.standardInput.readDataToEndOfFile()
            source = "standard input"
        }
        let bytes = [UInt8](data)
        if bytes.isEmpty { throw InputError(message: "\(source) is empty") }
        if HexInput.looksLikeHexText(bytes) {
            return try parseHex([String(decoding: bytes, as: UTF8.self)], source: source)
        }
        return bytes
    }

    private func parseHex(_ pieces: [String], source: String) throws -> [UInt8] {
        do {
            let bytes = try HexInput.parse(pieces)
            if bytes.isEmpty { throw ValidationError("no bytes in \(source)") }
            return bytes
        } catch let problem as HexInput.Problem {
            if let text = problem.text { throw ValidationError("'\(text)' in \(source) is not hexadecimal (write bytes like 30 0a or 300a)") }
            throw ValidationError("\(source) has an odd number of hex digits: each byte takes two (05, not 5)")
        }
    }
}

/// An input that cannot be read: exit status 66 (EX_NOINPUT), with the reason on standard error.
struct InputError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
