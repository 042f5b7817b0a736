import GRDB

/// The tables of the student database, one named migration per change.
///
/// Migrations are append-only: never edit or reorder one that has shipped. The exercises issue adds its
/// tables (attempts, results) as "v2: …" here, in the same file, with a foreign key to nothing of this one:
/// lesson reading and exercise attempts share the database, not tables. Each migration also raises
/// `meta.schemaVersion`, so an older mqttlab refuses a newer file instead of misreading it.
enum StudentSchema {
    static let application = "mqttlab student state"
    static let currentVersion = 2

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
        migrator.registerMigration("v2: student, attempt, hint_use, exercise_state") { db in
            try db.execute(sql: """
                -- Who this student is: one row, made on first use. uuid tells two students with one name apart.
                CREATE TABLE student (
                    id        INTEGER PRIMARY KEY CHECK (id = 1),
                    uuid      TEXT NOT NULL,             -- random, made once
                    name      TEXT NOT NULL DEFAULT '',  -- as the student wrote it
                    schoolID  TEXT NOT NULL DEFAULT '',  -- optional id from the teacher's list
                    createdAt TEXT NOT NULL
                );
                -- Every recorded check (`exercise check`; `exercise try` records nothing).
                -- A row is inserted with outcome 'running' BEFORE the check starts and updated once when it
                -- ends, in its own transaction: a kill -9 leaves 'running' with endedAt NULL, which readers
                -- show as "interrupted" and never as passed.
                CREATE TABLE attempt (
                    id          INTEGER PRIMARY KEY AUTOINCREMENT,
                    course      TEXT NOT NULL,            -- "builtin" or the --course folder, like lesson_state
                    exerciseID  TEXT NOT NULL,            -- the exercise's stable id
                    lessonID    TEXT NOT NULL,            -- NN-slug of its lesson
                    kind        TEXT NOT NULL,            -- answer | live | program | config | ctf
                    generation  INTEGER NOT NULL,         -- exercise_state.generation when it started
                    startedAt   TEXT NOT NULL,            -- UTC "YYYY-MM-DD HH:MM:SS.SSS"
                    endedAt     TEXT,                     -- NULL while running or if interrupted
                    outcome     TEXT NOT NULL,            -- running | passed | failed | error
                    score       REAL NOT NULL DEFAULT 0,  -- points earned by this attempt
                    maxScore    REAL NOT NULL,            -- the exercise's points when it ran
                    hintsShown  INTEGER NOT NULL DEFAULT 0, -- hints revealed (this generation) when it ended
                    answer      TEXT,                     -- what the student submitted (answer/ctf kinds), else NULL
                    observed    TEXT,                     -- what the checker saw, plain text (may be long)
                    explanation TEXT                      -- why it failed / what was missing, student's language
                );
                CREATE INDEX attempt_by_exercise ON attempt(course, exerciseID, id);
                -- Every hint revealed with `exercise hint ID`.
                CREATE TABLE hint_use (
                    id         INTEGER PRIMARY KEY AUTOINCREMENT,
                    course     TEXT NOT NULL,
                    exerciseID TEXT NOT NULL,
                    generation INTEGER NOT NULL,
                    hintIndex  INTEGER NOT NULL,          -- 0-based
                    shownAt    TEXT NOT NULL
                );
                -- `exercise reset` bumps generation: status, score and hints count only the current
                -- generation; older attempts stay as history (exported and graded as attempts).
                CREATE TABLE exercise_state (
                    course     TEXT NOT NULL,
                    exerciseID TEXT NOT NULL,
                    generation INTEGER NOT NULL DEFAULT 0,
                    updatedAt  TEXT NOT NULL,
                    PRIMARY KEY (course, exerciseID)
                );
                UPDATE meta SET value = '2' WHERE key = 'schemaVersion';
                """)
        }
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
