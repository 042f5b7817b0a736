import MQTTCodec
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A bare MQTT client on a plain POSIX socket: writes packets encoded by the codec (or raw bytes) and
/// reads answers with the codec's framer and decoder. Every read has a deadline, so a broken broker
/// fails a test instead of hanging it.
final class WireClient {
    enum Failure: Error, CustomStringConvertible {
        case socket(String)
        case timeout(String)
        case closed(String)
        case malformed(MalformedPacket)

        var description: String {
            switch self {
            case .socket(let text): "socket: \(text)"
            case .timeout(let text): "timed out: \(text)"
            case .closed(let text): "closed by the broker: \(text)"
            case .malformed(let error): "malformed answer: \(error)"
            }
        }
    }

    private var fd: Int32
    private var framer = PacketFramer()
    var version: ProtocolVersion

    init(port: Int, version: ProtocolVersion = .v3_1_1, receiveBuffer: Int32? = nil) throws {
        self.version = version
        fd = Posix.streamSocket()
        guard fd >= 0 else { throw Failure.socket("socket() failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Posix.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            Posix.close(fd)
            throw Failure.socket("connect to port \(port) failed: errno \(code)")
        }
    }

    deinit { close() }

    func close() {
        if fd >= 0 {
            Posix.close(fd)
            fd = -1
        }
    }

    // MARK: Sending

    func send(_ packet: Packet) throws {
        try sendRaw(packet.encode(version: version))
    }

    func sendRaw(_ bytes: [UInt8]) throws {
        var start = 0
        while start < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Posix.send(fd, buffer.baseAddress! + start, buffer.count - start)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure.socket("send failed: errno \(errno)")
            }
            start += written
        }
    }

    /// CONNECT and its CONNACK.
    @discardableResult
    func connect(clientID: String, cleanStart: Bool = true, keepAlive: UInt16 = 60, timeout: Double = 5) throws -> ConnAck {
        try send(.connect(Connect(version: version, clientID: clientID, cleanStart: cleanStart, keepAlive: keepAlive)))
        guard case .connack(let connack) = try receive(timeout: timeout) else {
            throw Failure.socket("expected CONNACK")
        }
        return connack
    }

    // MARK: Receiving

    /// The next packet, or an error after `timeout` seconds or when the broker closes.
    func receive(timeout: Double = 5) throws -> Packet {
        let deadline = Self.now() + timeout
        while true {
            do {
                if let bytes = try framer.next() {
                    do {
                        return try PacketDecoder.decode(bytes, version: version)
                    } catch {
                        throw Failure.malformed(error)
                    }
                }
            } catch let failure as PacketFramer.Failure {
                throw Failure.socket("framing: \(failure)")
            }
            let chunk = try read(until: deadline)
            guard let chunk else { throw Failure.closed("while waiting for a packet") }
            framer.append(chunk)
        }
    }

    /// Packets until none arrives for `quiet` seconds.
    func receiveAll(quiet: Double = 0.3) -> [Packet] {
        var packets: [Packet] = []
        while let packet = try? receive(timeout: quiet) { packets.append(packet) }
        return packets
    }

    /// True when the broker closes the connection within `timeout` (any packets before are returned in
    /// `before`).
    func waitUntilClosed(timeout: Double = 5) -> (closed: Bool, before: [Packet]) {
        let deadline = Self.now() + timeout
        var before: [Packet] = []
        while true {
            while let bytes = try? framer.next() {
                if let packet = try? PacketDecoder.decode(bytes, version: version) { before.append(packet) }
            }
            do {
                guard let chunk = try read(until: deadline) else { return (true, before) }
                framer.append(chunk)
            } catch Failure.timeout {
                return (false, before)
            } catch {
                return (true, before)  // reset
            }
        }
    }

    /// Bytes, or nil at end of stream.
    private func read(until deadline: Double) throws -> [UInt8]? {
        while true {
            let remaining = deadline - Self.now()
            guard remaining > 0 else { throw Failure.timeout("no bytes") }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(1, remaining * 1000)))
            if ready < 0 {
                if errno == EINTR { continue }
                throw Failure.socket("poll: errno \(errno)")
            }
            if ready == 0 { continue }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return nil }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                if errno == ECONNRESET { return nil }
                throw Failure.socket("recv: errno \(errno)")
            }
            return Array(buffer[0..<count])
        }
    }

    private static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// The few POSIX calls whose names clash with `WireClient`'s methods, per platform.
enum Posix {
    static func streamSocket() -> Int32 {
        #if canImport(Darwin)
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        var one: Int32 = 1
        if fd >= 0 { setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size)) }
        return fd
        #else
        return socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
    }

    static func connect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
        #if canImport(Glibc)
        return Glibc.connect(fd, address, length)
        #elseif canImport(Musl)
        return Musl.connect(fd, address, length)
        #else
        return Darwin.connect(fd, address, length)
        #endif
    }

    static func close(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #elseif canImport(Musl)
        _ = Musl.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    static func send(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.send(fd, pointer, count, Int32(MSG_NOSIGNAL))
        #elseif canImport(Musl)
        return Musl.send(fd, pointer, count, Int32(MSG_NOSIGNAL))
        #else
        return Darwin.send(fd, pointer, count, 0)
        #endif
    }
}
