import Foundation
import XCTest

/// The `openssl` command line, as an independent judge of the certificates mqttlab makes.
enum OpenSSLCommandLine {
    struct Outcome {
        var status: Int32
        var output: String
    }

    static func executable() throws -> URL {
        for folder in ["/usr/bin", "/usr/local/bin", "/bin"] {
            let url = URL(fileURLWithPath: folder).appendingPathComponent("openssl")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw XCTSkip("these tests need the openssl command line (apt-get install -y openssl)")
    }

    /// Runs `openssl arguments…` to completion; stdout and stderr together (they are small).
    static func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
