import Dispatch
import Foundation
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A broker under test, running as a child process: which one, its pid and port.
final class BrokerBenchmarkChild {
    enum Kind: String, CaseIterable {
        case mqttlab
        case mosquitto
    }

    let kind: Kind
    let process: Process
    let port: Int
    let folder: URL

    private init(kind: Kind, process: Process, port: Int, folder: URL) {
        self.kind = kind
        self.process = process
        self.port = port
        self.folder = folder
    }

    var pid: Int32 { process.processIdentifier }

    /// Every child still running, so Ctrl-C, SIGTERM or an error can stop them all.
    static let running = NIOLockedValueBox<[Int32: Process]>([:])
    /// Their temporary folders, removed with them.
    static let folders = NIOLockedValueBox<Set<String>>([])
    nonisolated(unsafe) private static var signalSources: [any DispatchSourceSignal] = []
    private static let installOnce = NIOLockedValueBox(false)

    /// Installs SIGINT/SIGTERM handlers that terminate every child and exit (130 / 143).
    static func installSignalHandlers() {
        let first = installOnce.withLockedValue { installed in
            defer { installed = true }
            return !installed
        }
        guard first else { return }
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                terminateAll()
                FileHandle.standardError.write(Data("\nbench interrupted: brokers stopped\n".utf8))
                exit(sig == SIGINT ? 130 : 143)
            }
            source.resume()
            sources.append(source)
        }
        signalSources = sources
    }

    static func terminateAll() {
        let children = running.withLockedValue { running in
            defer { running.removeAll() }
            return Array(running.values)
        }
        for child in children where child.isRunning {
            kill(child.processIdentifier, SIGKILL)
        }
        let paths = folders.withLockedValue { folders in
            defer { folders.removeAll() }
            return folders
        }
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Starts `mqttlab broker -p 0 --trace off` (this same executable) and reads the port from its first line.
    /// `store`: with `--store` on a fresh database in the child's own folder (removed with it).
    static func startMQTTLab(executable: URL, maxQueued: Int, store: Bool = false) throws -> BrokerBenchmarkChild {
        let folder = try makeFolder()
        let output = folder.appendingPathComponent("stdout.txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "broker", "-p", "0", "--trace", "off",
            "--max-inflight-messages", "20", "--max-queued-messages", String(maxQueued),
        ] + (store ? ["--store", folder.appendingPathComponent("bench.sqlite").path] : [])
        var environment = ProcessInfo.processInfo.environment
        environment["MQTTLAB_LANG"] = "en"
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try launch(process)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let text = try? String(contentsOf: output, encoding: .utf8), let port = parsePort(text) {
                return BrokerBenchmarkChild(kind: .mqttlab, process: process, port: port, folder: folder)
            }
            if !process.isRunning { break }
            usleep(10_000)
        }
        stop(process)
        removeFolder(folder)
        throw BrokerBenchmarkError("mqttlab broker did not say its port within 10 s (\(executable.path))")
    }

    /// Starts Mosquitto on a free port with a throwaway configuration.
    static func startMosquitto(executable: URL, maxQueued: Int) throws -> BrokerBenchmarkChild {
        let folder = try makeFolder()
        let port = try freePort()
        let config = folder.appendingPathComponent("mosquitto.conf")
        try """
            listener \(port) 127.0.0.1
            allow_anonymous true
            log_dest none
            max_inflight_messages 20
            max_queued_messages \(maxQueued)
            user root
            persistence false

            """.write(to: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-c", config.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try launch(process)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if canConnect(port: port) {
                return BrokerBenchmarkChild(kind: .mosquitto, process: process, port: port, folder: folder)
            }
            if !process.isRunning { break }
            usleep(10_000)
        }
        stop(process)
        removeFolder(folder)
        throw BrokerBenchmarkError("mosquitto did not accept connections on 127.0.0.1:\(port) within 10 s")
    }

    /// Terminates the broker (SIGTERM, then SIGKILL after 3 s) and removes its folder.
    func stop() {
        Self.stop(process)
        Self.removeFolder(folder)
    }

    private static func removeFolder(_ folder: URL) {
        try? FileManager.default.removeItem(at: folder)
        _ = folders.withLockedValue { $0.remove(folder.path) }
    }

    private static func stop(_ process: Process) {
        let pid = process.processIdentifier
        if process.isRunning {
            kill(pid, SIGTERM)
            let deadline = Date().addingTimeInterval(3)
            while process.isRunning && Date() < deadline { usleep(5_000) }
            if process.isRunning {
                kill(pid, SIGKILL)
                let hard = Date().addingTimeInterval(2)
                while process.isRunning && Date() < hard { usleep(5_000) }
            }
        }
        _ = running.withLockedValue { $0.removeValue(forKey: pid) }
    }

    private static func launch(_ process: Process) throws {
        try process.run()
        let pid = process.processIdentifier
        running.withLockedValue { $0[pid] = process }
    }

    private static func makeFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("mqttlab-bench-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        _ = folders.withLockedValue { $0.insert(url.path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url
    }

    static func parsePort(_ text: String) -> Int? {
        guard let line = text.split(separator: "\n").first, let range = line.range(of: "127.0.0.1:") else { return nil }
        let digits = line[range.upperBound...].prefix { $0.isNumber }
        guard let port = Int(digits), port > 0, port < 65536 else { return nil }
        return port
    }

    // MARK: - /proc

    /// user + system CPU seconds of a process, from /proc/PID/stat.
    func cpuSeconds() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after "comm)": state is field 3; utime is 14 and stime 15, i.e. indexes 11 and 12 here.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (user + system) / (ticks > 0 ? ticks : 100)
    }

    /// Resident memory in KB (VmRSS in /proc/PID/status).
    func residentKB() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let number = line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).first
            return number.flatMap { Double($0) }
        }
        return nil
    }

    // MARK: - Sockets

    static func freePort() throws -> Int {
        do { return try LocalTCPPort.free() } catch { throw BrokerBenchmarkError(error.description) }
    }

    static func canConnect(port: Int) -> Bool { LocalTCPPort.acceptsConnections(port) }

    /// Raises the soft open-files limit to at least `needed` (up to the hard limit). Children inherit it.
    static func raiseOpenFilesLimit(to needed: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        guard limit.rlim_cur < rlim_t(needed) else { return }
        limit.rlim_cur = min(limit.rlim_max, rlim_t(needed))
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// Finds an executable in PATH or the sbin folders (Debian installs mosquitto in /usr/sbin).
    static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin"]
        for folder in folders where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// The running executable (this same mqttlab), for starting `mqttlab broker`.
    static func selfExecutable() -> URL {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: resolved)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    }

    static func mosquittoVersion(_ executable: URL) -> String? {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-h"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let first = String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init)
        return first?.replacingOccurrences(of: "mosquitto version ", with: "")
    }
}

struct BrokerBenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
