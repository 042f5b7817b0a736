import Dispatch
import Synchronization

/// Lines of standard input for `pub -l`, read on a dispatch queue of their own: a read that waits for a
/// quiet terminal blocks that queue's thread, never a thread of Swift's cooperative pool, and `cancel()`
/// (Ctrl+C) ends the wait at once instead of after the next line, as mosquitto_pub does.
///
/// One line is read per `next()` call, so at most one line is held in memory; a line read after
/// `cancel()` is dropped (the command is ending).
final class StandardInputLines: Sendable {
    private struct State {
        var waiter: CheckedContinuation<[UInt8]?, Never>?
        var cancelled = false
    }

    private let queue = DispatchQueue(label: "mqttlab.stdin-lines")
    private let state = Mutex(State())

    /// The next line without its newline; nil at the end of input or once cancelled.
    func next() async -> [UInt8]? {
        await withCheckedContinuation { continuation in
            let cancelled = state.withLock { state in
                if !state.cancelled { state.waiter = continuation }
                return state.cancelled
            }
            if cancelled { return continuation.resume(returning: nil) }
            queue.async { [self] in
                let line = readLine(strippingNewline: true).map { Array($0.utf8) }
                let waiter = state.withLock { state in
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.resume(returning: line)
            }
        }
    }

    /// Ends the current and every later `next()` with nil.
    func cancel() {
        let waiter = state.withLock { state in
            state.cancelled = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }
}
