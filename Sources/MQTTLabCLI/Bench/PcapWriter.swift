/// Writes a classic pcap file of TCP segments over IPv4 on Ethernet, one MQTT packet per segment, so a
/// reference dissector (tshark) can read the same bytes the benchmark decodes.
struct PcapWriter {
    private(set) var bytes: [UInt8] = []
    private var sequence: [Bool: UInt32] = [true: 1000, false: 5000]

    init() {
        // Magic, version 2.4, no time zone offset, accuracy 0, snap length 262144, link type 1 (Ethernet).
        little32(0xA1B2_C3D4)
        little16(2)
        little16(4)
        little32(0)
        little32(0)
        little32(262_144)
        little32(1)
    }

    mutating func append(payload: [UInt8], fromClient: Bool, time: Double, clientPort: UInt16 = 50_000, brokerPort: UInt16 = 1883) {
        var frame: [UInt8] = []
        frame += [0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x08, 0x00]  // Ethernet: destination, source, IPv4
        let totalLength = 20 + 20 + payload.count
        var ip: [UInt8] = [0x45, 0, UInt8(totalLength >> 8), UInt8(totalLength & 0xFF), 0, 0, 0x40, 0, 64, 6, 0, 0,
                           127, 0, 0, 1, 127, 0, 0, 1]
        var sum: UInt32 = 0
        for index in stride(from: 0, to: 20, by: 2) { sum += UInt32(ip[index]) << 8 | UInt32(ip[index + 1]) }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        let checksum = ~UInt16(sum)
        ip[10] = UInt8(checksum >> 8)
        ip[11] = UInt8(checksum & 0xFF)
        frame += ip
        let (source, destination) = fromClient ? (clientPort, brokerPort) : (brokerPort, clientPort)
        let seq = sequence[fromClient] ?? 0
        let ack = sequence[!fromClient] ?? 0
        sequence[fromClient] = seq &+ UInt32(payload.count)
        frame += [UInt8(source >> 8), UInt8(source & 0xFF), UInt8(destination >> 8), UInt8(destination & 0xFF)]
        frame += [UInt8(seq >> 24), UInt8(seq >> 16 & 0xFF), UInt8(seq >> 8 & 0xFF), UInt8(seq & 0xFF)]
        frame += [UInt8(ack >> 24), UInt8(ack >> 16 & 0xFF), UInt8(ack >> 8 & 0xFF), UInt8(ack & 0xFF)]
        frame += [0x50, 0x18, 0xFF, 0xFF, 0, 0, 0, 0]  // header length 20, PSH+ACK, window, checksum 0 (unchecked), urgent
        frame += payload
        let seconds = UInt32(time)
        little32(seconds)
        little32(UInt32((time - Double(seconds)) * 1_000_000))
        little32(UInt32(frame.count))
        little32(UInt32(frame.count))
        bytes += frame
    }

    private mutating func little16(_ value: UInt16) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private mutating func little32(_ value: UInt32) {
        bytes += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }
}
