import Foundation

/// Reads the payload of `-f FILE` and `-s` (all of standard input).
enum MessageInput {
    static func file(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }

    static func allStandardInput() -> [UInt8] {
        Array(FileHandle.standardInput.readDataToEndOfFile())
    }

    /// One line of standard input without its newline; nil at the end.
    static func nextLine() -> [UInt8]? {
        readLine(strippingNewline: true).map { Array($0.utf8) }
    }
}
