import Foundation
import XCTest

@testable import MQTTCapture

/// Real peers: loopback TCP traffic captured by tshark or tcpdump must reassemble to exactly
/// the bytes that were sent. Needs root (to capture) and the tools; skips clearly otherwise.
final class LiveCaptureTests: XCTestCase {
    /// Several writes per side, sent with TCP_NODELAY and pauses so they travel as separate
    /// segments. Includes an MQTT CONNECT whose remaining-length byte ends a write on its own.
    private let clientWrites: [[UInt8]] = [
        [0x10, 0x10],
        [0x00, 0x04] + Array("MQTT".utf8) + [0x04, 0x02, 0x00, 0x3c, 0x00, 0x04] + Array("labs".utf8),
        Array("second write".utf8),
        (0..<3_000).map { UInt8(truncatingIfNeeded: $0 &* 13) },
    ]
    private let serverWrites: [[UInt8]] = [
        [0x20, 0x02, 0x00, 0x00],
        Array("reply two".utf8),
        Array(repeating: 0x5a, count: 1_500),
    ]

    func testTsharkPcapngOnLoopbackIPv4() throws {
        try check(tool: "tshark", format: "pcapng", interface: "lo", host: "127.0.0.1", expectedLinkTypes: [1])
    }

    func testTsharkPcapOnLoopbackIPv6() throws {
        try check(tool: "tshark", format: "pcap", interface: "lo", host: "::1", expectedLinkTypes: [1])
    }

    func testTcpdumpPcapOnAnyInterface() throws {
        // tcpdump writes classic pcap; on the "any" pseudo-interface it uses a Linux cooked header.
        try check(tool: "tcpdump", format: "pcap", interface: "any", host: "127.0.0.1", expectedLinkTypes: [113, 276])
    }

    func testTsharkPcapngOnAnyInterfaceIPv6() throws {
        try check(tool: "tshark", format: "pcapng", interface: "any", host: "::1", expectedLinkTypes: [113, 276])
    }

    // MARK: - Running a capture

    private func check(tool: String, format: String, interface: String, host: String, expectedLinkTypes: Set<Int>) throws {
        guard getuid() == 0 else { throw XCTSkip("capturing loopback traffic needs root; running as uid \(getuid())") }
        guard let toolPath = ProcessRunner.find(tool) else { throw XCTSkip("\(tool) is not installed (apt-get install \(tool))") }
        guard let python = ProcessRunner.find("python3") else { throw XCTSkip("python3 is needed to run the loopback peers") }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mqttcapture-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // dumpcap may drop privileges; let it write the file whoever it runs as.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory.path)
        let output = directory.appendingPathComponent("live.\(format)").path

        let arguments = [
            "-c", Self.peerScript, toolPath, format, interface, output, host,
            clientWrites.map(Self.hex).joined(separator: ","), serverWrites.map(Self.hex).joined(separator: ","),
        ]
        let result = try ProcessRunner.run(python, arguments, timeout: 60)
        guard result.status == 0, let port = UInt16(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            return XCTFail("the capture script failed (status \(result.status)):\n\(result.stdout)\n\(result.stderr)")
        }

        let capture = try CaptureReader.read(contentsOf: output)
        XCTAssertTrue(expectedLinkTypes.isSuperset(of: capture.linkTypes) && !capture.linkTypes.isEmpty, "link types \(capture.linkTypes)")
        XCTAssertEqual(capture.warnings, [])
        let ours = capture.chunks.filter { $0.source.port == port || $0.destination.port == port }
        let connections = Set(ours.map(\.connection))
        XCTAssertEqual(connections.count, 1, "expected one connection to port \(port), got \(connections)")
        let toServer = ours.filter { $0.destination.port == port }
        let toClient = ours.filter { $0.source.port == port }
        XCTAssertEqual(toServer.flatMap(\.bytes), clientWrites.flatMap { $0 })
        XCTAssertEqual(toClient.flatMap(\.bytes), serverWrites.flatMap { $0 })
        // The handshake was captured, so the client is the initiator, and nothing is missing.
        XCTAssertTrue(toServer.allSatisfy(\.fromInitiator))
        XCTAssertFalse(toClient.contains(where: \.fromInitiator))
        XCTAssertTrue(ours.allSatisfy { $0.missingBytesBefore == 0 })
        XCTAssertEqual(toServer.first?.destination.address, host)
        // Several writes really became several segments, delivered in frame order at real times.
        XCTAssertGreaterThanOrEqual(toServer.count, 2)
        XCTAssertEqual(ours.map(\.frameNumber), ours.map(\.frameNumber).sorted())
        let now = Date().timeIntervalSince1970
        XCTAssertTrue(ours.allSatisfy { abs($0.timestamp - now) < 600 }, "timestamps \(ours.map(\.timestamp)) vs now \(now)")
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// Starts the capture tool, waits until it reports it is capturing, runs a client and a
    /// server on a port the kernel picks, stops the tool with SIGINT so it flushes the file,
    /// and prints the port. Every process it starts is stopped in `finally`.
    private static let peerScript = #"""
        import signal, socket, subprocess, sys, threading, time
        tool, fmt, iface, out, host, client_hex, server_hex = sys.argv[1:8]
        client_chunks = [bytes.fromhex(h) for h in client_hex.split(",")]
        server_chunks = [bytes.fromhex(h) for h in server_hex.split(",")]
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.bind((host, 0))
        listener.listen(1)
        listener.settimeout(15)
        port = listener.getsockname()[1]
        flt = "tcp port %d" % port
        if tool.endswith("tshark"):
            cmd = [tool, "-q", "-i", iface, "-f", flt, "-F", fmt, "-w", out]
        else:
            cmd = [tool, "-i", iface, "-U", "-n", "-w", out, flt]
        capture = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        ready = threading.Event()
        log = []
        def watch():
            for line in capture.stderr:
                text = line.decode("utf-8", "replace")
                log.append(text)
                if "Capturing on" in text or "listening on" in text:
                    ready.set()
        threading.Thread(target=watch, daemon=True).start()
        status = 1
        try:
            if not ready.wait(30):
                raise SystemExit("capture tool did not start: " + "".join(log))
            time.sleep(0.3)
            received = {}
            def serve():
                conn, _ = listener.accept()
                conn.settimeout(15)
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                data, total = b"", sum(len(c) for c in client_chunks)
                while len(data) < total:
                    more = conn.recv(65536)
                    if not more:
                        break
                    data += more
                received["server"] = data
                for chunk in server_chunks:
                    conn.sendall(chunk)
                    time.sleep(0.05)
                conn.close()
            server = threading.Thread(target=serve)
            server.start()
            client = socket.create_connection((host, port), timeout=15)
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for chunk in client_chunks:
                client.sendall(chunk)
                time.sleep(0.05)
            data = b""
            while True:
                more = client.recv(65536)
                if not more:
                    break
                data += more
            client.close()
            server.join(15)
            if received.get("server") != b"".join(client_chunks) or data != b"".join(server_chunks):
                raise SystemExit("the peers did not exchange the expected bytes")
            time.sleep(0.5)
            status = 0
        finally:
            capture.send_signal(signal.SIGINT)
            try:
                capture.wait(timeout=15)
            except subprocess.TimeoutExpired:
                capture.kill()
                capture.wait()
            listener.close()
        if status == 0:
            print(port)
        sys.exit(status)
        """#
}
