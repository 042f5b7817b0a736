import GRDB

/// The tables, and the rules that keep old and new stores apart.
///
/// Migrations are named and append-only: never edit or reorder one that has shipped; add a new one that
/// also sets `schemaVersion` in `meta` to its own number. A store whose `schemaVersion` is higher than
/// `currentVersion` (or that lists a migration this build does not know) was written by a newer mqttlab and
/// is refused rather than guessed at.
///
/// Keys (`session.clientID`, `retained.topic`) are TEXT in the BINARY collation, bound as the exact UTF-8
/// bytes of the Swift string (`CAST(? AS TEXT)` over a BLOB): SQLite compares them with `memcmp`, so the
/// canonically equivalent but byte-different ids "é" and "e" + U+0301 are two rows, as they are two
/// sessions in the engine.
enum BrokerStoreSchema {
    /// What `meta.application` holds in every mqttlab store.
    static let application = "mqttlab broker store"
    /// The highest schema this build reads and writes.
    static let currentVersion = 2

    static func migrator(openedBy: String) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: meta, session, retained") { db in
            try db.execute(sql: """
                CREATE TABLE meta (
                    key   TEXT NOT NULL PRIMARY KEY,
                    value TEXT NOT NULL
                );
                CREATE TABLE session (
                    clientID  TEXT NOT NULL PRIMARY KEY COLLATE BINARY,  -- the client id's UTF-8 bytes
                    snapshot  BLOB NOT NULL,                             -- SessionSnapshot as JSON
                    updatedAt TEXT NOT NULL                              -- UTC, "YYYY-MM-DD HH:MM:SS.SSS"
                );
                CREATE TABLE retained (
                    topic     TEXT NOT NULL PRIMARY KEY COLLATE BINARY,  -- the topic name's UTF-8 bytes
                    snapshot  BLOB NOT NULL,                             -- RetainedSnapshot as JSON
                    updatedAt TEXT NOT NULL
                );
                """)
            try db.execute(
                sql: "INSERT INTO meta(key, value) VALUES ('application', ?), ('schemaVersion', '1'), ('createdBy', ?)",
                arguments: [application, openedBy]
            )
        }
        // Pending messages (in flight and queued) as rows, written as they change, so a long queue does not
        // make every write rewrite all of it (`PendingMessagesChange`). A v1 store keeps them inside the
        // session snapshots, which `load()` still reads; the next write of such a session moves them here.
        migrator.registerMigration("v2: pending") { db in
            try db.execute(sql: """
                CREATE TABLE pending (
                    clientID                TEXT    NOT NULL COLLATE BINARY, -- the session's client id, as in session
                    sequence                INTEGER NOT NULL,  -- order: in flight first, then the queue
                    stage                   TEXT    NOT NULL,  -- queued, awaitingPuback, awaitingPubrec, awaitingPubcomp
                    packetID                INTEGER NOT NULL,  -- 0 while queued
                    topic                   TEXT    NOT NULL,
                    payload                 BLOB    NOT NULL,  -- the exact bytes (CAST(payload AS TEXT) to read text)
                    qos                     INTEGER NOT NULL,  -- the QoS it is delivered with
                    retain                  INTEGER NOT NULL,  -- 0 or 1
                    expiresInSeconds        INTEGER,           -- Message Expiry left when written; NULL: never
                    properties              TEXT,              -- forwarded 5.0 properties as JSON; NULL: none
                    subscriptionIdentifiers TEXT,              -- JSON array; NULL: none
                    updatedAt               TEXT    NOT NULL,  -- when the row was last written (UTC)
                    PRIMARY KEY (clientID, sequence)
                ) WITHOUT ROWID;
                UPDATE meta SET value = '2' WHERE key = 'schemaVersion';
                """)
        }
        // Next: migrator.registerMigration("v3: …") { db in …; UPDATE meta SET value = '3' WHERE key = 'schemaVersion' }
        return migrator
    }

    /// Refuses a file that is SQLite but not ours, or ours but newer. An empty database (a new file) passes.
    static func checkIdentity(_ db: Database, path: String, migrator: DatabaseMigrator) throws {
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        if tables.isEmpty { return }
        guard tables.contains("meta") else {
            let listed = tables.prefix(5).joined(separator: ", ")
            throw BrokerStoreError.notAStore(path: path, detail: "an SQLite database with other tables: \(listed)")
        }
        let application: String?
        do {
            application = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'application'")
        } catch is DatabaseError {
            application = nil  // a `meta` table of another shape
        }
        guard application == Self.application else {
            throw BrokerStoreError.notAStore(path: path, detail: "an SQLite database of another application")
        }
        let found = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schemaVersion'").flatMap { Int($0) } ?? 0
        let superseded = try migrator.hasBeenSuperseded(db)
        if found > currentVersion || superseded {
            throw BrokerStoreError.newerSchema(path: path, found: max(found, currentVersion + 1), supported: currentVersion)
        }
    }
}
