import MQTTCodec
import XCTest

/// model → bytes → model for generated valid models of every packet type in every version, and
/// bytes → model → bytes for the resulting bytes.
final class RoundTripTests: XCTestCase {
    static let versions: [ProtocolVersion] = [.v3_1, .v3_1_1, .v5_0]

    func testGeneratedModelsRoundTrip() throws {
        var generator = ModelGenerator(seed: 0xC0DEC)
        for version in Self.versions {
            for type in PacketType.allCases where version.isV5 || type != .auth {
                for index in 0..<150 {
                    let packet = generator.packet(type, version)
                    try assertRoundTrip(packet, version, "\(type) #\(index) \(version)")
                }
            }
        }
    }

    /// All generated packets of a session through the framer: the stream cuts back into the same packets.
    func testGeneratedStreamThroughTheFramer() throws {
        var generator = ModelGenerator(seed: 0xF4A3E)
        for version in Self.versions {
            let packets = (0..<400).map { _ in generator.packet(version) }
            let encoded = try packets.map { try $0.encode(version: version) }
            let stream = encoded.flatMap { $0 }
            var framer = PacketFramer()
            var position = 0
            var cut: [[UInt8]] = []
            while position < stream.count {
                let end = min(stream.count, position + generator.int(1...64))
                framer.append(stream[position..<end])
                position = end
                while let packet = try framer.next() { cut.append(packet) }
            }
            XCTAssertEqual(cut, encoded, "\(version)")
            XCTAssertEqual(try cut.map { try PacketDecoder.decode($0, version: version) }, packets, "\(version)")
        }
    }

    func assertRoundTrip(_ packet: Packet, _ version: ProtocolVersion, _ context: String,
                         file: StaticString = #filePath, line: UInt = #line) throws {
        let bytes: [UInt8]
        do {
            bytes = try packet.encode(version: version)
        } catch {
            return XCTFail("\(context): cannot encode \(packet): \(error)", file: file, line: line)
        }
        switch decodeOutcome(bytes, version) {
        case .success(let decoded):
            XCTAssertEqual(decoded, packet, "\(context): \(hexString(bytes))", file: file, line: line)
            XCTAssertEqual(try decoded.encode(version: version), bytes, "\(context): re-encoding", file: file, line: line)
        case .failure(let error):
            XCTFail("\(context): \(error)\n\(packet)\n\(hexString(bytes))", file: file, line: line)
        }
        let dissection = PacketDecoder.dissect(bytes, version: version)
        XCTAssertEqual(dissection.packet, packet, context, file: file, line: line)
        assertWellFormedDissection(dissection, context, file: file, line: line)
    }
}
