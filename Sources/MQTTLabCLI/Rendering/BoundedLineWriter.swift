import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes lines to a file descriptor from a thread of its own, so the broker's event loop never waits for
/// a terminal, a pipe or a disk: the loop only appends text to a bounded buffer. Each batch goes out with
/// `write(2)` at once (no user-space buffer), so a piped trace, `tail -f` or a checker sees every line as
/// soon as the writer wakes.
///
/// When the reader falls more than `limitBytes` behind, new lines are dropped and counted, and one line
/// (`dropNote`) says how many were lost where they would have been: memory stays bounded and the broker
/// keeps serving clients. Used for the text trace (standard output) and `--trace-json` (a file).
final class BoundedLineWriter: @unchecked Sendable {
    // `@unchecked Sendable` is safe: every stored `var` (pending, pendingBytes, droppedLines, finished,
    // started, descriptor) is read and written only between `condition.lock()` and `condition.unlock()`,
    // by the producing thread (the event loop) and the writer thread alike; the `let`s are immutable.
    private let condition = NSCondition()
    private var pending: [String] = []
    private var pendingBytes = 0
    private var droppedLines = 0
    private var finished = false
    private var started = false
    private var descriptor: Int32
    private let closesDescriptor: Bool
    private let limitBytes: Int
    private let threadName: String
    private let dropNote: @Sendable (Int) -> String
    private let done = DispatchSemaphore(value: 0)

    init(descriptor: Int32, closesDescriptor: Bool, limitBytes: Int = 4 << 20, threadName: String,
         dropNote: @escaping @Sendable (Int) -> String) {
        self.descriptor = descriptor
        self.closesDescriptor = closesDescriptor
        self.limitBytes = limitBytes
        self.threadName = threadName
        self.dropNote = dropNote
    }

    /// Starts the writer thread.
    func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !started, !finished else { return }
        started = true
        let thread = Thread { [self] in
            while !drainOnce() {}
            done.signal()
        }
        thread.name = threadName
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

    /// Writes what is queued, stops the thread and (if it owns it) closes the descriptor. Call once, at exit.
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
        if closesDescriptor && descriptor >= 0 { close(descriptor) }
        descriptor = -1
        condition.unlock()
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
        if dropped > 0 { text += dropNote(dropped) + "\n" }
        if !text.isEmpty { Self.write(text, to: fd) }
        return last
    }

    /// Writes all of `text` to `fd`, retrying on EINTR; gives up on a closed pipe or a full disk (the
    /// output is lost, the broker goes on). Blocks only the calling thread.
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
