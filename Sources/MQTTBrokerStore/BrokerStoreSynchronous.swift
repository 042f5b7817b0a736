/// How hard SQLite works to make a commit durable (`PRAGMA synchronous`), in WAL mode.
///
/// - `normal`: a commit appends to the write-ahead log with `write()`; the log is fsynced at checkpoints only.
///   Once `write()` has returned the data is in the operating system's page cache, so it survives the broker
///   process dying in any way (a crash, `kill -9`). A power loss or kernel panic can lose the last commits
///   (never corrupt the file). This is the default: it costs one `write()` per burst, no fsync.
/// - `full`: every commit also fsyncs the log, so it survives power loss too, at the cost of one fsync per
///   burst (milliseconds on a disk, much less on an SSD with a write cache).
public enum BrokerStoreSynchronous: String, Sendable, CaseIterable {
    case normal
    case full

    var pragma: String {
        switch self {
        case .normal: "NORMAL"
        case .full: "FULL"
        }
    }
}
