#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Output for the client commands, written with write(2) at once (no user-space buffer), so that a
/// pipeline (`mqttlab sub … | while read line`) sees each message as it arrives, as with Mosquitto's
/// clients. Only the commands' own tasks call it, never an event loop (the trace has its own writer).
enum StandardStreams {
    static func out(_ bytes: [UInt8]) { write(bytes, to: 1) }

    static func out(_ text: String) { write(Array(text.utf8), to: 1) }

    static func error(_ text: String) { write(Array(text.utf8), to: 2) }

    private static func write(_ bytes: [UInt8], to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { buffer in
                #if canImport(Glibc)
                Glibc.write(descriptor, buffer.baseAddress, buffer.count)
                #elseif canImport(Musl)
                Musl.write(descriptor, buffer.baseAddress, buffer.count)
                #else
                Darwin.write(descriptor, buffer.baseAddress, buffer.count)
                #endif
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
