import GRDB

/// The tables of the student database, one named migration per change.
///
/// Migrations are append-only: never edit or reorder one that has shipped. The exercises issue adds its
/// tables (attempts, results) as "v2: …" here, in the same file, with a foreign key to nothing of this one:
/// lesson reading and exercise attempts share the database, not tables. Each migration also raises
/// `meta.schemaVersion`, so an older mqttlab refuses a newer file instead of misreading it.
enum StudentSchema {
    static let application = "mqttlab student state"
    static let currentVersion = 1

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: meta, lesson_state") { db in
            try db.execute(sql: """
                CREATE TABLE meta (
                    key   TEXT NOT NULL PRIMARY KEY,
                    value TEXT NOT NULL
                );
                -- One row per lesson the student has opened, per course ("builtin" or a --course folder).
                CREATE TABLE lesson_state (
                    course    TEXT NOT NULL,
                    lessonID  TEXT NOT NULL,             -- the lesson's folder name, NN-slug
                    step      INTEGER NOT NULL,          -- 0-based step last shown
                    stepCount INTEGER NOT NULL,          -- steps the lesson had then
                    readAt    TEXT,                      -- UTC, when the last step was first reached
                    seq       INTEGER NOT NULL,          -- increases with every update: the highest is "where I left off"
                    updatedAt TEXT NOT NULL,             -- UTC, "YYYY-MM-DD HH:MM:SS.SSS"
                    PRIMARY KEY (course, lessonID)
                );
                """)
            try db.execute(
                sql: "INSERT INTO meta(key, value) VALUES ('application', ?), ('schemaVersion', '1')",
                arguments: [application]
            )
        }
        // Next (exercises): migrator.registerMigration("v2: exercise attempts") { db in
        //     CREATE TABLE attempt (…); UPDATE meta SET value = '2' WHERE key = 'schemaVersion' }
        return migrator
    }

    /// Refuses a file that is SQLite but not a student database, or one written by a newer mqttlab.
    static func checkIdentity(_ db: Database, path: String, migrator: DatabaseMigrator) throws {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        if tables.isEmpty { return }
        let application = tables.contains("meta")
            ? try? String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'application'")
            : nil
        guard application == Self.application else {
            throw StudentDatabaseError.notStudentState(path: path)
        }
        let found = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schemaVersion'").flatMap { Int($0) } ?? 0
        let superseded = try migrator.hasBeenSuperseded(db)
        if found > currentVersion || superseded {
            throw StudentDatabaseError.newerSchema(path: path, found: max(found, currentVersion + 1), supported: currentVersion)
        }
    }
}
