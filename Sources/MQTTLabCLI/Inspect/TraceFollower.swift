#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `--follow`: reads what a running `mqttlab broker --trace-json FILE` appended since the last look, like
/// `tail -f`. The file may not exist yet (the broker is starting) or start again from zero (the broker was
/// restarted and truncated it); both are handled. Bounded: at most `chunkLimit` bytes a poll, and it stops
/// taking packets after `packetLimit`, saying so.
struct TraceFollower {
    let path: String
    private var reader: TraceJSONReader
    private var offset: off_t = 0
    private var stopped = false
    static let chunkLimit = 4 << 20
    static let packetLimit = 100_000

    init(path: String, startingAt offset: Int = 0, reader: TraceJSONReader? = nil) {
        self.path = path
        self.offset = off_t(offset)
        self.reader = reader ?? TraceJSONReader(path: path)
    }

    /// Packets and problems from the bytes added since the last call; empty when nothing changed.
    mutating func poll() -> TraceJSONReader.Batch {
        guard !stopped else { return TraceJSONReader.Batch() }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return TraceJSONReader.Batch() }  // not there yet
        defer { close(descriptor) }
        var information = stat()
        guard fstat(descriptor, &information) == 0 else { return TraceJSONReader.Batch() }
        var batch = TraceJSONReader.Batch()
        if information.st_size < offset {
            batch.problems.append("\(path): the file started again from the beginning (was the broker restarted?)")
            offset = 0
            reader = TraceJSONReader(path: path)
        }
        let available = Int(information.st_size - offset)
        guard available > 0 else { return batch }
        var buffer = [UInt8](repeating: 0, count: min(available, Self.chunkLimit))
        let count = pread(descriptor, &buffer, buffer.count, offset)
        guard count > 0 else { return batch }
        offset += off_t(count)
        let more = reader.feed(buffer[0..<count])
        batch.packets += more.packets
        batch.problems += more.problems
        if reader.packetCount >= Self.packetLimit {
            stopped = true
            batch.problems.append("\(path): stopped following after \(Self.packetLimit) packets")
        }
        return batch
    }
}
