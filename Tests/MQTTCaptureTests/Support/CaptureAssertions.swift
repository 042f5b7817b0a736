@testable import MQTTCapture

extension Capture {
    /// All bytes of one direction of a connection, joined.
    func stream(connection: Int, fromInitiator: Bool) -> [UInt8] {
        chunks.filter { $0.connection == connection && $0.fromInitiator == fromInitiator }.flatMap(\.bytes)
    }

    func text(connection: Int, fromInitiator: Bool) -> String {
        String(decoding: stream(connection: connection, fromInitiator: fromInitiator), as: UTF8.self)
    }
}

/// Addresses used throughout the tests (documentation ranges, RFC 5737 / RFC 3849).
enum Address {
    static let client4: [UInt8] = [192, 0, 2, 10]
    static let server4: [UInt8] = [198, 51, 100, 20]
    static let client6: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a]
    static let server6: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x14]

    static func conversation4(clientPort: UInt16 = 50_000, serverPort: UInt16 = 1883) -> Conversation {
        Conversation(client: client4, clientPort: clientPort, server: server4, serverPort: serverPort)
    }

    static func conversation6(clientPort: UInt16 = 50_000, serverPort: UInt16 = 1883) -> Conversation {
        Conversation(client: client6, clientPort: clientPort, server: server6, serverPort: serverPort)
    }
}

/// A pcap file of raw IP packets (link type 101): the shortest way to feed segments to the reader.
func rawCapture(_ packets: [[UInt8]]) -> [UInt8] {
    var pcap = PcapBuilder(linkType: 101)
    for (index, packet) in packets.enumerated() {
        pcap.add(packet, seconds: 1_700_000_000, fraction: UInt32(index))
    }
    return pcap.bytes
}
