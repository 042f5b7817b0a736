import XCTest

@testable import MQTTCapture

/// IPv4 options and fragments, IPv6 extension headers, padding, snap-length cuts, address text.
final class IPLayerTests: XCTestCase {
    private let flow4 = Address.conversation4()

    private func tcp(_ offset: Int, _ text: String, port: UInt16 = 50_000) -> [UInt8] {
        Packets.tcp(sourcePort: port, destinationPort: 1883, sequence: 1_001 + UInt32(offset), payload: Array(text.utf8))
    }

    private func ipv4(_ segment: [UInt8], options: [UInt8] = [], fragmentOffset: Int = 0, moreFragments: Bool = false) -> [UInt8] {
        Packets.ipv4(
            source: Address.client4,
            destination: Address.server4,
            payload: segment,
            options: options,
            fragmentOffset: fragmentOffset,
            moreFragments: moreFragments
        )
    }

    func testIPv4WithOptions() throws {
        // Record-route option (7) with room for one address, then end-of-options padding.
        let options: [UInt8] = [7, 7, 4, 0, 0, 0, 0, 0]
        let capture = try CaptureReader.read(rawCapture([ipv4(tcp(0, "with options"), options: options)]))
        XCTAssertEqual(capture.warnings, [])
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "with options")
    }

    func testEthernetPaddingIsNotTakenAsPayload() throws {
        var pcap = PcapBuilder(linkType: 1)
        // A 1-byte segment is padded to Ethernet's 60-byte minimum with bytes that are not data.
        pcap.add(Packets.ethernet(ipv4(tcp(0, "A")), etherType: 0x0800) + [0xee, 0xee, 0xee, 0xee, 0xee])
        XCTAssertEqual(try CaptureReader.read(pcap.bytes).text(connection: 1, fromInitiator: true), "A")
    }

    func testZeroTotalLengthFromSegmentationOffloadUsesCapturedLength() throws {
        let packet = Packets.ipv4(source: Address.client4, destination: Address.server4, payload: tcp(0, "tso"), totalLength: 0)
        XCTAssertEqual(try CaptureReader.read(rawCapture([packet])).text(connection: 1, fromInitiator: true), "tso")
    }

    func testNonFirstIPv4FragmentsAreSkippedAndReported() throws {
        let first = ipv4(tcp(0, "firstpart"), moreFragments: true)
        let rest = Packets.ipv4(source: Address.client4, destination: Address.server4, payload: Array("remainder".utf8), fragmentOffset: 32)
        let next = ipv4(tcp(9 + 9, "after"))
        let capture = try CaptureReader.read(rawCapture([first, rest, next]))
        XCTAssertEqual(capture.warnings.map(\.frameNumber), [1, 2, 3], "\(capture.warnings)")
        XCTAssertTrue(capture.warnings[0].message.contains("fragmented"))
        XCTAssertTrue(capture.warnings[1].message.hasPrefix("IPv4 fragment at offset 32 skipped"))
        // The fragment's 9 bytes were never seen: the stream resumes after a reported gap at the end.
        XCTAssertTrue(capture.warnings[2].message.contains("9 bytes at stream offset 9 never appeared"), "\(capture.warnings)")
        XCTAssertEqual(capture.chunks.map(\.bytes), [Array("firstpart".utf8), Array("after".utf8)])
        XCTAssertEqual(capture.chunks.map(\.missingBytesBefore), [0, 9])
    }

    func testNonTCPProtocolsAreIgnored() throws {
        let udp = Packets.ipv4(source: Address.client4, destination: Address.server4, protocolNumber: 17, payload: [0, 53, 0, 53, 0, 8, 0, 0])
        let udpFragment = Packets.ipv4(
            source: Address.client4,
            destination: Address.server4,
            protocolNumber: 17,
            payload: [1, 2, 3],
            fragmentOffset: 8
        )
        let capture = try CaptureReader.read(rawCapture([udp, udpFragment, ipv4(tcp(0, "tcp"))]))
        XCTAssertEqual(capture.warnings, [])
        XCTAssertEqual(capture.chunks.count, 1)
        XCTAssertEqual(capture.chunks.first?.frameNumber, 3)
    }

    func testIPv6ExtensionHeadersAreWalked() throws {
        let hopByHop = Packets.ExtensionHeader(type: 0, body: [1, 4, 0, 0, 0, 0])  // PadN option
        let destination = Packets.ExtensionHeader(type: 60, body: [1, 12] + Array(repeating: 0, count: 12))
        let routing = Packets.ExtensionHeader(type: 43, body: [0, 0, 0, 0, 0, 0])  // type 0, segments left 0
        let atomicFragment = Packets.ExtensionHeader(type: 44, body: [0, 0, 0, 0, 0, 7])
        let segment = Packets.tcp(sourcePort: 50_000, destinationPort: 1883, sequence: 1, payload: Array("v6 data".utf8))
        let packet = Packets.ipv6(
            source: Address.client6,
            destination: Address.server6,
            payload: segment,
            extensionHeaders: [hopByHop, routing, atomicFragment, destination]
        )
        let capture = try CaptureReader.read(rawCapture([packet]))
        XCTAssertEqual(capture.warnings, [])
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "v6 data")
        XCTAssertEqual(capture.chunks.first?.destination.description, "[2001:db8::14]:1883")
    }

    func testIPv6FragmentsAreReported() throws {
        let segment = Packets.tcp(sourcePort: 50_000, destinationPort: 1883, sequence: 1, payload: Array("frag".utf8))
        let first = Packets.ipv6(
            source: Address.client6,
            destination: Address.server6,
            payload: segment,
            extensionHeaders: [Packets.ExtensionHeader(type: 44, body: [0, 1, 0, 0, 0, 9])]
        )
        let later = Packets.ipv6(
            source: Address.client6,
            destination: Address.server6,
            payload: Array("more".utf8),
            extensionHeaders: [Packets.ExtensionHeader(type: 44, body: [0, 0x18, 0, 0, 0, 9])]
        )
        let capture = try CaptureReader.read(rawCapture([first, later]))
        XCTAssertEqual(capture.text(connection: 1, fromInitiator: true), "frag")
        XCTAssertEqual(capture.warnings.count, 2)
        XCTAssertTrue(capture.warnings[1].message.hasPrefix("IPv6 fragment at offset 24 skipped"), "\(capture.warnings)")
    }

    func testSnapLengthCutBecomesAGapNotAStall() throws {
        var pcap = PcapBuilder(linkType: 101)
        let full = ipv4(tcp(0, "0123456789"))
        pcap.add(Array(full.prefix(full.count - 4)), originalLength: full.count)
        pcap.add(ipv4(tcp(10, "next")))
        let capture = try CaptureReader.read(pcap.bytes)
        XCTAssertEqual(capture.chunks.map(\.bytes), [Array("012345".utf8), Array("next".utf8)])
        XCTAssertEqual(capture.chunks.map(\.missingBytesBefore), [0, 4])
        // Delivered when frame 2 arrived, not held until the end of the capture.
        XCTAssertEqual(capture.chunks.map(\.frameNumber), [1, 2])
        XCTAssertEqual(capture.warnings.map(\.frameNumber), [1])
        XCTAssertTrue(capture.warnings[0].message.hasPrefix("only 6 of 10 TCP payload bytes were captured"))
    }

    func testDamagedHeadersAreSkippedWithWarnings() throws {
        var badLength = ipv4(tcp(0, "x"))
        badLength[0] = 0x43  // header length 12 bytes
        var shortTotal = ipv4(tcp(0, "x"))
        shortTotal[3] = 10
        var badOffset = ipv4(tcp(0, "x"))
        badOffset[20 + 12] = 0x20  // TCP header length 8
        let cases: [([UInt8], String)] = [
            (badLength, "IPv4 header length 12 is below the minimum of 20 bytes; frame skipped"),
            (shortTotal, "IPv4 total length 10 is shorter than its 20-byte header; frame skipped"),
            (badOffset, "TCP header length 8 is below the minimum of 20 bytes; frame skipped"),
            (Array(ipv4(tcp(0, "x")).prefix(30)), "the capture kept only 10 bytes of the TCP header; frame skipped"),
            (Array(ipv4(tcp(0, "x")).prefix(12)), "the capture kept only 12 bytes of the IPv4 header; frame skipped"),
            (
                Array(Packets.ipv6(source: Address.client6, destination: Address.server6, payload: tcp(0, "x")).prefix(30)),
                "the capture kept only 30 bytes of the 40-byte IPv6 header; frame skipped"
            ),
            ([0x50, 0, 0, 0], "IP version field is 5, neither 4 nor 6; frame skipped"),
        ]
        for (packet, message) in cases {
            let capture = try CaptureReader.read(rawCapture([packet]))
            XCTAssertEqual(capture.chunks, [])
            XCTAssertEqual(capture.warnings.map(\.message), [message])
        }
    }

    func testIPv6AddressText() {
        func text(_ groups: [UInt16]) -> String {
            var writer = ByteWriter()
            groups.forEach { writer.u16($0) }
            return IPAddressText.ipv6(writer.bytes[...])
        }
        XCTAssertEqual(text([0, 0, 0, 0, 0, 0, 0, 1]), "::1")
        XCTAssertEqual(text([0, 0, 0, 0, 0, 0, 0, 0]), "::")
        XCTAssertEqual(text([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]), "2001:db8::1:0:0:1")
        XCTAssertEqual(text([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1]), "2001:db8:0:1:1:1:1:1")
        XCTAssertEqual(text([0x2001, 0, 0, 1, 0, 0, 0, 1]), "2001:0:0:1::1")
        XCTAssertEqual(text([0xfe80, 0, 0, 0, 0xabcd, 0, 0, 0]), "fe80::abcd:0:0:0")
        XCTAssertEqual(text([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201]), "::ffff:192.0.2.1")
        XCTAssertEqual(IPAddressText.ipv4([127, 0, 0, 1]), "127.0.0.1")
    }
}
