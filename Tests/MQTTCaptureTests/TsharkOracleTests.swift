import Foundation
import XCTest

@testable import MQTTCapture

/// Wireshark as an independent oracle: for a synthetic capture full of out-of-order segments,
/// retransmissions, overlaps and a sequence wrap, `tshark -z follow,tcp,raw` must yield the
/// same byte streams as CaptureReader. Skips when tshark is not installed (no root needed).
final class TsharkOracleTests: XCTestCase {
    func testReassemblyMatchesTsharkFollow() throws {
        guard let tshark = ProcessRunner.find("tshark") else {
            throw XCTSkip("tshark is not installed (apt-get install tshark); the Wireshark cross-check is skipped")
        }
        let file = Self.trickyCapture()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mqttcapture-oracle-\(UUID().uuidString).pcapng").path
        try Data(file).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let capture = try CaptureReader.read(contentsOf: path)
        let connections = Set(capture.chunks.map(\.connection)).sorted()
        XCTAssertEqual(connections, [1, 2, 3])
        var arguments = ["-r", path, "-q"]
        for connection in connections { arguments += ["-z", "follow,tcp,raw,\(connection - 1)"] }
        let result = try ProcessRunner.run(tshark, arguments, timeout: 120)
        XCTAssertEqual(result.status, 0, result.stderr)
        let streams = Self.parseFollow(result.stdout)
        XCTAssertEqual(streams.count, connections.count, result.stdout)
        for connection in connections {
            guard let (node0, node1) = streams[connection - 1] else {
                XCTFail("tshark printed no stream \(connection - 1)")
                continue
            }
            XCTAssertFalse(node0.isEmpty)
            XCTAssertEqual(capture.stream(connection: connection, fromInitiator: true), node0, "connection \(connection), initiator side")
            XCTAssertEqual(capture.stream(connection: connection, fromInitiator: false), node1, "connection \(connection), responder side")
        }
    }

    /// Three connections on three interfaces (Ethernet, SLL2, raw IP), interleaved.
    private static func trickyCapture() -> [UInt8] {
        var first = Address.conversation4()
        first.clientISN = UInt32.max - 10
        first.serverISN = UInt32.max - 2
        let second = Address.conversation6(clientPort: 51_000)
        let third = Conversation(
            client: [10, 0, 0, 1],
            clientPort: 52_000,
            server: [10, 0, 0, 2],
            serverPort: 8883,
            clientISN: 2_000_000_000,
            serverISN: 7
        )

        var frames: [(interface: UInt32, packet: [UInt8])] = [
            (0, first.syn()), (0, first.synAck()),
            (0, first.data(fromClient: true, offset: 0, "CONNECT-")),
            (1, second.data(fromClient: true, offset: 100, "hello")),  // mid-stream start
            (0, first.data(fromClient: true, offset: 16, "PUBLISH2")),  // after the wrap, early
            (1, second.data(fromClient: true, offset: 110, "world")),
            (0, first.data(fromClient: true, offset: 8, "PUBLISH1")),  // fills the gap
            (0, first.data(fromClient: true, offset: 8, "PUBLISH1")),  // retransmission
            (1, second.data(fromClient: true, offset: 105, "there")),
            (0, first.data(fromClient: false, offset: 0, "CONNACK!")),
            (1, second.data(fromClient: false, offset: 0, "reply")),
            (0, first.data(fromClient: true, offset: 20, "ISH2tail")),  // overlaps delivered bytes
            (0, first.data(fromClient: false, offset: 8, "SUBACK..")),
            (2, third.syn()), (2, third.synAck()),
        ]
        // A longer stream in 200-byte segments, locally shuffled, with every 7th segment repeated.
        let payload = (0..<12_000).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        var segments = stride(from: 0, to: payload.count, by: 200).map { $0 }
        var state: UInt64 = 42
        for index in segments.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1
            let swapWith = min(segments.count - 1, index + Int(state >> 62))
            segments.swapAt(index, swapWith)
        }
        for (index, start) in segments.enumerated() {
            let packet = third.data(fromClient: true, offset: start, Array(payload[start..<(start + 200)]))
            frames.append((2, packet))
            if index % 7 == 3 { frames.append((2, packet)) }
            if index % 10 == 0 { frames.append((2, third.data(fromClient: false, offset: index / 10, [UInt8(index)]))) }
        }

        var file = PcapNGBuilder()
        file.interface(linkType: 1)
        file.interface(linkType: 276)
        file.interface(linkType: 101)
        for (index, frame) in frames.enumerated() {
            let data: [UInt8]
            switch frame.interface {
            case 0: data = Packets.ethernet(frame.packet, etherType: 0x0800)
            case 1: data = Packets.sll2(frame.packet, protocolType: 0x86dd)
            default: data = frame.packet
            }
            file.enhancedPacket(data, interface: frame.interface, ticks: 1_700_000_000_000_000 + UInt64(index) * 1_000)
        }
        return file.bytes
    }

    /// Parses `-z follow,tcp,raw,N` output: hex lines, indented with a tab when sent by node 1.
    private static func parseFollow(_ output: String) -> [Int: ([UInt8], [UInt8])] {
        var streams: [Int: ([UInt8], [UInt8])] = [:]
        var current: Int? = nil
        var inData = false
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Filter: tcp.stream eq "), let number = Int(line.dropFirst("Filter: tcp.stream eq ".count)) {
                current = number
                streams[number] = ([], [])
                inData = false
            } else if line.hasPrefix("Node 1:") {
                inData = true
            } else if line.hasPrefix("====") {
                inData = false
            } else if inData, let stream = current, !line.isEmpty {
                let fromNode1 = line.hasPrefix("\t")
                let bytes = hexBytes(line.trimmingCharacters(in: .whitespaces))
                if fromNode1 { streams[stream]?.1 += bytes } else { streams[stream]?.0 += bytes }
            }
        }
        return streams
    }

    private static func hexBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex), index < text.endIndex {
            if let byte = UInt8(text[index..<next], radix: 16) { bytes.append(byte) }
            index = next
        }
        return bytes
    }
}
