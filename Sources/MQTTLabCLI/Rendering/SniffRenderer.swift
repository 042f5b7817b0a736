import MQTTBroker
import MQTTBrokerCore
import MQTTCodec

/// The eavesdropper's view (`mqttlab sniff`, `mqttlab broker --sniff`): every socket read and write of the
/// broker's own listeners, as a network observer would capture it.
///
/// - On a plain listener the bytes are MQTT: the hex dump shows them with their text, and a line says
///   what the observer can read in them; in a CONNECT the user name and password are marked (the
///   password masked as •••• unless `--show-secrets`, as in every trace).
/// - On a TLS listener only TLS records: content type in words, version, length and a few bytes of the
///   unreadable payload; and the clear-text parts of the ClientHello (SNI, ALPN, versions).
///
/// Runs on the broker's event loop like every sink: it builds text and hands it to `emit`. Its state is
/// bounded: per connection a framer that keeps at most one packet of `plainPacketLimit` bytes, a TLS
/// record header, and a hello reader (16 KB); at most `connectionLimit` connections are remembered.
final class SniffRenderer: BrokerTraceSink {
    let language: Language
    let style: Style
    let showSecrets: Bool
    private let emit: (String) -> Void
    private var connections: [ConnectionID: SniffConnection] = [:]

    /// Hex rows shown per socket read or write; the rest is counted.
    static let rowsShown = 8
    /// A plain packet bigger than this is not decoded (its bytes are still shown).
    static let plainPacketLimit = 64 * 1024
    static let connectionLimit = 1024

    init(language: Language, style: Style, showSecrets: Bool, emit: @escaping (String) -> Void) {
        self.language = language
        self.style = style
        self.showSecrets = showSecrets
        self.emit = emit
    }

    private func t(_ en: String, _ es: String) -> String { language == .es ? es : en }

    func trace(packet record: BrokerPacketRecord) {}
    func trace(event: BrokerEvent, at time: BrokerWallClock) {}

    func trace(wire record: BrokerWireRecord) {
        var connection = connections[record.connection] ?? newConnection(record)
        let lines = record.isTLS ? tlsLines(record, &connection) : plainLines(record, &connection)
        connections[record.connection] = connection
        let time = PacketTraceLines.time(seconds: record.time.seconds, nanoseconds: record.time.nanoseconds)
        let arrow = record.direction == .incoming ? "→" : "←"
        let kind = record.isTLS ? "TLS" : t("plain TCP", "TCP sin cifrar")
        emit(time + "  " + style.bold("\(record.connection) \(arrow) :\(record.localPort)") + " · \(record.remote) · \(kind) · "
             + t("\(record.bytes.count) bytes", "\(record.bytes.count) bytes"))
        for line in lines { emit(PacketTraceLines.indent + line) }
    }

    private func newConnection(_ record: BrokerWireRecord) -> SniffConnection {
        if connections.count >= Self.connectionLimit, let oldest = connections.keys.min(by: { $0.rawValue < $1.rawValue }) {
            connections[oldest] = nil
        }
        return SniffConnection(inbound: PacketFramer(maximumPacketSize: Self.plainPacketLimit),
                               outbound: PacketFramer(maximumPacketSize: Self.plainPacketLimit))
    }

    // MARK: Plain MQTT

    private func plainLines(_ record: BrokerWireRecord, _ connection: inout SniffConnection) -> [String] {
        let incoming = record.direction == .incoming
        var packets: [[UInt8]] = []
        if !connection.framingLost {
            do {
                if incoming { connection.inbound.append(record.bytes) } else { connection.outbound.append(record.bytes) }
                while let packet = try (incoming ? connection.inbound.next() : connection.outbound.next()) { packets.append(packet) }
            } catch {
                connection.framingLost = true
            }
        }
        // Where the CONNECT's secrets sit in this chunk: it is the first packet in, starting at byte 0 of
        // the first read (what a client sends first).
        var secrets: [(range: Range<Int>, isPassword: Bool)] = []
        var readable: [String] = []
        let summary = BrokerTraceSummary(language: language, showSecrets: showSecrets)
        for bytes in packets {
            guard let packet = try? PacketDecoder.decode(bytes, version: connection.version) else { continue }
            if incoming, case .connect(let connect) = packet {
                connection.version = connect.version
                if !connection.sawConnect, bytes.count <= record.bytes.count, Array(record.bytes.prefix(bytes.count)) == bytes {
                    secrets = Self.credentialRanges(bytes, version: connect.version)
                }
                connection.sawConnect = true
            }
            let line = "\(packet.type) · " + summary.summary(packet, version: connection.version,
                                                                   direction: incoming ? .clientToBroker : .brokerToClient)
            readable.append(line)
        }
        var lines = hexRows(record.bytes, secrets: secrets)
        for line in readable {
            lines.append(style.error("⚠ ") + t("an observer reads: ", "un observador lee: ") + line)
        }
        if !secrets.isEmpty {
            lines.append(style.error("⚠ " + t("user name and password cross the network in clear text: anyone on the path reads them",
                                              "usuario y contraseña cruzan la red sin cifrar: cualquiera en el camino los lee")))
        }
        return lines
    }

    /// Byte ranges of the user name and password fields of a CONNECT, from the codec's dissection.
    static func credentialRanges(_ bytes: [UInt8], version: ProtocolVersion) -> [(range: Range<Int>, isPassword: Bool)] {
        var found: [(Range<Int>, Bool)] = []
        func visit(_ fields: [Field]) {
            for field in fields {
                switch field.kind {
                case .username: found.append((field.range, false))
                case .password: found.append((field.range, true))
                default: break
                }
                visit(field.children)
            }
        }
        visit(PacketDecoder.dissect(bytes, version: version).fields)
        return found
    }

    /// "0000  10 2a 00 04 …  ..MQTT.." rows; secret bytes marked, the password masked unless --show-secrets.
    private func hexRows(_ bytes: [UInt8], secrets: [(range: Range<Int>, isPassword: Bool)]) -> [String] {
        var rows: [String] = []
        let shown = min(bytes.count, Self.rowsShown * 16)
        var offset = 0
        while offset < shown {
            let end = min(offset + 16, shown)
            var hex: [String] = []
            var text = ""
            for index in offset..<end {
                let byte = bytes[index]
                let secret = secrets.first { $0.range.contains(index) }
                let masked = secret?.isPassword == true && !showSecrets
                var cell = masked ? "••" : Hex.byte(byte)
                var character = masked ? "•" : ((0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : ".")
                if secret != nil {
                    cell = style.error(cell)
                    character = style.error(character)
                }
                hex.append(cell)
                text += character
            }
            let padding = String(repeating: "   ", count: 16 - (end - offset))
            rows.append(Self.offset(offset) + "  " + hex.joined(separator: " ") + padding + "  " + text)
            offset = end
        }
        if bytes.count > shown {
            rows.append(t("… \(bytes.count - shown) more bytes", "… \(bytes.count - shown) bytes más"))
        }
        return rows
    }

    private static func offset(_ value: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }

    // MARK: TLS

    private func tlsLines(_ record: BrokerWireRecord, _ connection: inout SniffConnection) -> [String] {
        let incoming = record.direction == .incoming
        var lines: [String] = []
        var splitter = incoming ? connection.inboundRecords : connection.outboundRecords
        for header in splitter.append(record.bytes) {
            var line = t("record: ", "registro: ") + Self.contentType(header.type, language) + " · " + TLSNames.version(header.version)
                + " · " + t("\(header.length) bytes", "\(header.length) bytes")
            if header.type == 23 {
                line += " · " + t("unreadable: ", "ilegible: ") + header.preview.map(Hex.byte).joined(separator: " ") + " …"
            }
            lines.append(line)
        }
        if incoming { connection.inboundRecords = splitter } else { connection.outboundRecords = splitter }
        if incoming, !connection.helloReader.done, case .clientHello(let hello) = connection.helloReader.append(record.bytes) {
            var seen = ["SNI " + (hello.serverName.map { "\"\($0)\"" } ?? t("(none)", "(ninguno)"))]
            if !hello.applicationProtocols.isEmpty { seen.append("ALPN " + hello.applicationProtocols.joined(separator: ", ")) }
            seen.append(t("versions ", "versiones ") + hello.offeredVersions.map(TLSNames.version).joined(separator: ", "))
            seen.append(t("\(hello.cipherSuites.count) cipher suites", "\(hello.cipherSuites.count) suites de cifrado"))
            lines.append(t("an observer reads in the ClientHello: ", "un observador lee en el ClientHello: ") + seen.joined(separator: " · "))
        }
        if lines.isEmpty {
            lines.append(t("(the middle of a record: encrypted bytes)", "(mitad de un registro: bytes cifrados)"))
        }
        return lines
    }

    static func contentType(_ type: UInt8, _ language: Language) -> String {
        let es = language == .es
        switch type {
        case 20: return es ? "cambio de cifrado (20)" : "change cipher spec (20)"
        case 21: return es ? "alerta (21)" : "alert (21)"
        case 22: return es ? "saludo, handshake (22)" : "handshake (22)"
        case 23: return es ? "datos de aplicación cifrados (23)" : "encrypted application data (23)"
        default: return (es ? "tipo desconocido " : "unknown type ") + "(\(type))"
        }
    }
}

/// What the eavesdropper's view remembers about one connection.
struct SniffConnection {
    var inbound: PacketFramer
    var outbound: PacketFramer
    var version: ProtocolVersion = .v3_1_1
    var sawConnect = false
    /// The stream broke MQTT's framing: bytes are still shown, no longer decoded.
    var framingLost = false
    var inboundRecords = TLSRecordSplitter()
    var outboundRecords = TLSRecordSplitter()
    var helloReader = TLSHelloReader()
}

/// Finds TLS record headers (type, version, length) in a stream cut anywhere. Keeps at most a partial
/// 5-byte header and a count of body bytes still to skip.
struct TLSRecordSplitter {
    struct Header: Equatable {
        var type: UInt8
        var version: UInt16
        var length: Int
        /// Up to 12 bytes of the record's body, as far as this chunk has them.
        var preview: [UInt8]
    }

    private var partialHeader: [UInt8] = []
    private var bodyLeft = 0

    mutating func append(_ bytes: [UInt8]) -> [Header] {
        var headers: [Header] = []
        var index = 0
        while index < bytes.count {
            if bodyLeft > 0 {
                let skip = min(bodyLeft, bytes.count - index)
                bodyLeft -= skip
                index += skip
                continue
            }
            partialHeader.append(bytes[index])
            index += 1
            guard partialHeader.count == 5 else { continue }
            let length = Int(partialHeader[3]) << 8 | Int(partialHeader[4])
            let preview = Array(bytes[index..<min(bytes.count, index + min(12, length))])
            headers.append(Header(type: partialHeader[0], version: UInt16(partialHeader[1]) << 8 | UInt16(partialHeader[2]),
                                  length: length, preview: preview))
            partialHeader.removeAll(keepingCapacity: true)
            bodyLeft = length
        }
        return headers
    }
}
