import Foundation
import MQTTCodec

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the broker's text trace goes: standard output, through a `BoundedLineWriter`.
enum BrokerTraceOutput {
    static func standardOutput(language: Language, limitBytes: Int = 4 << 20) -> BoundedLineWriter {
        BoundedLineWriter(descriptor: STDOUT_FILENO, closesDescriptor: false, limitBytes: limitBytes,
                          threadName: "mqttlab trace output") { dropped in
            language == .es
                ? "  … \(dropped) líneas de traza perdidas: la salida no se leía a tiempo"
                : "  … \(dropped) trace lines lost: the output was not read fast enough"
        }
    }

    /// Writes straight to file descriptor 1, unbuffered (the banner, before the writer thread runs).
    static func writeToStandardOutput(_ text: String) {
        BoundedLineWriter.write(text, to: STDOUT_FILENO)
    }
}
