import Foundation
import GRDB

/// Turns "SQLite could not open the file" into a sentence about the path.
enum StoreLocation {
    /// Checks made before SQLite is asked, so their messages are about the path and not SQLite's codes.
    static func check(_ path: String) throws {
        guard !path.isEmpty else { throw BrokerStoreError.cannotOpen(path: path, reason: "the path is empty") }
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw BrokerStoreError.isDirectory(path: path)
        }
        let folder = folder(of: path)
        if !files.fileExists(atPath: folder, isDirectory: &isDirectory) {
            throw BrokerStoreError.cannotOpen(path: path, reason: "the folder \(folder) does not exist")
        }
        if !isDirectory.boolValue {
            throw BrokerStoreError.cannotOpen(path: path, reason: "\(folder) is not a folder")
        }
    }

    static func explain(_ error: DatabaseError, path: String) -> BrokerStoreError {
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return .notAStore(path: path, detail: "not an SQLite database")
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return .cannotOpen(path: path, reason: permissionReason(path) ?? sqliteReason(error))
        default:
            return .cannotOpen(path: path, reason: sqliteReason(error))
        }
    }

    private static func permissionReason(_ path: String) -> String? {
        let files = FileManager.default
        let folder = folder(of: path)
        if !files.isWritableFile(atPath: folder) {
            return "the folder \(folder) is not writable (the store also keeps \(path)-wal and \(path)-shm beside it)"
        }
        if files.fileExists(atPath: path), !files.isWritableFile(atPath: path) {
            return "the file is not writable"
        }
        return nil
    }

    private static func sqliteReason(_ error: DatabaseError) -> String {
        error.message ?? "\(error.resultCode)"
    }

    static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }
}
