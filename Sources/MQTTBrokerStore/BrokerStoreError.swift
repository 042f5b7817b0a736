/// Why a store could not be opened, read or written. Every message names the file and says what to do.
public enum BrokerStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path names a folder, not a file.
    case isDirectory(path: String)
    /// SQLite could not open or create the file (missing folder, no permission, …). `reason` says which.
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not an mqttlab store: not SQLite at all, or SQLite written by something else.
    case notAStore(path: String, detail: String)
    /// The store was written by a newer mqttlab whose schema this build does not know.
    case newerSchema(path: String, found: Int, supported: Int)
    /// A row could not be decoded back into a snapshot (a damaged or hand-edited file).
    case corruptRecord(path: String, table: String, key: String, detail: String)

    public var description: String {
        switch self {
        case .isDirectory(let path):
            return "\(path) is a folder: --store needs a file name, for example \(path)/broker.db"
        case .cannotOpen(let path, let reason):
            return "cannot open the store \(path): \(reason)"
        case .notAStore(let path, let detail):
            return "\(path) is not an mqttlab store (\(detail)); it was left as it is: choose another file name"
        case .newerSchema(let path, let found, let supported):
            return "\(path) was written by a newer mqttlab (store schema \(found); this build knows up to \(supported)): upgrade mqttlab, or use another file"
        case .corruptRecord(let path, let table, let key, let detail):
            return "the store \(path) has a damaged \(table) row for \(key.debugDescription): \(detail)"
        }
    }
}
