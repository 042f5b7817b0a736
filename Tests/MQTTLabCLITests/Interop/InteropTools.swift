import Foundation
@testable import MQTTLabCLI
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
        do { return try LocalTCPPort.free() } catch { throw InteropError(error.description) }
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    static func canConnect(port: Int) -> Bool { LocalTCPPort.acceptsConnections(port) }

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
