/// What the first TLS messages say in clear text. A ClientHello and a ServerHello travel unencrypted in
/// every TLS version, so anyone on the network path reads them; the broker's trace and the eavesdropper's
/// view read them the same way, from the raw bytes (RFC 8446 §4.1.2–4.1.3, RFC 5246 §7.4.1).
public struct TLSClientHello: Sendable, Equatable {
    /// Versions the client offers, newest first (0x0304 = TLS 1.3); GREASE values left out.
    public var offeredVersions: [UInt16]
    /// Server Name Indication: the host name the client asked for, if it sent one.
    public var serverName: String?
    /// ALPN protocols the client offers (`mqtt`, `x-amzn-mqtt-ca`, …).
    public var applicationProtocols: [String]
    /// Cipher suites offered (GREASE values left out).
    public var cipherSuites: [UInt16]
}

/// The server's answer: the version and cipher suite chosen.
public struct TLSServerHello: Sendable, Equatable {
    public var version: UInt16
    public var cipherSuite: UInt16
}

/// Names for what a TLS record header and hello carry.
public enum TLSNames {
    /// "TLS 1.3" for 0x0304, "SSL 3.0" for 0x0300, "0x7f1c" otherwise.
    public static func version(_ value: UInt16) -> String {
        switch value {
        case 0x0300: "SSL 3.0"
        case 0x0301: "TLS 1.0"
        case 0x0302: "TLS 1.1"
        case 0x0303: "TLS 1.2"
        case 0x0304: "TLS 1.3"
        default: "0x" + String(value, radix: 16)
        }
    }

    /// IANA names of the suites a TLS 1.2/1.3 stack negotiates in practice; others as hex.
    public static func cipherSuite(_ value: UInt16) -> String {
        switch value {
        case 0x1301: "TLS_AES_128_GCM_SHA256"
        case 0x1302: "TLS_AES_256_GCM_SHA384"
        case 0x1303: "TLS_CHACHA20_POLY1305_SHA256"
        case 0xC02B: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
        case 0xC02C: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
        case 0xC02F: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
        case 0xC030: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
        case 0xCCA8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
        case 0xCCA9: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"
        case 0xC009: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"
        case 0xC013: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"
        case 0x009C: "TLS_RSA_WITH_AES_128_GCM_SHA256"
        case 0x002F: "TLS_RSA_WITH_AES_128_CBC_SHA"
        default: "0x" + String(value, radix: 16)
        }
    }

    /// GREASE values (RFC 8701) are random-looking placeholders that mean nothing.
    static func isGREASE(_ value: UInt16) -> Bool { value & 0x0F0F == 0x0A0A && value >> 8 == value & 0xFF }
}

/// Reassembles the first handshake message of one direction from TLS records and parses it. Bounded: it
/// keeps at most `limit` bytes and gives up on anything that is not a handshake record.
public struct TLSHelloReader: Sendable {
    public enum Outcome: Equatable, Sendable {
        /// Need more bytes.
        case incomplete
        case clientHello(TLSClientHello)
        case serverHello(TLSServerHello)
        /// Not TLS, or a hello that breaks the format: nothing more to learn.
        case notAHello
    }

    /// A ClientHello with many extensions (post-quantum key shares) is a few KB; 16 KB is one full record.
    static let limit = 16 * 1024 + 5

    private var buffer: [UInt8] = []
    public private(set) var done = false

    public init() {}

    /// Feeds the next bytes of the stream; returns the hello once it is complete.
    public mutating func append(_ bytes: some Collection<UInt8>) -> Outcome {
        guard !done else { return .incomplete }
        let room = Self.limit - buffer.count
        buffer.append(contentsOf: bytes.prefix(room))
        let outcome = Self.parse(records: buffer)
        if outcome != .incomplete || buffer.count >= Self.limit {
            done = true
            buffer = []
            return outcome == .incomplete ? .notAHello : outcome
        }
        return .incomplete
    }

    /// The handshake bytes carried by the records at the start of `stream`, then the first message in them.
    static func parse(records stream: [UInt8]) -> Outcome {
        var handshake: [UInt8] = []
        var offset = 0
        while offset + 5 <= stream.count {
            guard stream[offset] == 22 else { return handshake.isEmpty ? .notAHello : parse(handshake: handshake) }
            let length = Int(stream[offset + 3]) << 8 | Int(stream[offset + 4])
            guard offset + 5 + length <= stream.count else { break }
            handshake += stream[(offset + 5)..<(offset + 5 + length)]
            offset += 5 + length
            let outcome = parse(handshake: handshake)
            if outcome != .incomplete { return outcome }
        }
        if offset == 0, let first = stream.first, first != 22 { return .notAHello }
        return .incomplete
    }

    static func parse(handshake: [UInt8]) -> Outcome {
        guard handshake.count >= 4 else { return .incomplete }
        let length = Int(handshake[1]) << 16 | Int(handshake[2]) << 8 | Int(handshake[3])
        guard handshake.count >= 4 + length else { return .incomplete }
        var reader = Reader(Array(handshake[4..<(4 + length)]))
        switch handshake[0] {
        case 1: return clientHello(&reader).map(Outcome.clientHello) ?? .notAHello
        case 2: return serverHello(&reader).map(Outcome.serverHello) ?? .notAHello
        default: return .notAHello
        }
    }

    private static func clientHello(_ reader: inout Reader) -> TLSClientHello? {
        guard let legacyVersion = reader.u16(), reader.skip(32), let sessionLength = reader.u8(), reader.skip(Int(sessionLength)),
              let suitesLength = reader.u16(), let suiteBytes = reader.bytes(Int(suitesLength)),
              let compressionLength = reader.u8(), reader.skip(Int(compressionLength))
        else { return nil }
        var suites: [UInt16] = []
        var index = 0
        while index + 1 < suiteBytes.count {
            let suite = UInt16(suiteBytes[index]) << 8 | UInt16(suiteBytes[index + 1])
            if !TLSNames.isGREASE(suite) { suites.append(suite) }
            index += 2
        }
        var hello = TLSClientHello(offeredVersions: [legacyVersion], serverName: nil, applicationProtocols: [], cipherSuites: suites)
        guard let extensionsLength = reader.u16(), let extensionBytes = reader.bytes(Int(extensionsLength)) else { return hello }
        var extensions = Reader(extensionBytes)
        while let type = extensions.u16(), let length = extensions.u16(), let data = extensions.bytes(Int(length)) {
            var body = Reader(data)
            switch type {
            case 0:  // server_name: list of (type, name); type 0 = host name
                _ = body.u16()
                while let kind = body.u8(), let nameLength = body.u16(), let name = body.bytes(Int(nameLength)) {
                    if kind == 0 { hello.serverName = String(decoding: name, as: UTF8.self) }
                }
            case 16:  // application_layer_protocol_negotiation
                _ = body.u16()
                while let protocolLength = body.u8(), let name = body.bytes(Int(protocolLength)) {
                    hello.applicationProtocols.append(String(decoding: name, as: UTF8.self))
                }
            case 43:  // supported_versions: replaces the legacy version field when present
                if let count = body.u8(), let list = body.bytes(Int(count)) {
                    var versions: [UInt16] = []
                    var at = 0
                    while at + 1 < list.count {
                        let version = UInt16(list[at]) << 8 | UInt16(list[at + 1])
                        if !TLSNames.isGREASE(version) { versions.append(version) }
                        at += 2
                    }
                    if !versions.isEmpty { hello.offeredVersions = versions.sorted(by: >) }
                }
            default:
                break
            }
        }
        return hello
    }

    private static func serverHello(_ reader: inout Reader) -> TLSServerHello? {
        guard let legacyVersion = reader.u16(), reader.skip(32), let sessionLength = reader.u8(), reader.skip(Int(sessionLength)),
              let suite = reader.u16(), reader.skip(1)
        else { return nil }
        var hello = TLSServerHello(version: legacyVersion, cipherSuite: suite)
        guard let extensionsLength = reader.u16(), let extensionBytes = reader.bytes(Int(extensionsLength)) else { return hello }
        var extensions = Reader(extensionBytes)
        while let type = extensions.u16(), let length = extensions.u16(), let data = extensions.bytes(Int(length)) {
            var body = Reader(data)
            if type == 43, let selected = body.u16() { hello.version = selected }
        }
        return hello
    }

    /// A bounds-checked cursor: every read returns nil past the end instead of trapping.
    struct Reader: Sendable {
        private let bytes: [UInt8]
        private var offset = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func u8() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func u16() -> UInt16? {
            guard offset + 2 <= bytes.count else { return nil }
            defer { offset += 2 }
            return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
        }

        mutating func bytes(_ count: Int) -> [UInt8]? {
            guard count >= 0, offset + count <= bytes.count else { return nil }
            defer { offset += count }
            return Array(bytes[offset..<(offset + count)])
        }

        mutating func skip(_ count: Int) -> Bool { bytes(count) != nil }
    }
}
