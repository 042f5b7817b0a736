#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a whole file with the C library, so the module needs no Foundation.
enum FileBytes {
    static func read(_ path: String) throws(CaptureError) -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw .unreadableFile(path: path, reason: lastErrorText())
        }
        defer { fclose(file) }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            contents.append(contentsOf: buffer[0..<count])
            if count < buffer.count {
                // A short read is either the end of the file or an error (a directory, an I/O fault).
                if ferror(file) != 0 { throw .unreadableFile(path: path, reason: lastErrorText()) }
                return contents
            }
        }
    }

    private static func lastErrorText() -> String {
        guard let text = strerror(errno) else { return "error \(errno)" }
        return String(cString: text)
    }
}
