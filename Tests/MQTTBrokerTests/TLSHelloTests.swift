@testable import MQTTBroker
import XCTest

/// The ClientHello/ServerHello reader behind the TLS trace and the eavesdropper's view: hand-built hellos
/// in any chunking, GREASE left out, and broken or foreign bytes never trap.
final class TLSHelloTests: XCTestCase {
    private func u16(_ value: Int) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

    private func clientHello(serverName: String?, alpn: [String], versions: [UInt16], suites: [UInt16]) -> [UInt8] {
        var extensions: [UInt8] = []
        if let serverName {
            let name = Array(serverName.utf8)
            let entry = [0] + u16(name.count) + name
            extensions += u16(0) + u16(entry.count + 2) + u16(entry.count) + entry
        }
        if !alpn.isEmpty {
            let list = alpn.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
            extensions += u16(16) + u16(list.count + 2) + u16(list.count) + list
        }
        if !versions.isEmpty {
            let list = versions.flatMap { u16(Int($0)) }
            extensions += u16(43) + u16(list.count + 1) + [UInt8(list.count)] + list
        }
        let suiteBytes = suites.flatMap { u16(Int($0)) }
        let body = u16(0x0303) + [UInt8](repeating: 7, count: 32) + [0] + u16(suiteBytes.count) + suiteBytes + [1, 0]
            + u16(extensions.count) + extensions
        let handshake = [1, 0] + u16(body.count) + body
        return [22] + u16(0x0301) + u16(handshake.count) + handshake
    }

    func testAClientHelloInAnyChunking() {
        let bytes = clientHello(serverName: "broker.casa.lan", alpn: ["mqtt"], versions: [0x3A3A, 0x0304, 0x0303],
                                suites: [0x0A0A, 0x1301, 0x1302, 0xC02F])
        let expected = TLSClientHello(offeredVersions: [0x0304, 0x0303], serverName: "broker.casa.lan", applicationProtocols: ["mqtt"],
                                      cipherSuites: [0x1301, 0x1302, 0xC02F])
        for size in [1, 2, 5, 7, 64, bytes.count] {
            var reader = TLSHelloReader()
            var outcome = TLSHelloReader.Outcome.incomplete
            var start = 0
            while start < bytes.count, outcome == .incomplete {
                outcome = reader.append(bytes[start..<min(bytes.count, start + size)])
                start += size
            }
            XCTAssertEqual(outcome, .clientHello(expected), "chunks of \(size)")
            XCTAssertTrue(reader.done)
        }
    }

    func testWithoutSupportedVersionsTheLegacyVersionIsOffered() {
        var reader = TLSHelloReader()
        let outcome = reader.append(clientHello(serverName: nil, alpn: [], versions: [], suites: [0x002F]))
        XCTAssertEqual(outcome, .clientHello(TLSClientHello(offeredVersions: [0x0303], serverName: nil, applicationProtocols: [],
                                                            cipherSuites: [0x002F])))
    }

    func testAServerHelloNamesTheVersionAndCipher() {
        let extensions = u16(43) + u16(2) + u16(0x0304)
        let body = u16(0x0303) + [UInt8](repeating: 1, count: 32) + [0] + u16(0x1302) + [0] + u16(extensions.count) + extensions
        let record = [22] + u16(0x0303) + u16(body.count + 4) + [2, 0] + u16(body.count) + body
        var reader = TLSHelloReader()
        XCTAssertEqual(reader.append(record), .serverHello(TLSServerHello(version: 0x0304, cipherSuite: 0x1302)))
        XCTAssertEqual(TLSNames.cipherSuite(0x1302), "TLS_AES_256_GCM_SHA384")
        XCTAssertEqual(TLSNames.version(0x0304), "TLS 1.3")
    }

    func testPlainMQTTAndBrokenHellosAreNotHellos() {
        var mqtt = TLSHelloReader()
        XCTAssertEqual(mqtt.append([0x10, 0x0C, 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54]), .notAHello)
        // A handshake record whose ClientHello is cut short inside: refused, not read out of bounds.
        var broken = clientHello(serverName: "x", alpn: [], versions: [], suites: [0x1301])
        broken[9 + 2 + 32] = 200  // session id length past the end
        var reader = TLSHelloReader()
        XCTAssertEqual(reader.append(broken), .notAHello)
        // Random bytes after a handshake header never trap.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var junk: [UInt8] = [22, 3, 1, 0, 60, 1, 0, 0, 56]
            junk += (0..<56).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var random = TLSHelloReader()
            _ = random.append(junk)
        }
    }

    func testTheReaderStopsAtItsLimit() {
        var reader = TLSHelloReader()
        // A record header announcing 64 KB, more than the limit: the reader gives up at its limit.
        var outcome = reader.append([22, 3, 1, 0xFF, 0xFF])
        XCTAssertEqual(outcome, .incomplete)
        outcome = reader.append([UInt8](repeating: 0, count: TLSHelloReader.limit))
        XCTAssertEqual(outcome, .notAHello)
        XCTAssertTrue(reader.done)
    }
}
