import XCTest

@testable import MQTTCapture

/// Every supported link type carries the same TCP stream to the reassembler.
final class LinkLayerTests: XCTestCase {
    private let flow4 = Address.conversation4()
    private let flow6 = Address.conversation6()

    /// Two segments of one stream wrapped by `wrap`, read back as a pcap of `linkType`.
    private func roundTrip(linkType: UInt32, flow: Conversation, wrap: ([UInt8]) -> [UInt8]) throws -> Capture {
        var pcap = PcapBuilder(linkType: linkType)
        pcap.add(wrap(flow.data(fromClient: true, offset: 0, "MQ")))
        pcap.add(wrap(flow.data(fromClient: false, offset: 0, "reply")))
        pcap.add(wrap(flow.data(fromClient: true, offset: 2, "TT")))
        return try CaptureReader.read(pcap.bytes)
    }

    private func assertStream(_ capture: Capture, line: UInt = #line) {
        XCTAssertEqual(capture.warnings, [], line: line)
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "MQTT", line: line)
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: false), "reply", line: line)
    }

    func testEthernetIPv4AndIPv6() throws {
        for flow in [flow4, flow6] {
            assertStream(try roundTrip(linkType: 1, flow: flow) { Packets.ethernet($0, etherType: Packets.etherType(of: $0)) })
        }
    }

    func testEthernetVLANTagsSingleAndStacked() throws {
        assertStream(try roundTrip(linkType: 1, flow: flow4) { Packets.ethernet($0, etherType: 0x0800, vlanTags: [100]) })
        assertStream(try roundTrip(linkType: 1, flow: flow6) { Packets.ethernet($0, etherType: 0x86dd, vlanTags: [10, 20], tagType: 0x88a8) })
    }

    func testNonIPEthernetFramesAreIgnoredSilently() throws {
        var pcap = PcapBuilder(linkType: 1)
        pcap.add(Packets.ethernet(Array(repeating: 0, count: 28), etherType: 0x0806))  // ARP
        pcap.add(Packets.ethernet(flow4.data(fromClient: true, offset: 0, "x"), etherType: 0x0800))
        let capture = try CaptureReader.read(pcap.bytes)
        XCTAssertEqual(capture.warnings, [])
        XCTAssertEqual(capture.chunks.map(\.frameNumber), [2])
    }

    func testLinuxCookedCaptures() throws {
        assertStream(try roundTrip(linkType: 113, flow: flow4) { Packets.sll($0, protocolType: 0x0800) })
        assertStream(try roundTrip(linkType: 113, flow: flow6) { Packets.sll($0, protocolType: 0x86dd) })
        assertStream(try roundTrip(linkType: 276, flow: flow4) { Packets.sll2($0, protocolType: 0x0800) })
        assertStream(try roundTrip(linkType: 276, flow: flow6) { Packets.sll2($0, protocolType: 0x86dd) })
    }

    func testRawIPLinkTypes() throws {
        for flow in [flow4, flow6] {
            assertStream(try roundTrip(linkType: 101, flow: flow) { $0 })
        }
        assertStream(try roundTrip(linkType: 228, flow: flow4) { $0 })
        assertStream(try roundTrip(linkType: 229, flow: flow6) { $0 })
    }

    func testRawIPv4LinkRejectsIPv6PacketsWithAWarning() throws {
        let capture = try CaptureReader.read(
            {
                var pcap = PcapBuilder(linkType: 228)
                pcap.add(flow6.data(fromClient: true, offset: 0, "x"))
                return pcap.bytes
            }()
        )
        XCTAssertEqual(capture.chunks, [])
        XCTAssertEqual(capture.warnings.map(\.message), ["the link header announces IPv4 but the packet's version field is 6; frame skipped"])
    }

    func testBSDLoopbackInEitherHostByteOrder() throws {
        for littleEndian in [true, false] {
            assertStream(try roundTrip(linkType: 0, flow: flow4) { Packets.loopback($0, family: 2, littleEndian: littleEndian) })
            // AF_INET6 is 30 on macOS, 24 on OpenBSD/NetBSD, 28 on FreeBSD, 10 on Linux.
            for family: UInt32 in [30, 24, 28, 10] {
                assertStream(try roundTrip(linkType: 0, flow: flow6) { Packets.loopback($0, family: family, littleEndian: littleEndian) })
            }
        }
        assertStream(try roundTrip(linkType: 108, flow: flow4) { Packets.loopback($0, family: 2, littleEndian: false) })
    }

    func testShortLinkHeadersAreReportedNotCrashed() throws {
        for (linkType, frame) in [(UInt32(1), [UInt8](repeating: 0, count: 10)), (113, [0, 0, 0]), (276, [0x08, 0x00, 0, 0]), (0, [2, 0])] {
            var pcap = PcapBuilder(linkType: linkType)
            pcap.add(frame)
            let capture = try CaptureReader.read(pcap.bytes)
            XCTAssertEqual(capture.warnings.count, 1, "link type \(linkType)")
            XCTAssertTrue(capture.warnings.first?.message.hasPrefix("frame too short") == true, "\(capture.warnings)")
        }
    }

    func testLinkTypeNames() {
        XCTAssertEqual(CaptureReader.linkTypeName(1), "1 (Ethernet)")
        XCTAssertEqual(CaptureReader.linkTypeName(276), "276 (Linux cooked SLL2)")
        XCTAssertEqual(CaptureReader.linkTypeName(105), "105 (IEEE 802.11)")
        XCTAssertEqual(CaptureReader.linkTypeName(9_999), "9999")
    }
}
