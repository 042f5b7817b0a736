import Foundation
import Synchronization

/// Runs async code from a synchronous `ParsableCommand.run()` on the main thread (never on an event
/// loop), and returns its result.
enum BlockingTask {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            let result = await body()
            box.value.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return box.value.withLock { $0! }
    }
}

/// The result handed from the task to the waiting thread, behind a `Mutex` (checked Sendable).
private final class ResultBox<T: Sendable>: Sendable {
    let value = Mutex<T?>(nil)
}
