import Foundation

/// Reads the payload of `-f FILE` and `-s` (all of standard input).
enum MessageInput {
    /// The message of `pub` and `rr`, read before connecting as Mosquitto's clients do (`-l` reads as it
    /// goes, so it yields an empty payload here). Nil, after saying why, when `-f FILE` cannot be read.
    static func payload(of options: ClientOptions) -> [UInt8]? {
        switch options.message {
        case .text(let bytes): return bytes
        case .file(let path):
            guard let bytes = file(path) else {
                if !options.quiet { StandardStreams.error("Error: Unable to open file \"\(path)\".\n") }
                return nil
            }
            return bytes
        case .standardInput: return allStandardInput()
        case .empty, .lines, nil: return []
        }
    }

    static func file(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }

    static func allStandardInput() -> [UInt8] {
        Array(FileHandle.standardInput.readDataToEndOfFile())
    }
}
