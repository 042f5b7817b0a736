import MQTTCodec
import XCTest

/// The untraced broker writes Success acknowledgements as four bytes (`Packet.shortAcknowledgement`); they
/// must be exactly what the codec encodes, in every version, and anything else must have no short form.
final class ShortAcknowledgementTests: XCTestCase {
    func testTheFourBytesAreWhatTheCodecEncodes() throws {
        let makers: [(PublishAck) -> Packet] = [Packet.puback, Packet.pubrec, Packet.pubrel, Packet.pubcomp]
        for version in ProtocolVersion.allCases {
            for make in makers {
                for packetID: UInt16 in [1, 255, 256, 0xBEEF, 0xFFFF] {
                    let packet = make(PublishAck(packetID: packetID))
                    let (firstByte, id) = try XCTUnwrap(packet.shortAcknowledgement, "\(packet)")
                    XCTAssertEqual([firstByte, 2, UInt8(id >> 8), UInt8(id & 0xFF)], try packet.encode(version: version),
                                   "\(packet) in \(version)")
                }
            }
        }
    }

    func testAFailureCodePropertiesOrAnotherPacketTakeTheCodecsPath() {
        XCTAssertNil(Packet.puback(PublishAck(packetID: 1, reasonCode: .notAuthorized)).shortAcknowledgement)
        XCTAssertNil(Packet.pubrec(PublishAck(packetID: 1, reasonCode: .noMatchingSubscribers)).shortAcknowledgement)
        XCTAssertNil(Packet.pubcomp(PublishAck(packetID: 1, properties: [.reasonString("why")])).shortAcknowledgement)
        XCTAssertNil(Packet.pingresp.shortAcknowledgement)
    }
}

/// `PublishLayout.reheaded`: a received PUBLISH with other flags and packet id is what the encoder writes
/// for the same message with those flags and id.
final class PublishLayoutTests: XCTestCase {
    func testAReheadedPublishIsWhatTheEncoderWrites() throws {
        let payloads: [[UInt8]] = [[], Array("22.5".utf8), [UInt8](repeating: 0xAB, count: 300)]
        for version in ProtocolVersion.allCases {
            for inQoS in QoS.allCases {
                for payload in payloads {
                    let properties: Properties = version.isV5 ? [.userProperty(name: "k", value: "v")] : []
                    let received = Publish(topic: "casa/luz", payload: payload, qos: inQoS, retain: true,
                                           packetID: inQoS == .atMostOnce ? nil : 513, properties: properties)
                    let bytes = try Packet.publish(received).encode(version: version)
                    let layout = try XCTUnwrap(PublishLayout(bytes: bytes))
                    for outQoS in QoS.allCases {
                        for (dup, retain) in [(false, false), (true, true)] {
                            let id: UInt16? = outQoS == .atMostOnce ? nil : 7
                            let out = PublishLayout.reheaded(bytes, layout: layout, dup: dup && id != nil, qos: outQoS, retain: retain,
                                                             packetID: id)
                            XCTAssertEqual(out.count, PublishLayout.reheadedCount(bytes, layout: layout, hasPacketID: id != nil))
                            // Into a larger buffer: only the packet's bytes are written, and counted.
                            var spacious = [UInt8](repeating: 0xEE, count: out.count + 8)
                            let written = spacious.withUnsafeMutableBytes {
                                PublishLayout.reheaded(bytes, layout: layout, dup: dup && id != nil, qos: outQoS, retain: retain,
                                                       packetID: id, into: $0)
                            }
                            XCTAssertEqual(written, out.count)
                            XCTAssertEqual(Array(spacious[..<written]), out)
                            XCTAssertEqual(Array(spacious[written...]), [UInt8](repeating: 0xEE, count: 8))
                            var expected = received
                            (expected.qos, expected.retain, expected.dup, expected.packetID) = (outQoS, retain, dup && id != nil, id)
                            XCTAssertEqual(out, try Packet.publish(expected).encode(version: version), "\(version) \(inQoS)→\(outQoS)")
                        }
                    }
                }
            }
        }
    }

    func testBytesThatAreNotAPublishHaveNoLayout() {
        XCTAssertNil(PublishLayout(bytes: [0x40, 0x02, 0x00, 0x01]), "a PUBACK")
        XCTAssertNil(PublishLayout(bytes: [0x30, 0x05, 0x00, 0x09, 0x61]), "a topic longer than the packet")
        XCTAssertNil(PublishLayout(bytes: [0x30]))
    }
}
