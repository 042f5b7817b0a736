import GRDB
import MQTTBrokerCore

/// The broker's durable state in one SQLite file: persistent sessions and retained messages (`--store FILE`).
///
/// Use: `init(path:)` once at startup (opens or creates the file, WAL mode, migrates), `load()` once before
/// the server accepts connections, then `write(_:completion:)` after each read burst, flushing that burst's
/// acknowledgements only from the completion: a PUBACK or PUBREC the broker has sent is then backed by a
/// committed transaction, and survives `kill -9`.
///
/// Sendable, checked by the compiler: every stored property is an immutable `let` of a Sendable type.
/// `DatabasePool` is Sendable because GRDB serializes all writes on its own writer dispatch queue and hands
/// each read its own connection; the store adds no mutable state of its own.
public final class BrokerStore: Sendable {
    /// The file, as given.
    public let path: String
    public let synchronous: BrokerStoreSynchronous
    let pool: DatabasePool

    /// The highest store schema this build reads and writes.
    public static var schemaVersion: Int { BrokerStoreSchema.currentVersion }

    /// Opens the store at `path`, creating the file if it does not exist.
    ///
    /// - Parameters:
    ///   - synchronous: `.normal` (default) is durable against the process dying (kill -9, a crash) in WAL
    ///     mode; `.full` also against power loss, at one fsync per write. See `BrokerStoreSynchronous`.
    ///   - openedBy: recorded in `meta` (for example "mqttlab 0.1"), to tell later who created the file.
    /// - Throws: `BrokerStoreError` (a folder, a missing or unwritable folder, a file that is not an mqttlab
    ///   store, a newer schema).
    public init(path: String, synchronous: BrokerStoreSynchronous = .normal, openedBy: String = "mqttlab") throws {
        self.path = path
        self.synchronous = synchronous
        try StoreLocation.check(path)

        var configuration = Configuration()
        configuration.label = "mqttlab.store"
        // Another process (or a second BrokerStore) holding the write lock is waited for, not failed on.
        configuration.busyMode = .timeout(5)
        do {
            // DatabasePool puts the file in WAL mode: readers never block the writer, and a commit is an append.
            let pool = try DatabasePool(path: path, configuration: configuration)
            // Set on the writer connection (the one that commits), after GRDB's own WAL setup. In WAL mode,
            // NORMAL makes a commit a write() to the log, fsynced only at checkpoints: durable against the
            // process dying (the OS holds the bytes), not against power loss. FULL adds an fsync per commit.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous.pragma)") }
            let migrator = BrokerStoreSchema.migrator(openedBy: openedBy)
            try pool.writeWithoutTransaction { db in
                try BrokerStoreSchema.checkIdentity(db, path: path, migrator: migrator)
            }
            try migrator.migrate(pool)
            self.pool = pool
        } catch let error as BrokerStoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreLocation.explain(error, path: path)
        }
    }

    /// Closes the file. Later reads and writes fail. Pending asynchronous writes complete first.
    public func close() throws {
        try pool.close()
    }
}
