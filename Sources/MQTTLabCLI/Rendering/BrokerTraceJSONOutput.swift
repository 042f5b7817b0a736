import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `--trace-json` lines go: a file, through a `BoundedLineWriter`. A gap from lines dropped while the
/// writer fell behind is marked with one line `{"kind":"dropped","time":"…","lines":N}`.
enum BrokerTraceJSONOutput {
    /// Opens (creates or truncates) `path`. Throws a message naming the file when it cannot be opened.
    static func open(path: String, limitBytes: Int = 4 << 20) throws -> BoundedLineWriter {
        #if canImport(Glibc)
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        #elseif canImport(Musl)
        let descriptor = Musl.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        #else
        let descriptor = Darwin.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        #endif
        guard descriptor >= 0 else {
            throw BrokerTraceJSONOutputError(path: path, reason: String(cString: strerror(errno)))
        }
        return BoundedLineWriter(descriptor: descriptor, closesDescriptor: true, limitBytes: limitBytes,
                                 threadName: "mqttlab trace-json output") { dropped in
            JSONWriter.render(.object([
                ("kind", .string("dropped")),
                ("time", .string(BrokerTraceJSONRenderer.time(.now()))),
                ("lines", .int(Int64(dropped))),
            ]))
        }
    }
}

struct BrokerTraceJSONOutputError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot write --trace-json file \(path): \(reason)" }
}
