import DequeModule
import Synchronization

/// Received messages waiting for the application, bounded: when `capacity` messages wait, the
/// connection stops reading its socket (`pause`), and reading resumes (`resume`) once the application has
/// taken half of them. TCP flow control then slows the broker down; nothing is dropped.
///
/// The event loop pushes, one application task reads (`next()`); the state sits behind a `Mutex`.
final class MessageInbox: Sendable {
    private struct State: ~Copyable {
        var buffer = Deque<MQTTMessage>()
        var waiter: CheckedContinuation<MQTTMessage?, any Error>?
        var ending: Result<Void, MQTTClientError>?
        var paused = false
    }

    private let state = Mutex(State())
    let capacity: Int
    /// Called (from the reading task) when reading may resume.
    private let resume: @Sendable () -> Void

    init(capacity: Int, resume: @escaping @Sendable () -> Void) {
        self.capacity = max(1, capacity)
        self.resume = resume
    }

    /// Adds a message; returns true when the connection should stop reading.
    func push(_ message: MQTTMessage) -> Bool {
        let (waiter, pause) = state.withLock { state -> (CheckedContinuation<MQTTMessage?, any Error>?, Bool) in
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, false)
            }
            state.buffer.append(message)
            if state.buffer.count >= capacity && !state.paused {
                state.paused = true
                return (nil, true)
            }
            return (nil, false)
        }
        waiter?.resume(returning: message)
        return pause
    }

    /// No more messages: `nil` from `next()` after the buffered ones (normal end), or the error.
    func finish(_ result: Result<Void, MQTTClientError>) {
        let waiter = state.withLock { state -> CheckedContinuation<MQTTMessage?, any Error>? in
            if state.ending == nil { state.ending = result }
            defer { state.waiter = nil }
            return state.waiter
        }
        switch result {
        case .success: waiter?.resume(returning: nil)
        case .failure(let error): waiter?.resume(throwing: error)
        }
    }

    /// The next message, nil once the connection ended normally; throws why it ended otherwise.
    /// A cancelled task stops waiting with `CancellationError` (a timeout around it can then fire).
    func next() async throws -> MQTTMessage? {
        try await withTaskCancellationHandler {
            try await waitForNext()
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<MQTTMessage?, any Error>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private func waitForNext() async throws -> MQTTMessage? {
        try await withCheckedThrowingContinuation { continuation in
            enum Outcome { case message(MQTTMessage, resume: Bool), end(Result<Void, MQTTClientError>), wait, cancelled }
            let outcome = state.withLock { state -> Outcome in
                if let message = state.buffer.popFirst() {
                    var resumeReading = false
                    if state.paused && state.buffer.count <= capacity / 2 {
                        state.paused = false
                        resumeReading = true
                    }
                    return .message(message, resume: resumeReading)
                }
                if let ending = state.ending { return .end(ending) }
                // Cancelled before waiting: the cancellation handler found no waiter to wake.
                if Task.isCancelled { return .cancelled }
                state.waiter = continuation
                return .wait
            }
            switch outcome {
            case .message(let message, let resumeReading):
                if resumeReading { resume() }
                continuation.resume(returning: message)
            case .end(.success): continuation.resume(returning: nil)
            case .end(.failure(let error)): continuation.resume(throwing: error)
            case .wait: break
            case .cancelled: continuation.resume(throwing: CancellationError())
            }
        }
    }
}
