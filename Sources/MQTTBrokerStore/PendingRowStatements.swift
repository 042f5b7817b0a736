import Foundation
import GRDB
import GRDBSQLite
import MQTTBrokerCore

/// The three statements every pending message goes through (inserted when queued, rewritten when it
/// enters the in-flight window, deleted when acknowledged), bound and stepped with SQLite's C API.
///
/// Why not GRDB's `execute(arguments:)`: under `bench broker`'s `--store` scenario, building
/// `StatementArguments` (an array of existentials) and GRDB's generic binding were the store's largest
/// cost, more than SQLite's own work on the row. These statements run for every QoS 1/2 message of a
/// persistent session; everything else the store writes stays on GRDB's ordinary API.
///
/// The statements are GRDB's cached statements of this connection, used only inside the transaction
/// GRDB opened for the batch (`StoreBatch.apply`), so GRDB's transaction handling is unchanged.
struct PendingRowStatements {
    private let database: Database
    private let upsert: Statement
    private let deleteOne: Statement
    private let deleteAll: Statement

    init(_ db: Database) throws {
        database = db
        upsert = try db.cachedStatement(sql: PendingEntryCoding.upsertSQL)
        deleteOne = try db.cachedStatement(sql: "DELETE FROM pending WHERE clientID = CAST(? AS TEXT) AND sequence = ?")
        deleteAll = try db.cachedStatement(sql: "DELETE FROM pending WHERE clientID = CAST(? AS TEXT)")
    }

    /// Every row of a session (a new or restored session, or a queue rewritten whole).
    func deleteAll(clientID: [UInt8]) throws {
        let handle = ready(deleteAll)
        try check(bindBytes(clientID, to: handle, at: 1), deleteAll)
        try step(deleteAll)
    }

    func delete(clientID: [UInt8], sequence: UInt64) throws {
        let handle = ready(deleteOne)
        try check(bindBytes(clientID, to: handle, at: 1), deleteOne)
        try check(sqlite3_bind_int64(handle, 2, Int64(clamping: sequence)), deleteOne)
        try step(deleteOne)
    }

    /// Inserts or replaces one row, with the columns `PendingEntryCoding.upsertSQL` names, in its order.
    /// `stamp` is the batch's time, already in GRDB's text format (so `load()` reads it back as a `Date`).
    func upsert(clientID: [UInt8], sequence: UInt64, entry: SessionSnapshot.MessageEntry, stamp: String,
                encoder: JSONEncoder) throws {
        let handle = ready(upsert)
        let properties: String? = entry.properties.isEmpty
            ? nil : String(decoding: try encoder.encode(entry.properties), as: UTF8.self)
        let identifiers: String? = entry.subscriptionIdentifiers.isEmpty
            ? nil : String(decoding: try encoder.encode(entry.subscriptionIdentifiers), as: UTF8.self)
        // The first failed bind, if any (checked before stepping).
        var failure = SQLITE_OK
        func note(_ code: CInt) { if failure == SQLITE_OK { failure = code } }
        note(bindBytes(clientID, to: handle, at: 1))
        note(sqlite3_bind_int64(handle, 2, Int64(clamping: sequence)))
        note(bindText(entry.stage, to: handle, at: 3))
        note(sqlite3_bind_int64(handle, 4, Int64(entry.packetID)))
        note(bindText(entry.topic, to: handle, at: 5))
        note(bindBytes(entry.payload, to: handle, at: 6))
        note(sqlite3_bind_int64(handle, 7, Int64(entry.qos.rawValue)))
        note(sqlite3_bind_int64(handle, 8, entry.retain ? 1 : 0))
        note(entry.expiresInSeconds.map { sqlite3_bind_int64(handle, 9, Int64($0)) } ?? sqlite3_bind_null(handle, 9))
        // JSON only for what is usually absent (see PendingEntryCoding).
        note(properties.map { bindText($0, to: handle, at: 10) } ?? sqlite3_bind_null(handle, 10))
        note(identifiers.map { bindText($0, to: handle, at: 11) } ?? sqlite3_bind_null(handle, 11))
        note(bindText(stamp, to: handle, at: 12))
        try check(failure, upsert)
        try step(upsert)
    }

    /// The statement, reset: GRDB shares its cached statements and leaves one it ran unreset, and SQLite
    /// refuses to bind a statement that has not been reset (SQLITE_MISUSE).
    private func ready(_ statement: Statement) -> SQLiteStatement {
        sqlite3_reset(statement.sqliteStatement)
        return statement.sqliteStatement
    }

    /// Runs a bound statement to its end and resets it; a failure becomes GRDB's `DatabaseError`, so the
    /// batch rolls back and the caller sees the same errors as from any other statement.
    private func step(_ statement: Statement) throws {
        let handle = statement.sqliteStatement
        let code = sqlite3_step(handle)
        // The message is read before the reset, which would otherwise be what it describes.
        let failure = code == SQLITE_DONE ? nil : error(code, statement)
        sqlite3_reset(handle)
        if let failure { throw failure }
    }

    /// A bind that failed (out of memory): the statement is not stepped, and the batch rolls back. (Every
    /// use binds every parameter again, so nothing of this row can reach a later one.)
    private func check(_ code: CInt, _ statement: Statement) throws {
        guard code == SQLITE_OK else {
            let failure = error(code, statement)
            sqlite3_reset(statement.sqliteStatement)
            throw failure
        }
    }

    private func error(_ code: CInt, _ statement: Statement) -> DatabaseError {
        let message = database.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }

    /// A BLOB of exactly these bytes; empty is an empty BLOB, never NULL (a nil base address would bind NULL).
    private func bindBytes(_ bytes: [UInt8], to handle: SQLiteStatement, at index: CInt) -> CInt {
        bytes.withUnsafeBytes { buffer in
            if let base = buffer.baseAddress, !buffer.isEmpty {
                sqlite3_bind_blob(handle, index, base, CInt(buffer.count), Self.transient)
            } else {
                sqlite3_bind_zeroblob(handle, index, 0)
            }
        }
    }

    private func bindText(_ text: String, to handle: SQLiteStatement, at index: CInt) -> CInt {
        var text = text
        return text.withUTF8 { buffer in
            if let base = buffer.baseAddress, !buffer.isEmpty {
                let characters = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
                return sqlite3_bind_text(handle, index, characters, CInt(buffer.count), Self.transient)
            } else {
                // A NULL pointer would bind NULL; an empty text needs a valid one.
                return sqlite3_bind_text(handle, index, "", 0, Self.transient)
            }
        }
    }

    /// SQLite copies the bytes (the buffers above live only for the call).
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
