import MQTTCodec
import XCTest

/// TCP delivers a byte stream, not packets: however the stream is cut, the framer must return the
/// same packets, and the decoder the same models.
final class ChunkingTests: XCTestCase {
    /// Feeds `chunks` one after the other, draining after each, and returns every packet cut.
    static func frame(_ chunks: [ArraySlice<UInt8>], framer: PacketFramer = PacketFramer()) throws -> [[UInt8]] {
        var framer = framer
        var packets: [[UInt8]] = []
        for chunk in chunks {
            framer.append(chunk)
            while let packet = try framer.next() { packets.append(packet) }
        }
        XCTAssertEqual(framer.bufferedCount, 0, "bytes left over")
        return packets
    }

    func testEveryGoldenPacketSplitAtEveryPoint() throws {
        for vector in Golden.all {
            let bytes = vector.bytes
            for cut in 0...bytes.count {
                let packets = try Self.frame([bytes[..<cut], bytes[cut...]])
                XCTAssertEqual(packets, [bytes], "\(vector.name) cut at \(cut)")
            }
        }
    }

    func testEveryGoldenPacketSplitAtEveryPairOfPoints() throws {
        for vector in Golden.all where vector.bytes.count <= 80 {
            let bytes = vector.bytes
            for first in 0...bytes.count {
                for second in first...bytes.count {
                    let packets = try Self.frame([bytes[..<first], bytes[first..<second], bytes[second...]])
                    XCTAssertEqual(packets, [bytes], "\(vector.name) cut at \(first) and \(second)")
                }
            }
        }
    }

    func testEveryGoldenPacketOneByteAtATime() throws {
        for vector in Golden.all {
            let chunks = vector.bytes.indices.map { vector.bytes[$0...$0] }
            XCTAssertEqual(try Self.frame(chunks), [vector.bytes], vector.name)
        }
    }

    /// All vectors back to back, as one connection would carry them (versions mixed only for the test:
    /// the framer does not depend on the version).
    static var stream: [UInt8] { Golden.all.flatMap(\.bytes) }

    func testTheWholeStreamSplitAtEveryPoint() throws {
        let stream = Self.stream
        let expected = Golden.all.map(\.bytes)
        for cut in 0...stream.count {
            let packets = try Self.frame([stream[..<cut], stream[cut...]])
            guard packets == expected else {
                XCTFail("stream cut at \(cut): \(packets.count) packets instead of \(expected.count)")
                return
            }
        }
    }

    func testTheWholeStreamOneByteAtATimeDecodesToTheModels() throws {
        let stream = Self.stream
        let packets = try Self.frame(stream.indices.map { stream[$0...$0] })
        XCTAssertEqual(packets.count, Golden.all.count)
        for (packet, vector) in zip(packets, Golden.all) {
            XCTAssertEqual(try PacketDecoder.decode(packet, version: vector.version), vector.packet, vector.name)
        }
    }

    func testTheWholeStreamInRandomChunks() throws {
        let stream = Self.stream
        let expected = Golden.all.map(\.bytes)
        var generator = SeededGenerator(seed: 0x5EED_C0DE)
        for round in 0..<200 {
            var chunks: [ArraySlice<UInt8>] = []
            var position = 0
            while position < stream.count {
                let size = Int.random(in: 0...(round % 2 == 0 ? 7 : 300), using: &generator)
                let end = min(stream.count, position + size)
                chunks.append(stream[position..<end])
                position = end
            }
            XCTAssertEqual(try Self.frame(chunks), expected, "round \(round)")
        }
    }

    /// Several packets arriving in one chunk all come out of a single append.
    func testManyPacketsInOneChunk() throws {
        var framer = PacketFramer()
        framer.append(Self.stream)
        var count = 0
        while try framer.next() != nil { count += 1 }
        XCTAssertEqual(count, Golden.all.count)
        XCTAssertEqual(framer.consumed, Self.stream.count)
    }
}
