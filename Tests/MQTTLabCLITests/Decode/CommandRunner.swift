import Foundation
import XCTest

/// Runs the built `mqttlab` executable the way a user would: arguments, optional standard input,
/// environment, and captures the exit status and both outputs.
struct CommandRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let binary: URL

    static func locate() throws -> CommandRunner {
        let (url, searched) = InteropTools.mqttlabBinary()
        guard let url else {
            throw XCTSkip("the mqttlab executable was not built next to the tests; looked in: \(searched.joined(separator: ", "))")
        }
        return CommandRunner(binary: url)
    }

    func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        // A predictable environment: English unless the test says otherwise, no colors unless asked.
        var env = ProcessInfo.processInfo.environment
        env["MQTTLAB_LANG"] = nil
        env["LANG"] = "C"
        env["LC_ALL"] = nil
        env["LC_MESSAGES"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes before waiting, so a large output cannot block the child.
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
