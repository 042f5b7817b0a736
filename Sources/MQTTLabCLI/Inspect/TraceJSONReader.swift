import Foundation
import MQTTCodec

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads `mqttlab broker --trace-json` files (one JSON object per line, see `BrokerTraceJSONRenderer`)
/// into inspector packets, a piece at a time, so the same reader serves a finished file and a file the
/// broker is still writing (`--follow`).
///
/// Only what says *which* bytes and *who* is taken from each line — `time`, `connection`, `client`,
/// `direction`, `version`, `hex` — and the bytes are dissected again by the codec, so every meaning
/// comes from the one dissector (the line's own `fields` are not trusted). Bad lines are reported with
/// the file and line number and skipped; a cut last line waits for the rest.
struct TraceJSONReader {
    let path: String
    private var partial: [UInt8] = []
    private var lineNumber = 0
    private(set) var packetCount = 0
    /// A line longer than this is not a trace line: it is reported and skipped, so memory stays bounded.
    static let maximumLineLength = 16 << 20

    init(path: String) {
        self.path = path
    }

    struct Batch {
        var packets: [InspectedPacket] = []
        var problems: [String] = []
    }

    mutating func feed(_ bytes: some Collection<UInt8>) -> Batch {
        var batch = Batch()
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index != bytes.endIndex {
            if bytes[index] == UInt8(ascii: "\n") {
                partial.append(contentsOf: bytes[start..<index])
                lineNumber += 1
                take(line: partial, into: &batch)
                partial.removeAll(keepingCapacity: true)
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        partial.append(contentsOf: bytes[start..<bytes.endIndex])
        if partial.count > Self.maximumLineLength {
            lineNumber += 1
            batch.problems.append("\(path):\(lineNumber): a line of more than \(Self.maximumLineLength) bytes is not a trace line: skipped")
            partial.removeAll()
        }
        return batch
    }

    /// The end of a finished file: a last line without a newline is read too.
    mutating func finish() -> Batch {
        var batch = Batch()
        if !partial.isEmpty {
            lineNumber += 1
            take(line: partial, into: &batch)
            partial.removeAll()
        }
        return batch
    }

    /// The members of a trace line the inspector reads; the rest (the line's own `fields`, event data)
    /// is skipped by the decoder without being turned into objects.
    private struct Line: Decodable {
        var kind: String?
        var time: String?
        var connection: Int?
        var client: String?
        var direction: String?
        var version: String?
        var hex: String?
        var lines: Int?
    }

    private let decoder = JSONDecoder()

    private mutating func take(line: [UInt8], into batch: inout Batch) {
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
        let place = "\(path):\(lineNumber)"
        guard line.first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "{"),
              let object = try? decoder.decode(Line.self, from: Data(line)) else {
            batch.problems.append("\(place): not a JSON object (is this an mqttlab broker --trace-json file?)")
            return
        }
        switch object.kind {
        case "packet":
            switch packet(object, place: place) {
            case .success(let packet): batch.packets.append(packet)
            case .failure(let problem): batch.problems.append("\(place): \(problem.message)")
            }
        case "dropped":
            batch.problems.append("\(place): the broker dropped \(object.lines ?? 0) trace lines here (it could not write them fast enough)")
        case "event":
            break  // events say what the broker did; the inspector walks packets
        default:
            batch.problems.append("\(place): no \"kind\" of packet, event or dropped: not a trace line")
        }
    }

    private struct Problem: Error {
        var message: String
    }

    private mutating func packet(_ object: Line, place: String) -> Result<InspectedPacket, Problem> {
        guard let hex = object.hex else { return .failure(Problem(message: "a packet line without \"hex\"")) }
        let bytes: [UInt8]
        do {
            bytes = try HexInput.parse([hex])
        } catch {
            return .failure(Problem(message: "\"hex\" is not hexadecimal"))
        }
        guard !bytes.isEmpty else { return .failure(Problem(message: "\"hex\" is empty")) }
        let versionText = object.version ?? ""
        guard let version = ProtocolVersion(userText: versionText) else {
            return .failure(Problem(message: "\"version\" must be 3.1, 3.1.1 or 5.0, not \"\(versionText)\""))
        }
        let direction: PacketDirection = switch object.direction {
        case "in": .toBroker
        case "out": .toClient
        default: .unknown
        }
        packetCount += 1
        return .success(InspectedPacket(
            number: packetCount, time: object.time.flatMap(Self.seconds(fromISO8601:)), connection: object.connection ?? 0,
            client: object.client, direction: direction, dissection: PacketDecoder.dissect(bytes, version: version), origin: place))
    }

    /// "2026-11-25T12:01:41.248123Z" (UTC, as the broker writes it) → seconds since the epoch, keeping the
    /// fraction. Read by hand with `timegm`: a date formatter per line made big traces slow to open.
    static func seconds(fromISO8601 text: String) -> Double? {
        let characters = Array(text.utf8)
        guard characters.count >= 20, characters.last == UInt8(ascii: "Z"), characters[10] == UInt8(ascii: "T") else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for index in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(characters[index]) else { return nil }
                value = value * 10 + Int32(characters[index] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        var seconds = Double(timegm(&parts))
        if characters[19] == UInt8(ascii: "."), let fraction = Double("0." + String(decoding: characters[20..<(characters.count - 1)], as: UTF8.self)) {
            seconds += fraction
        }
        return seconds
    }
}

/// A whole `--trace-json` file as a packet list.
enum TraceJSONInput {
    static func load(path: String) throws -> PacketList {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(message: "cannot read \(path): no such file, or not readable")
        }
        var reader = TraceJSONReader(path: path)
        let first = reader.feed(data)
        let last = reader.finish()
        var list = PacketList(title: InspectInputName.short(path))
        list.packets = first.packets + last.packets
        list.notes = first.problems + last.problems
        list.nameClientsFromConnects()
        if list.packets.isEmpty && list.notes.isEmpty { list.notes.append("\(path): no packets in this trace") }
        return list
    }
}
