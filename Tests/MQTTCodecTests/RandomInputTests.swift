import MQTTCodec
import XCTest

/// Arbitrary bytes never crash `decode`, `dissect` or the framer; `dissect` always covers every byte
/// exactly once and agrees with `decode` (and so does `decodePublish` on PUBLISH bytes); whatever decodes re-encodes to something that decodes to the
/// same model. Everything is seeded, so a failure reproduces.
final class RandomInputTests: XCTestCase {
    static let versions: [ProtocolVersion] = [.v3_1, .v3_1_1, .v5_0]

    /// First bytes that pass the fixed-header check, so random bodies reach the body parsers.
    static let plausibleFirstBytes: [UInt8] = [0x10, 0x20, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x3A, 0x3D, 0x40, 0x50, 0x62, 0x70, 0x82, 0x90,
                                               0xA2, 0xB0, 0xC0, 0xD0, 0xE0, 0xF0]

    /// Checks one input in every version; returns a description of the first broken promise.
    static func check(_ bytes: [UInt8]) -> String? {
        for version in versions {
            let outcome = decodeOutcome(bytes, version)
            let dissection = PacketDecoder.dissect(bytes, version: version)
            if let problem = dissectionProblem(dissection) { return "\(version) dissection: \(problem)" }
            if dissection.bytes != bytes { return "\(version): dissection bytes differ" }
            if bytes.first.map({ $0 >> 4 }) == PacketType.publish.rawValue {
                // The broker's PUBLISH-only decoder: the same packet, or the same error.
                let publishOutcome: Result<Packet, MalformedPacket>
                do { publishOutcome = .success(.publish(try PacketDecoder.decodePublish(bytes, version: version))) } catch { publishOutcome = .failure(error) }
                if publishOutcome != outcome { return "\(version): decodePublish gives \(publishOutcome), decode \(outcome)" }
            }
            switch outcome {
            case .success(let packet):
                if dissection.packet != packet || dissection.error != nil { return "\(version): dissect disagrees with decode" }
                do {
                    let again = try packet.encode(version: version)
                    guard case .success(let redecoded) = decodeOutcome(again, version), redecoded == packet else {
                        return "\(version): \(packet) re-encoded as \(hexString(again)) does not decode back"
                    }
                } catch {
                    return "\(version): a decoded packet cannot be encoded: \(error)"
                }
            case .failure(let error):
                if dissection.packet != nil || dissection.error != error { return "\(version): dissect error \(String(describing: dissection.error)) vs \(error)" }
                if error.offset < 0 || error.offset > bytes.count { return "\(version): offset \(error.offset) outside the packet" }
                if error.message(.en).isEmpty || error.message(.es).isEmpty { return "\(version): empty message" }
            }
        }
        return nil
    }

    func testRandomBytes() {
        var random = SeededGenerator(seed: 0xBAD_F00D)
        var decoded = 0
        for index in 0..<4000 {
            let length = index % 4 == 0 ? Int.random(in: 0...6, using: &random) : Int.random(in: 0...48, using: &random)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            if !bytes.isEmpty && index % 2 == 0 { bytes[0] = Self.plausibleFirstBytes.randomElement(using: &random)! }
            if bytes.count >= 2 && index % 3 != 0 { bytes[1] = UInt8(bytes.count - 2) }  // a consistent Remaining Length
            if let problem = Self.check(bytes) { return XCTFail("input #\(index) \(hexString(bytes)): \(problem)") }
            for version in Self.versions { if case .success = decodeOutcome(bytes, version) { decoded += 1 } }
        }
        // Not a promise of the codec, a check that the generator reaches past the fixed header.
        XCTAssertGreaterThan(decoded, 50)
    }

    func testMutatedGoldenVectors() {
        var random = SeededGenerator(seed: 0x600D_5EED)
        for vector in Golden.all {
            for round in 0..<120 {
                var bytes = vector.bytes
                switch round % 6 {
                case 0:
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[index] = UInt8.random(in: 0...255, using: &random)
                case 1:
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[index] ^= 1 << UInt8.random(in: 0...7, using: &random)
                case 2:
                    bytes.insert(UInt8.random(in: 0...255, using: &random), at: Int.random(in: 0...bytes.count, using: &random))
                case 3:
                    bytes.remove(at: Int.random(in: 0..<bytes.count, using: &random))
                case 4:
                    bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
                default:
                    // Change a body byte but keep the Remaining Length right, to get deep into the parser.
                    if bytes.count > 2 && bytes[1] < 0x80 {
                        let index = Int.random(in: 2..<bytes.count, using: &random)
                        bytes[index] = UInt8.random(in: 0...255, using: &random)
                    }
                }
                if let problem = Self.check(bytes) { return XCTFail("\(vector.name) mutated to \(hexString(bytes)): \(problem)") }
            }
        }
    }

    /// Mutating every byte of every golden vector to every value: exhaustive for single-byte damage.
    func testEverySingleByteChangeOfEveryVector() {
        for vector in Golden.all where vector.bytes.count <= 48 {
            for index in vector.bytes.indices {
                for value in 0...255 {
                    var bytes = vector.bytes
                    bytes[index] = UInt8(value)
                    if let problem = Self.check(bytes) { return XCTFail("\(vector.name) with byte \(index) = \(value): \(problem)") }
                }
            }
        }
    }

    /// The framer on random streams: it cuts or waits or refuses, never crashes, and whatever it cuts is
    /// exactly one packet as its header describes.
    func testFramerOnRandomStreams() {
        var random = SeededGenerator(seed: 0xF2A3E5)
        for _ in 0..<300 {
            var framer = PacketFramer(maximumPacketSize: Int.random(in: 2...300, using: &random))
            var stream: [UInt8] = []
            for _ in 0..<Int.random(in: 1...20, using: &random) {
                let chunk = (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                stream += chunk
                framer.append(chunk)
                do {
                    while let packet = try framer.next() {
                        XCTAssertGreaterThanOrEqual(packet.count, 2)
                        XCTAssertLessThanOrEqual(packet.count, framer.maximumPacketSize)
                        XCTAssertTrue(Self.framedLengthIsConsistent(packet), hexString(packet))
                    }
                } catch {
                    XCTAssertLessThanOrEqual(error.offset, stream.count)
                    break
                }
            }
        }
    }

    /// A framed packet is its header plus exactly Remaining Length bytes.
    static func framedLengthIsConsistent(_ packet: [UInt8]) -> Bool {
        var value = 0
        var multiplier = 1
        for index in 1..<min(packet.count, 5) {
            value += Int(packet[index] & 0x7F) * multiplier
            if packet[index] & 0x80 == 0 { return packet.count == index + 1 + value }
            multiplier *= 128
        }
        return false
    }
}
