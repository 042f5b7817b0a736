import Foundation

/// Runs async code from a synchronous `ParsableCommand.run()` on the main thread (never on an event
/// loop), and returns its result.
enum BlockingTask {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.value = await body()
            done.signal()
        }
        done.wait()
        return box.value!
    }
}

/// The result handed from the task to the waiting thread.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    // `@unchecked Sendable` is safe: `value` is written once by the task before `done.signal()` and
    // read by the waiting thread only after `done.wait()` returns; the semaphore orders the two.
    var value: T?
}
