import Foundation
import GRDB
import MQTTBrokerCore

extension BrokerStore {
    /// Writes one burst's changes in ONE transaction, on GRDB's writer queue (never on the caller's thread:
    /// this returns at once, so it is safe on an event loop). `completion` runs on that queue after the
    /// commit — or with the error, the transaction rolled back and nothing of the batch written. Flush the
    /// burst's acknowledgements from `completion` (hop back to the event loop first).
    ///
    /// Batches are committed in the order `write` was called. Snapshots are encoded on the writer queue too.
    public func write(_ changes: DurableChanges, completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        let path = self.path
        pool.asyncWrite({ db in
            try StoreBatch(changes).apply(to: db)
        }, completion: { _, result in
            completion(result.mapError { Self.explain($0, path: path) })
        })
    }

    /// `write(_:completion:)` for async code: returns after the commit.
    public func write(_ changes: DurableChanges) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            write(changes) { continuation.resume(with: $0) }
        }
    }

    private static func explain(_ error: any Error, path: String) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        return StoreLocation.explain(error, path: path)
    }
}
