import Foundation
import MQTTCodec

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes the broker's trace to standard output from a thread of its own, so the event loop never waits
/// for a terminal or a pipe: the loop only appends text to a bounded buffer. Each batch is flushed at
/// once, so a piped trace shows up line by line.
///
/// When the reader (a terminal scrolled back, a stalled pipe) falls more than `limitBytes` behind, new
/// lines are dropped and counted, and a note says how many were lost: the broker's memory stays bounded
/// and it keeps serving clients.
final class BrokerTraceOutput: @unchecked Sendable {
    // `@unchecked Sendable` is safe: every stored `var` (pending, pendingBytes, droppedLines, finished,
    // started) is read and written only between `condition.lock()` and `condition.unlock()`, by the
    // producing thread (the event loop) and the writer thread alike; the `let`s are immutable.
    private let condition = NSCondition()
    private var pending: [String] = []
    private var pendingBytes = 0
    private var droppedLines = 0
    private var finished = false
    private var started = false
    private let limitBytes: Int
    private let language: Language
    private let done = DispatchSemaphore(value: 0)

    init(limitBytes: Int = 4 << 20, language: Language) {
        self.limitBytes = limitBytes
        self.language = language
    }

    /// Starts the writer thread.
    func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !started else { return }
        started = true
        let thread = Thread { [self] in run() }
        thread.name = "mqttlab trace output"
        thread.start()
    }

    /// Queues one line (a trailing newline is added). Never blocks on the output.
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

    /// Writes what is queued, then stops the thread. Call once, from the main thread, at exit.
    func finish() {
        condition.lock()
        let wasStarted = started
        finished = true
        condition.signal()
        condition.unlock()
        if wasStarted { done.wait() }
    }

    private func run() {
        while true {
            condition.lock()
            while pending.isEmpty && droppedLines == 0 && !finished { condition.wait() }
            let lines = pending
            let dropped = droppedLines
            let last = finished
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
                text += language == .es
                    ? "  … \(dropped) líneas de traza perdidas: la salida no se leía a tiempo\n"
                    : "  … \(dropped) trace lines lost: the output was not read fast enough\n"
            }
            if !text.isEmpty { Self.writeToStandardOutput(text) }
            if last { break }
        }
        done.signal()
    }

    /// Writes straight to file descriptor 1, unbuffered: every line is out as soon as this returns (no
    /// C `stdout` buffer to flush, no ordering question between buffers). Blocks only the calling
    /// thread: the writer thread, or the main thread before and after the broker runs.
    static func writeToStandardOutput(_ text: String) {
        var bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                write(STDOUT_FILENO, buffer.baseAddress! + start, buffer.count - start)
            }
            if written > 0 {
                start += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return  // closed pipe or full disk: the trace is lost, the broker goes on
            }
        }
    }
}
