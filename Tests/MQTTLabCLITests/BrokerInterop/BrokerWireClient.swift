import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The MQTT version a hand-built packet speaks.
enum WireVersion: Int, Sendable, CustomStringConvertible {
    case v311 = 4
    case v5 = 5

    var description: String { self == .v5 ? "5.0" : "3.1.1" }
    var mosquitto: InteropMQTTVersion { self == .v5 ? .v5 : .v311 }
}

/// One whole MQTT packet read from the broker.
struct WirePacket: CustomStringConvertible {
    let bytes: [UInt8]
    /// Bytes of the fixed header (type byte + remaining length).
    let headerLength: Int

    var firstByte: UInt8 { bytes[0] }
    var type: UInt8 { bytes[0] >> 4 }
    var flags: UInt8 { bytes[0] & 0x0F }
    var body: [UInt8] { Array(bytes[headerLength...]) }

    static let names = [
        1: "CONNECT", 2: "CONNACK", 3: "PUBLISH", 4: "PUBACK", 5: "PUBREC", 6: "PUBREL", 7: "PUBCOMP", 8: "SUBSCRIBE",
        9: "SUBACK", 10: "UNSUBSCRIBE", 11: "UNSUBACK", 12: "PINGREQ", 13: "PINGRESP", 14: "DISCONNECT", 15: "AUTH",
    ]
    var typeName: String { Self.names[Int(type)] ?? "type \(type)" }
    var description: String { "\(typeName) [\(BrokerWire.hex(bytes.prefix(64)))\(bytes.count > 64 ? " …" : "")]" }

    /// The 5.0 reason code of a DISCONNECT (0x00 when the packet has no body).
    var disconnectReason: UInt8? {
        guard type == 14 else { return nil }
        return bytes.count > headerLength ? bytes[headerLength] : 0x00
    }
}

/// What one read from the socket produced.
enum WireEvent: CustomStringConvertible {
    case packet(WirePacket)
    /// The broker closed the connection (EOF or reset).
    case closed
    case timedOut

    var description: String {
        switch self {
        case .packet(let packet): return packet.description
        case .closed: return "connection closed"
        case .timedOut: return "nothing (timed out)"
        }
    }
}

/// One 5.0 property as read off the wire.
struct WireProperty: Equatable, CustomStringConvertible {
    enum Value: Equatable {
        case integer(UInt32)
        case string(String)
        case binary([UInt8])
        case pair(String, String)
    }

    let id: UInt8
    let value: Value

    var description: String { "0x\(String(id, radix: 16)): \(value)" }
}

/// A CONNACK, parsed for either version.
struct WireConnack: CustomStringConvertible {
    let sessionPresent: Bool
    /// 3.1.1 return code or 5.0 reason code.
    let code: UInt8
    let properties: [WireProperty]
    let raw: WirePacket

    func property(_ id: UInt8) -> WireProperty.Value? { properties.first { $0.id == id }?.value }
    var description: String { "CONNACK sp=\(sessionPresent) code=0x\(String(code, radix: 16)) \(properties) \(raw)" }
}

/// A PUBLISH from the broker, parsed.
struct WirePublish: CustomStringConvertible {
    let topic: String
    let qos: UInt8
    let retain: Bool
    let dup: Bool
    let packetID: Int?
    let properties: [WireProperty]
    let payload: [UInt8]

    var text: String { String(decoding: payload, as: UTF8.self) }
    var description: String { "PUBLISH \(topic) q\(qos) r\(retain ? 1 : 0) d\(dup ? 1 : 0) id \(packetID.map(String.init) ?? "-") \(properties) \"\(text)\"" }
}

/// Hand-built packets (on top of `RawMQTT` from the interop helpers) and parsers for what comes back.
enum BrokerWire {
    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined(separator: " ")
    }

    /// A will for `connect`.
    struct Will {
        var topic: String
        var payload: [UInt8]
        var qos: UInt8 = 0
        var retain = false
        /// 5.0 will properties (already encoded, without the length).
        var properties: [UInt8] = []
    }

    /// CONNECT for either version. `protocolName`/`level` override the standard ones (for negotiation tests).
    static func connect(
        _ version: WireVersion, clientID: String, clean: Bool = true, keepAlive: Int = 60, will: Will? = nil,
        properties: [UInt8] = [], protocolName: String = "MQTT", level: UInt8? = nil,
        username: String? = nil, password: [UInt8]? = nil
    ) -> [UInt8] {
        var flags: UInt8 = clean ? 0x02 : 0x00
        var payload = RawMQTT.string(clientID)
        if let will {
            flags |= 0x04 | (will.qos << 3) | (will.retain ? 0x20 : 0)
            if version == .v5 { payload += RawMQTT.properties(will.properties) }
            payload += RawMQTT.string(will.topic) + RawMQTT.binary(will.payload)
        }
        if let username {
            flags |= 0x80
            payload += RawMQTT.string(username)
        }
        if let password {
            flags |= 0x40
            payload += RawMQTT.binary(password)
        }
        var variable = RawMQTT.string(protocolName) + [level ?? UInt8(version.rawValue), flags] + RawMQTT.u16(keepAlive)
        if version == .v5 { variable += RawMQTT.properties(properties) }
        return RawMQTT.packet(0x10, variable + payload)
    }

    /// SUBSCRIBE; `options` is the 3.1.1 requested QoS or the 5.0 subscription options byte.
    static func subscribe(_ version: WireVersion, id: Int, _ filters: [(String, UInt8)], properties: [UInt8] = []) -> [UInt8] {
        var body = RawMQTT.u16(id)
        if version == .v5 { body += RawMQTT.properties(properties) }
        for (filter, options) in filters { body += RawMQTT.string(filter) + [options] }
        return RawMQTT.packet(0x82, body)
    }

    static func publish(
        _ version: WireVersion, topic: String, payload: [UInt8], qos: UInt8 = 0, retain: Bool = false, id: Int = 1,
        properties: [UInt8] = []
    ) -> [UInt8] {
        var body = RawMQTT.string(topic)
        if qos > 0 { body += RawMQTT.u16(id) }
        if version == .v5 { body += RawMQTT.properties(properties) }
        return RawMQTT.packet(0x30 | (qos << 1) | (retain ? 1 : 0), body + payload)
    }

    static func puback(_ id: Int) -> [UInt8] { RawMQTT.packet(0x40, RawMQTT.u16(id)) }
    static let pingreq: [UInt8] = [0xC0, 0x00]
    static let disconnect: [UInt8] = [0xE0, 0x00]

    /// Splits one whole packet off the front of `buffer`; nil when more bytes are needed.
    static func splitPacket(_ buffer: inout [UInt8]) throws -> WirePacket? {
        guard buffer.count >= 2 else { return nil }
        var length = 0
        var multiplier = 1
        var index = 1
        while true {
            guard index < buffer.count else { return nil }
            let byte = buffer[index]
            length += Int(byte & 0x7F) * multiplier
            index += 1
            if byte & 0x80 == 0 { break }
            multiplier *= 128
            if index > 4 { throw InteropError("broker sent a remaining length longer than 4 bytes: \(hex(buffer.prefix(8)))") }
        }
        guard buffer.count >= index + length else { return nil }
        let packet = WirePacket(bytes: Array(buffer[0..<(index + length)]), headerLength: index)
        buffer.removeFirst(index + length)
        return packet
    }

    /// Reads a property block at `offset` (the length varint first); returns the properties and the offset after them.
    static func properties(in bytes: [UInt8], at offset: Int) throws -> ([WireProperty], Int) {
        var cursor = offset
        let length = try varint(bytes, &cursor)
        let end = cursor + length
        guard end <= bytes.count else { throw InteropError("property length \(length) runs past the packet: \(hex(bytes))") }
        var result: [WireProperty] = []
        func u16() throws -> Int {
            guard cursor + 2 <= end else { throw InteropError("truncated property") }
            defer { cursor += 2 }
            return Int(bytes[cursor]) << 8 | Int(bytes[cursor + 1])
        }
        func blob() throws -> [UInt8] {
            let count = try u16()
            guard cursor + count <= end else { throw InteropError("truncated property") }
            defer { cursor += count }
            return Array(bytes[cursor..<(cursor + count)])
        }
        func text() throws -> String { String(decoding: try blob(), as: UTF8.self) }
        while cursor < end {
            let id = bytes[cursor]
            cursor += 1
            let value: WireProperty.Value
            switch id {
            case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A:
                guard cursor < end else { throw InteropError("truncated property") }
                value = .integer(UInt32(bytes[cursor]))
                cursor += 1
            case 0x13, 0x21, 0x22, 0x23:
                value = .integer(UInt32(try u16()))
            case 0x02, 0x11, 0x18, 0x27:
                guard cursor + 4 <= end else { throw InteropError("truncated property") }
                value = .integer(bytes[cursor..<(cursor + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
                cursor += 4
            case 0x0B:
                value = .integer(UInt32(try varint(bytes, &cursor)))
            case 0x03, 0x08, 0x12, 0x15, 0x1A, 0x1C, 0x1F:
                value = .string(try text())
            case 0x09, 0x16:
                value = .binary(try blob())
            case 0x26:
                let key = try text()
                value = .pair(key, try text())
            default:
                throw InteropError("unknown property id 0x\(String(id, radix: 16)) in \(hex(bytes))")
            }
            result.append(WireProperty(id: id, value: value))
        }
        return (result, end)
    }

    static func varint(_ bytes: [UInt8], _ cursor: inout Int) throws -> Int {
        var value = 0
        var multiplier = 1
        for _ in 0..<4 {
            guard cursor < bytes.count else { throw InteropError("truncated variable byte integer") }
            let byte = bytes[cursor]
            cursor += 1
            value += Int(byte & 0x7F) * multiplier
            if byte & 0x80 == 0 { return value }
            multiplier *= 128
        }
        throw InteropError("variable byte integer longer than 4 bytes")
    }

    static func connack(_ packet: WirePacket, _ version: WireVersion) throws -> WireConnack {
        let body = packet.body
        guard packet.firstByte == 0x20, body.count >= 2 else { throw InteropError("expected a CONNACK, got \(packet)") }
        var properties: [WireProperty] = []
        if version == .v5, body.count > 2 {
            properties = try Self.properties(in: body, at: 2).0
        }
        return WireConnack(sessionPresent: body[0] & 0x01 == 1, code: body[1], properties: properties, raw: packet)
    }

    static func publish(_ packet: WirePacket, _ version: WireVersion) throws -> WirePublish {
        guard packet.type == 3 else { throw InteropError("expected a PUBLISH, got \(packet)") }
        let body = packet.body
        guard body.count >= 2 else { throw InteropError("short PUBLISH \(packet)") }
        let topicLength = Int(body[0]) << 8 | Int(body[1])
        var cursor = 2 + topicLength
        guard cursor <= body.count else { throw InteropError("short PUBLISH \(packet)") }
        let topic = String(decoding: body[2..<cursor], as: UTF8.self)
        let qos = (packet.flags >> 1) & 0x03
        var packetID: Int?
        if qos > 0 {
            guard cursor + 2 <= body.count else { throw InteropError("short PUBLISH \(packet)") }
            packetID = Int(body[cursor]) << 8 | Int(body[cursor + 1])
            cursor += 2
        }
        var properties: [WireProperty] = []
        if version == .v5 {
            (properties, cursor) = try Self.properties(in: body, at: cursor)
        }
        return WirePublish(
            topic: topic, qos: qos, retain: packet.flags & 0x01 == 1, dup: packet.flags & 0x08 != 0, packetID: packetID,
            properties: properties, payload: Array(body[cursor...])
        )
    }

    /// SUBACK return/reason codes (after the packet id and, in 5.0, the properties).
    static func subackCodes(_ packet: WirePacket, _ version: WireVersion) throws -> (id: Int, codes: [UInt8]) {
        guard packet.firstByte == 0x90 else { throw InteropError("expected a SUBACK, got \(packet)") }
        let body = packet.body
        guard body.count >= 3 else { throw InteropError("short SUBACK \(packet)") }
        var cursor = 2
        if version == .v5 { cursor = try properties(in: body, at: cursor).1 }
        return (Int(body[0]) << 8 | Int(body[1]), Array(body[cursor...]))
    }
}

/// A TCP connection to the broker that reads whole packets, for the tests that need exact bytes or misbehaviour.
final class BrokerWireClient {
    let version: WireVersion
    private var fd: Int32
    private var buffer: [UInt8] = []
    private(set) var peerClosed = false

    init(port: Int, version: WireVersion) throws {
        self.version = version
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw InteropError("socket() failed: errno \(errno)") }
        var noDelay: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                #if canImport(Glibc)
                Glibc.connect(fd, address, socklen_t(MemoryLayout<sockaddr_in>.size))
                #else
                Darwin.connect(fd, address, socklen_t(MemoryLayout<sockaddr_in>.size))
                #endif
            }
        }
        guard result == 0 else {
            let error = errno
            close()
            throw InteropError("connect to 127.0.0.1:\(port) failed: errno \(error)")
        }
    }

    deinit {
        close()
    }

    /// Closes the socket (FIN, no DISCONNECT).
    func close() {
        guard fd >= 0 else { return }
        _ = shutdown(fd, Int32(SHUT_RDWR))
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
        fd = -1
    }

    /// Writes all of `bytes`; throws if the broker has closed the connection.
    func send(_ bytes: [UInt8]) throws {
        guard fd >= 0 else { throw InteropError("socket already closed") }
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { buffer in
                #if canImport(Glibc)
                Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
                #else
                Darwin.send(fd, buffer.baseAddress, buffer.count, 0)
                #endif
            }
            guard sent > 0 else { throw InteropError("send failed: errno \(errno) (broker closed the connection?)") }
            offset += sent
        }
    }

    /// The next packet, or `.closed`, or `.timedOut` after `timeout` seconds.
    func next(timeout: TimeInterval = 5) throws -> WireEvent {
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let packet = try BrokerWire.splitPacket(&buffer) { return .packet(packet) }
            if peerClosed || fd < 0 { return .closed }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return .timedOut }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(max(1, min(remaining, 1) * 1000)))
            if ready < 0, errno != EINTR { peerClosed = true; continue }
            if ready <= 0 { continue }
            let count = recv(fd, &chunk, chunk.count, 0)
            if count <= 0 {
                peerClosed = true  // EOF or reset
                continue
            }
            buffer += chunk[0..<count]
        }
    }

    /// The next packet; throws with what came instead if it is not of `type`.
    func expect(_ type: UInt8, timeout: TimeInterval = 5, _ context: String = "") throws -> WirePacket {
        let event = try next(timeout: timeout)
        guard case .packet(let packet) = event, packet.type == type else {
            throw InteropError("\(context.isEmpty ? "" : context + ": ")expected \(WirePacket.names[Int(type)] ?? "?"), got \(event)")
        }
        return packet
    }

    /// Reads until the broker closes (or `timeout`): the packets it sent first, and whether it closed.
    func collectUntilClose(timeout: TimeInterval = 5) throws -> (packets: [WirePacket], closed: Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        var packets: [WirePacket] = []
        while true {
            switch try next(timeout: max(0, deadline.timeIntervalSinceNow)) {
            case .packet(let packet): packets.append(packet)
            case .closed: return (packets, true)
            case .timedOut: return (packets, false)
            }
        }
    }

    /// Sends CONNECT and returns the parsed CONNACK.
    @discardableResult
    func connect(
        clientID: String, clean: Bool = true, keepAlive: Int = 60, will: BrokerWire.Will? = nil, properties: [UInt8] = [],
        username: String? = nil, password: [UInt8]? = nil
    ) throws -> WireConnack {
        try send(BrokerWire.connect(version, clientID: clientID, clean: clean, keepAlive: keepAlive, will: will, properties: properties,
                                    username: username, password: password))
        return try BrokerWire.connack(try expect(2, "CONNECT \(clientID)"), version)
    }

    /// Sends SUBSCRIBE and returns the SUBACK codes (after checking its packet id).
    @discardableResult
    func subscribe(id: Int = 1, _ filters: [(String, UInt8)], properties: [UInt8] = []) throws -> [UInt8] {
        try send(BrokerWire.subscribe(version, id: id, filters, properties: properties))
        let (ackID, codes) = try BrokerWire.subackCodes(try expect(9, "SUBSCRIBE \(filters.map(\.0))"), version)
        guard ackID == id else { throw InteropError("SUBACK carries id \(ackID), SUBSCRIBE had \(id) [MQTT-3.8.4-2]") }
        return codes
    }

    /// The next PUBLISH (QoS 1 is acknowledged); nil when none arrives within `timeout`. Throws on other packets or close.
    func nextPublish(timeout: TimeInterval = 5) throws -> WirePublish? {
        let event = try next(timeout: timeout)
        switch event {
        case .timedOut: return nil
        case .closed: throw InteropError("connection closed while waiting for a PUBLISH")
        case .packet(let packet):
            let publish = try BrokerWire.publish(packet, version)
            if publish.qos == 1, let id = publish.packetID { try send(BrokerWire.puback(id)) }
            if publish.qos == 2, let id = publish.packetID {
                try send(RawMQTT.packet(0x50, RawMQTT.u16(id)))
                _ = try expect(6, "PUBREL for id \(id)")
                try send(RawMQTT.packet(0x70, RawMQTT.u16(id)))
            }
            return publish
        }
    }

    /// Collects PUBLISHes until the line has been quiet for `quiet` seconds (at most `timeout`).
    func publishes(quiet: TimeInterval = 0.5, timeout: TimeInterval = 5) throws -> [WirePublish] {
        let deadline = Date().addingTimeInterval(timeout)
        var result: [WirePublish] = []
        while Date() < deadline, let publish = try nextPublish(timeout: min(quiet, max(0.01, deadline.timeIntervalSinceNow))) {
            result.append(publish)
        }
        return result
    }
}
