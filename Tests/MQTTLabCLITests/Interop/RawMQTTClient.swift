import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte-level MQTT client for corner cases the mosquitto clients never produce: several packets in one TCP
/// segment, a packet split mid-field, subscription options, binary correlation data, MQTT 3.1, a
/// remaining-length field split across segments. It builds packets by hand; nothing here is validated.
final class RawMQTTClient {
    private var fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw InteropError("socket() failed: errno \(errno)") }
        var noDelay: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close()
            throw InteropError("connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
    }

    deinit {
        close()
    }

    func close() {
        if fd >= 0 {
            _ = shutdown(fd, Int32(SHUT_RDWR))
            #if canImport(Glibc)
            _ = Glibc.close(fd)
            #else
            _ = Darwin.close(fd)
            #endif
            fd = -1
        }
    }

    /// Writes `bytes` with one `send` (on loopback with TCP_NODELAY: one TCP segment).
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { buffer in
                #if canImport(Glibc)
                Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
                #else
                Darwin.send(fd, buffer.baseAddress, buffer.count, 0)
                #endif
            }
            guard sent > 0 else { throw InteropError("send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Reads whatever arrives until the line has been quiet for `quiet` seconds (at most `timeout`).
    @discardableResult
    func drain(quiet: TimeInterval = 0.15, timeout: TimeInterval = 2) -> [UInt8] {
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while Date() < deadline, fd >= 0 {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(quiet * 1000))
            if ready <= 0 { break }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return received
    }

    /// Waits (≤ `timeout` s) until the peer closes the connection.
    func waitForClose(timeout: TimeInterval = 2) {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline, fd >= 0 {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 100) > 0, recv(fd, &buffer, buffer.count, 0) <= 0 { return }
        }
    }
}

/// Hand-made MQTT packet bytes.
enum RawMQTT {
    static func varint(_ value: Int) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(value % 128)
            value /= 128
            if value > 0 { byte |= 0x80 }
            out.append(byte)
        } while value > 0
        return out
    }

    static func u16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func u32(_ value: Int) -> [UInt8] { [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func string(_ text: String) -> [UInt8] { binary(Array(text.utf8)) }
    static func binary(_ bytes: [UInt8]) -> [UInt8] { u16(bytes.count) + bytes }
    static func properties(_ bytes: [UInt8]) -> [UInt8] { varint(bytes.count) + bytes }

    static func packet(_ firstByte: UInt8, _ body: [UInt8]) -> [UInt8] { [firstByte] + varint(body.count) + body }

    static func connect5(clientID: String, flags: UInt8 = 0x02, keepAlive: Int = 60, properties props: [UInt8] = [], payloadTail: [UInt8] = []) -> [UInt8] {
        packet(0x10, string("MQTT") + [5, flags] + u16(keepAlive) + properties(props) + string(clientID) + payloadTail)
    }
}
