import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `--trace-json` lines to a file from a thread of its own, like `BrokerTraceOutput` does for the
/// text trace: the event loop only appends to a bounded buffer and never waits for the disk. Each batch
/// of whole lines goes out with `write(2)` at once (no user-space buffer), so `tail -f` and checkers
/// see every line as soon as the writer wakes.
///
/// When the writer falls more than `limitBytes` behind, new lines are dropped and counted, and one line
/// `{"kind":"dropped","time":"…","lines":N}` marks the gap where they would have been.
final class BrokerTraceJSONOutput: @unchecked Sendable {
    // `@unchecked Sendable` is safe: every stored `var` (pending, pendingBytes, droppedLines, finished,
    // started, descriptor) is read and written only between `condition.lock()` and `condition.unlock()`,
    // by the producing thread (the event loop) and the writer thread alike — except `descriptor` after
    // `finish()` has joined the writer, when only the calling thread remains; the `let`s are immutable.
    private let condition = NSCondition()
    private var pending: [String] = []
    private var pendingBytes = 0
    private var droppedLines = 0
    private var finished = false
    private var started = false
    private var descriptor: Int32
    private let limitBytes: Int
    private let done = DispatchSemaphore(value: 0)

    /// Opens (creates or truncates) `path`. Throws a message naming the file when it cannot be opened.
    init(path: String, limitBytes: Int = 4 << 20) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw BrokerTraceJSONOutputError(path: path, reason: String(cString: strerror(errno)))
        }
        self.descriptor = descriptor
        self.limitBytes = limitBytes
    }

    /// Starts the writer thread.
    func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !started, !finished else { return }
        started = true
        let thread = Thread { [self] in run() }
        thread.name = "mqttlab trace-json output"
        thread.start()
    }

    /// Queues one line (a trailing newline is added). Never blocks on the file.
    func enqueue(_ line: String) {
        condition.lock()
        defer { condition.unlock() }
        guard !finished else { return }
        let size = line.utf8.count + 1
        if pendingBytes + size > limitBytes {
            droppedLines += 1
            return
        }
        pending.append(line)
        pendingBytes += size
        condition.signal()
    }

    /// Writes what is queued, stops the thread and closes the file. Call once, at exit.
    func finish() {
        condition.lock()
        let wasStarted = started
        finished = true
        condition.signal()
        condition.unlock()
        if wasStarted {
            done.wait()
        } else {
            drainOnce()
        }
        condition.lock()
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        condition.unlock()
    }

    private func run() {
        while !drainOnce() {}
        done.signal()
    }

    /// Waits for lines (unless finishing), writes one batch; true when the output is finished.
    @discardableResult
    private func drainOnce() -> Bool {
        condition.lock()
        while pending.isEmpty && droppedLines == 0 && !finished { condition.wait() }
        let lines = pending
        let dropped = droppedLines
        let last = finished
        let fd = descriptor
        pending.removeAll(keepingCapacity: true)
        pendingBytes = 0
        droppedLines = 0
        condition.unlock()

        var text = ""
        for line in lines {
            text += line
            text += "\n"
        }
        if dropped > 0 {
            text += JSONWriter.render(.object([
                ("kind", .string("dropped")),
                ("time", .string(BrokerTraceJSONRenderer.time(.now()))),
                ("lines", .int(Int64(dropped))),
            ])) + "\n"
        }
        if !text.isEmpty { Self.write(text, to: fd) }
        return last
    }

    /// Writes all of `text` to `fd`, retrying on EINTR; gives up on a full disk or a closed descriptor
    /// (the recording is lost, the broker goes on).
    static func write(_ text: String, to fd: Int32) {
        guard fd >= 0 else { return }
        var bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                #if canImport(Glibc)
                Glibc.write(fd, buffer.baseAddress! + start, buffer.count - start)
                #elseif canImport(Musl)
                Musl.write(fd, buffer.baseAddress! + start, buffer.count - start)
                #else
                Darwin.write(fd, buffer.baseAddress! + start, buffer.count - start)
                #endif
            }
            if written > 0 {
                start += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}

struct BrokerTraceJSONOutputError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot write --trace-json file \(path): \(reason)" }
}
