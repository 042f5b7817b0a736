import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the external programs the interop tests drive, the `mqttlab` binary under test, and free ports.
enum InteropTools {
    /// Searches `PATH` plus the sbin folders (Debian installs `mosquitto` in /usr/sbin).
    static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin"]
        for folder in folders where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Returns the programs' URLs, or throws `XCTSkip` naming the missing ones.
    static func require(_ names: [String]) throws -> [String: URL] {
        var found: [String: URL] = [:]
        var missing: [String] = []
        for name in names {
            if let url = find(name) { found[name] = url } else { missing.append(name) }
        }
        if !missing.isEmpty {
            throw XCTSkip(
                "interop test needs \(missing.joined(separator: ", ")) on PATH "
                    + "(apt-get install -y mosquitto mosquitto-clients tshark)"
            )
        }
        return found
    }

    /// Asks the OS for a free TCP port on 127.0.0.1 (bind port 0, read it, close).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw InteropError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw InteropError("bind() failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw InteropError("getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }

    /// A fresh temp folder (mode 0755, so a broker that drops to the `mosquitto` user can still read it).
    static func makeTemporaryDirectory(prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url
    }

    /// Where the `mqttlab` executable built with this test bundle lives.
    ///
    /// `swift test` puts products and the test bundle in the same folder (`.build/debug`, or `<scratch>/debug`
    /// with `--scratch-path`). Looked up in order: `$MQTTLAB_BIN`; next to every loaded bundle and to the
    /// running test executable; then `<package root>/<.build|.build-*>/debug/mqttlab` found from `#filePath`.
    static func mqttlabBinary(filePath: String = #filePath) -> (url: URL?, searched: [String]) {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["MQTTLAB_BIN"], !override.isEmpty {
            candidates.append(URL(fileURLWithPath: override))
        }
        var folders: [URL] = []
        for bundle in [Bundle.main] + Bundle.allBundles {
            folders.append(bundle.bundleURL)
            folders.append(bundle.bundleURL.deletingLastPathComponent())
            if let executable = bundle.executableURL { folders.append(executable.deletingLastPathComponent()) }
        }
        if let argument0 = CommandLine.arguments.first {
            let url = URL(fileURLWithPath: argument0).resolvingSymlinksInPath()
            folders.append(url.deletingLastPathComponent())
            // Darwin: .../debug/X.xctest/Contents/MacOS/X
            folders.append(url.deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent())
        }
        // #filePath = <root>/Tests/MQTTLabCLITests/Interop/InteropTools.swift
        let root = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let scratchNames = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
            .filter { $0 == ".build" || $0.hasPrefix(".build-") }
            .sorted()
        for scratch in scratchNames {
            folders.append(root.appendingPathComponent(scratch).appendingPathComponent("debug"))
        }
        for folder in folders {
            candidates.append(folder.appendingPathComponent("mqttlab"))
        }
        var seen = Set<String>()
        var searched: [String] = []
        for candidate in candidates {
            let path = candidate.standardizedFileURL.path
            guard seen.insert(path).inserted else { continue }
            searched.append(path)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: path) {
                return (candidate.standardizedFileURL, searched)
            }
        }
        return (nil, searched)
    }
}

/// A plain error with a message, for harness failures.
struct InteropError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
