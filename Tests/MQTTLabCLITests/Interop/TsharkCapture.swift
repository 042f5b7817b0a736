import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback capture of one TCP port with `tshark -i lo -f "tcp port P" -w FILE.pcapng`.
///
/// `init` returns once tshark is capturing, and throws `XCTSkip` when capturing on the
/// loopback interface is not permitted (not root, no CAP_NET_RAW, dumpcap not allowed…).
final class TsharkCapture {
    let file: URL
    private let process: InteropProcess

    init(tshark: URL, port: Int, directory: URL, name: String = "capture") throws {
        file = directory.appendingPathComponent("\(name).pcapng")
        let interface = ProcessInfo.processInfo.environment["MQTTLAB_INTEROP_IFACE"] ?? "lo"
        process = try InteropProcess(
            tshark, ["-i", interface, "-f", "tcp port \(port)", "-w", file.path],
            label: "tshark-capture", directory: directory
        )
        // tshark prints "Capturing on 'Loopback: lo'" *before* dumpcap opens the device, so that line alone
        // proves nothing: a non-root run prints it and then "You do not have permission to capture on device".
        // Ready = "Capture started" (tshark 4.x), or "Capturing on" followed by 1.5 s without an error.
        var capturingSince: Date?
        let deadline = Date().addingTimeInterval(10)
        while true {
            let log = process.stderr
            if Self.isPermissionProblem(log) {
                process.stop()
                let reason = log.split(separator: "\n").first { Self.isPermissionProblem(String($0)) } ?? "permission denied"
                throw XCTSkip("capturing on '\(interface)' is not permitted here (run as root or give dumpcap "
                    + "CAP_NET_RAW/CAP_NET_ADMIN): \(reason)")
            }
            if !process.isRunning {
                throw InteropError("tshark exited (\(process.exitStatus ?? -1)) before capturing: \(Self.lastLines(log))")
            }
            if log.contains("Capture started") { break }
            if log.contains("Capturing on") {
                let since = capturingSince ?? Date()
                capturingSince = since
                if Date().timeIntervalSince(since) > 1.5 { break }
            }
            if Date() >= deadline {
                process.stop()
                throw InteropError("tshark did not start capturing within 10 s: \(Self.lastLines(log))")
            }
            usleep(20_000)
        }
        usleep(150_000)
    }

    static func isPermissionProblem(_ log: String) -> Bool {
        let lower = log.lowercased()
        return lower.contains("permission to capture") || lower.contains("operation not permitted")
            || lower.contains("couldn't run") || lower.contains("no interfaces") || lower.contains("cap_net_raw")
    }

    private static func lastLines(_ log: String) -> String {
        log.split(separator: "\n").suffix(6).joined(separator: " | ")
    }

    deinit {
        stop()
    }

    /// Lets the last segments reach the file, then stops tshark (SIGINT flushes and closes the pcapng).
    func finish() throws -> URL {
        usleep(300_000)
        process.stop(signal: SIGINT, grace: 5)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw InteropError("tshark wrote no capture file: \(process.stderr.suffix(600))")
        }
        return file
    }

    func stop() {
        process.stop(signal: SIGINT, grace: 3)
    }
}
