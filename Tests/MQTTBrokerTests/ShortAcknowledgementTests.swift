@testable import MQTTBroker
import MQTTCodec
import XCTest

/// The untraced broker writes Success acknowledgements as four bytes of its own; they must be exactly
/// what the codec encodes, in both versions, and anything else must take the codec's path.
final class ShortAcknowledgementTests: XCTestCase {
    func testTheFourBytesAreWhatTheCodecEncodes() throws {
        let makers: [(PublishAck) -> Packet] = [Packet.puback, Packet.pubrec, Packet.pubrel, Packet.pubcomp]
        for version in ProtocolVersion.allCases {
            for make in makers {
                for packetID: UInt16 in [1, 255, 256, 0xBEEF, 0xFFFF] {
                    let packet = make(PublishAck(packetID: packetID))
                    let (firstByte, id) = try XCTUnwrap(BrokerCore.shortAcknowledgement(packet), "\(packet)")
                    XCTAssertEqual([firstByte, 2, UInt8(id >> 8), UInt8(id & 0xFF)], try packet.encode(version: version),
                                   "\(packet) in \(version)")
                }
            }
        }
    }

    func testAFailureCodePropertiesOrAnotherPacketTakeTheCodecsPath() {
        XCTAssertNil(BrokerCore.shortAcknowledgement(.puback(PublishAck(packetID: 1, reasonCode: .notAuthorized))))
        XCTAssertNil(BrokerCore.shortAcknowledgement(.pubrec(PublishAck(packetID: 1, reasonCode: .noMatchingSubscribers))))
        XCTAssertNil(BrokerCore.shortAcknowledgement(.pubcomp(PublishAck(packetID: 1, properties: [.reasonString("why")]))))
        XCTAssertNil(BrokerCore.shortAcknowledgement(.pingresp))
    }
}
