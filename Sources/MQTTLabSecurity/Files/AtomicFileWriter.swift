import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an atomic write failed: the system's reason, for the caller to put in its own error.
struct AtomicWriteFailure: Error {
    var reason: String
}

/// Writes a file atomically with a chosen mode: a temp file in the same folder is created with that mode
/// (O_CREAT|O_EXCL, so a private key or a password hash is never readable by others, not even for an
/// instant), written, flushed, and renamed over the destination. Used for certificates, keys and
/// password files.
enum AtomicFileWriter {
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws(AtomicWriteFailure) {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.\((path as NSString).lastPathComponent).\(UUID().uuidString.prefix(8)).tmp"
        // umask could only remove bits; the modes used here (0600, 0644) are the intended final ones.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw AtomicWriteFailure(reason: String(cString: strerror(errno))) }
        var failure: String?
        var offset = 0
        while offset < bytes.count, failure == nil {
            let written = bytes[offset...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno != EINTR { failure = String(cString: strerror(errno)) }
            } else {
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw AtomicWriteFailure(reason: failure)
        }
    }
}

/// `write(2)`, named apart from `AtomicFileWriter.write`.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, buffer, count)
    #else
    Darwin.write(descriptor, buffer, count)
    #endif
}
