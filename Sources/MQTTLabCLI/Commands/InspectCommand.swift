import ArgumentParser
import Foundation
import MQTTCodec

/// `mqttlab inspect`: step through decoded packets one field at a time.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Step through MQTT packets one field at a time: these bytes, this meaning, then the next.",
        discussion: """
            Open a capture, a broker trace, or hex, and walk through every packet field by field. The hex
            dump highlights the current field's bytes; below it, what the field is and what this value
            means. Flag bytes are shown bit by bit. Related packets (PUBLISH → PUBREC → PUBREL → PUBCOMP,
            SUBSCRIBE → SUBACK, a will, a session take-over) are linked as a flow.

              mqttlab inspect class.pcapng                      a capture (tcpdump, Wireshark, mqttlab broker --pcap)
              mqttlab inspect trace.jsonl                       a trace of mqttlab broker --trace-json
              mqttlab inspect --trace-json trace.jsonl --follow   follow a running broker live
              mqttlab inspect 30 0a 00 04 43 61 73 61 32 32 2e 35  hex typed or pasted
              pbpaste | mqttlab inspect                         hex on standard input
              mqttlab inspect --plain class.pcapng --packet 5   the walk as text, for a handout

            Keys: → or n next field, ← or p previous field, ↓/↑ next/previous packet, tab next packet of the
            same flow, / filter by client, type or topic, ? help, q quit.

            Without a terminal (a pipe, a file) or with --plain, the same walk is printed as text.
            Explanations in Spanish or English (--lang es|en, MQTTLAB_LANG, or the locale); NO_COLOR is
            respected. See Docs/INSPECT.md.

            Exit status: 0 done; 1 (--plain) a packet is malformed; 64 the command line is wrong; 66 the
            input cannot be read.
            """
    )

    @Argument(help: ArgumentHelp(
        "A capture or --trace-json file (recognised by its content), or bytes in hexadecimal.", valueName: "file-or-hex"))
    var input: [String] = []

    @Option(name: .long, help: ArgumentHelp("Read every MQTT packet of a pcap or pcapng capture.", valueName: "path"))
    var pcap: String?

    @Option(name: .customLong("trace-json"), help: ArgumentHelp("Read a trace written by mqttlab broker --trace-json.", valueName: "path"))
    var traceJSON: String?

    @Option(name: .long, help: ArgumentHelp("Read raw bytes (or hex text) from a file.", valueName: "path"))
    var file: String?

    @Flag(name: .long, help: "With a --trace-json file: keep reading as the broker writes it (live mode).")
    var follow = false

    @Flag(name: .long, help: "Print the walk as text instead of the interactive view (the default without a terminal).")
    var plain = false

    @Option(name: .long, help: ArgumentHelp("Start at (with --plain: show only) packet number N.", valueName: "N"))
    var packet: Int?

    @Option(name: .long, help: ArgumentHelp("Show only packets whose client, type or topic match (like the / key).", valueName: "text"))
    var filter: String?

    @Option(name: .customShort("V"), help: ArgumentHelp(
        "Protocol version for packets not preceded by a CONNECT: 3.1, 3.1.1 or 5.", valueName: "version"))
    var protocolVersion: String?

    @Option(name: .long, help: ArgumentHelp("With a capture: also decode TCP connections on this port as MQTT (repeatable).", valueName: "port"))
    var port: [UInt16] = []

    @OptionGroup var output: OutputOptions

    func validate() throws {
        let sources = [!input.isEmpty, pcap != nil, traceJSON != nil, file != nil].filter { $0 }.count
        if sources > 1 { throw ValidationError("give the input one way: a file or hex arguments, --pcap, --trace-json or --file") }
        if let protocolVersion, ProtocolVersion(userText: protocolVersion) == nil {
            throw ValidationError("-V takes 3.1, 3.1.1 or 5, not '\(protocolVersion)'")
        }
        if follow && traceJSON == nil && !(input.count == 1 && input[0].hasSuffix(".jsonl")) {
            throw ValidationError("--follow reads a growing broker trace: use it with --trace-json FILE")
        }
        if let packet, packet < 1 { throw ValidationError("--packet counts from 1") }
    }

    func run() throws {
        let language = output.language
        let source = try InspectSource.resolve(
            input: input, pcap: pcap, traceJSON: traceJSON, file: file, follow: follow)
        let version = protocolVersion.flatMap(ProtocolVersion.init(userText:))
        let (list, follower) = try source.load(version: version, forcedPorts: Set(port), follow: follow)
        for note in list.notes { FileHandle.standardError.write(Data(("mqttlab: " + note + "\n").utf8)) }
        if let packet, follower == nil, !list.packets.contains(where: { $0.number == packet }) {
            throw ValidationError("there is no packet \(packet): the input has \(list.packets.count)")
        }

        let terminal = output.terminal
        let style = Style(enabled: terminal.colors)
        if !plain && isatty(STDOUT_FILENO) == 1 {
            var browser = InspectBrowser(list: list)
            if let filter { browser.applyFilter(filter) }
            if let packet, let position = browser.visible.firstIndex(where: { list.packets[$0].number == packet }) {
                browser.selectPacket(at: position)
            }
            let screen = InspectScreen(language: language, style: style, inputTitle: list.title)
            do {
                try InspectInteractive.run(browser, screen: screen, follower: follower)
                return
            } catch let error as TerminalSessionError {
                FileHandle.standardError.write(Data("mqttlab: \(error); printing the walk as text\n".utf8))
            }
        }
        try runPlain(list, follower: follower, language: language, style: style, width: terminal.width ?? 80)
    }

    private func runPlain(_ list: PacketList, follower: TraceFollower?, language: Language, style: Style, width: Int) throws {
        let renderer = PlainWalkRenderer(language: language, style: style, width: max(60, width))
        let filter = PacketFilter(filter ?? "")
        var shownMalformed = false
        var list = list
        var printed = 0
        func printPackets(from start: Int) {
            let conversations = ConversationIndex(list.packets)
            let chosen = list.packets.indices.dropFirst(start).filter { index in
                (filter.isEmpty || filter.matches(list.packets[index])) && (packet == nil || list.packets[index].number == packet)
            }
            if start == 0 { print(renderer.title(list, shown: chosen.count)) }
            for index in chosen {
                print("")
                print(renderer.render(index, of: list, conversations: conversations))
                if list.packets[index].isMalformed { shownMalformed = true }
            }
            printed = list.packets.count
            fflush(nil)  // all C streams: print() writes through stdout's buffer
        }
        printPackets(from: 0)
        if var follower {
            // Live and plain: print packets as the broker writes them, until interrupted.
            while true {
                usleep(250_000)
                let batch = follower.poll()
                for problem in batch.problems { FileHandle.standardError.write(Data(("mqttlab: " + problem + "\n").utf8)) }
                guard !batch.packets.isEmpty else { continue }
                list.packets += batch.packets
                list.nameClientsFromConnects()
                printPackets(from: printed)
            }
        }
        if shownMalformed { throw ExitCode(1) }
    }
}
