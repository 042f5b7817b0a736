import MQTTCapture
import MQTTCodec

/// Finds the MQTT packets in a capture: follows each TCP connection in both directions, cuts the
/// bytes into packets (reassembled across segments, split where segments hold several), and reads
/// them with the version of the connection's CONNECT.
struct CaptureDecoder {
    /// Treat connections to or from this port as MQTT even when they do not start with a CONNECT.
    var forcedPorts: Set<UInt16>
    var givenVersion: ProtocolVersion?

    struct Result {
        var packets: [DecodedPacket] = []
        /// Things a user should know: skipped connections, gaps, packets cut off at the end.
        var notes: [String] = []
    }

    private struct Connection {
        var isMQTT: Bool
        /// Client to broker, and broker to client.
        var toBroker: PacketStreamDecoder
        var toClient: PacketStreamDecoder
        var description: String
        var lastFrame = 0
        var lastTime = 0.0
    }

    func decode(_ capture: Capture) -> Result {
        var result = Result()
        var connections: [Int: Connection] = [:]
        var order: [Int] = []
        for chunk in capture.chunks {
            if connections[chunk.connection] == nil {
                let isMQTT = looksLikeMQTT(chunk)
                let (client, broker) = chunk.fromInitiator ? (chunk.source, chunk.destination) : (chunk.destination, chunk.source)
                let description = "\(client) → \(broker)"
                connections[chunk.connection] = Connection(
                    isMQTT: isMQTT, toBroker: PacketStreamDecoder(version: givenVersion),
                    toClient: PacketStreamDecoder(version: givenVersion), description: description)
                order.append(chunk.connection)
                if !isMQTT {
                    result.notes.append("connection \(chunk.connection) (\(description)) does not start with an MQTT CONNECT and uses no MQTT port: skipped (use --port to decode it anyway)")
                }
            }
            guard var connection = connections[chunk.connection], connection.isMQTT else { continue }
            connection.lastFrame = chunk.frameNumber
            connection.lastTime = chunk.timestamp
            if chunk.missingBytesBefore > 0 {
                result.notes.append("connection \(chunk.connection), frame \(chunk.frameNumber): \(chunk.missingBytesBefore) bytes were not captured; decoding starts again after the gap")
                let version = chunk.fromInitiator ? connection.toBroker.connectVersion : connection.toClient.connectVersion
                let restarted = PacketStreamDecoder(version: givenVersion ?? version)
                if chunk.fromInitiator { connection.toBroker = restarted } else { connection.toClient = restarted }
            }
            var decoded: [DecodedPacket]
            if chunk.fromInitiator {
                decoded = connection.toBroker.feed(chunk.bytes)
                // The broker's answers follow the client's CONNECT.
                if connection.toClient.givenVersion == nil, let version = connection.toBroker.connectVersion {
                    connection.toClient.adoptConnectVersion(version)
                }
            } else {
                decoded = connection.toClient.feed(chunk.bytes)
            }
            let context = CaptureContext(frame: chunk.frameNumber, time: chunk.timestamp, connection: chunk.connection,
                                         source: chunk.source.description, destination: chunk.destination.description,
                                         fromClient: chunk.fromInitiator)
            for index in decoded.indices { decoded[index].capture = context }
            result.packets.append(contentsOf: decoded)
            connections[chunk.connection] = connection
        }
        for id in order {
            guard let connection = connections[id], connection.isMQTT else { continue }
            for (stream, name) in [(connection.toBroker, "client → broker"), (connection.toClient, "broker → client")]
            where stream.pendingByteCount > 0 {
                result.notes.append("connection \(id) (\(connection.description)), \(name): the capture ends in the middle of a packet (\(stream.pendingByteCount) bytes of it were captured)")
            }
        }
        return result
    }

    /// A connection is MQTT when it starts like a CONNECT (type 1, then "MQTT" or "MQIsdp"), or uses
    /// the MQTT ports 1883/8883, or a port the user named.
    private func looksLikeMQTT(_ chunk: TCPChunk) -> Bool {
        let ports: Set<UInt16> = forcedPorts.union([1883])
        if ports.contains(chunk.source.port) || ports.contains(chunk.destination.port) { return true }
        guard chunk.fromInitiator, chunk.missingBytesBefore == 0 else { return false }
        let bytes = chunk.bytes
        guard bytes.first == 0x10 else { return false }
        for nameStart in 2...5 where bytes.count >= nameStart + 6 {
            let name = bytes[nameStart..<min(bytes.count, nameStart + 8)]
            if name.starts(with: [0x00, 0x04] + Array("MQTT".utf8)) || name.starts(with: [0x00, 0x06] + Array("MQIsdp".utf8)) {
                return true
            }
        }
        return false
    }
}

extension PacketStreamDecoder {
    /// The broker's stream learns the version from the client's CONNECT on the other stream.
    mutating func adoptConnectVersion(_ version: ProtocolVersion) {
        if connectVersion == nil { setConnectVersion(version) }
    }
}
