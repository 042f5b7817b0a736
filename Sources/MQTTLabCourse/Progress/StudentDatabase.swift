import Foundation
import GRDB

/// The student's SQLite database (`student.sqlite` in the student home): lesson positions now, exercise
/// attempts later. WAL mode, so a reader in one terminal and a checker in another never block each other.
///
/// Sendable, checked by the compiler: only immutable `let`s of Sendable types (GRDB's `DatabasePool`
/// serializes writes on its own queue).
public final class StudentDatabase: Sendable {
    public let path: String
    /// For the course's other stores (exercise attempts) in this package: they add their tables as new
    /// migrations in `StudentSchema` and read and write through this pool.
    package let pool: DatabasePool

    /// Opens (creating the folder and the file if needed) and migrates the database at `path`.
    public init(path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
        } catch {
            throw StudentDatabaseError.cannotOpen(path: path, reason: "cannot create the folder \(folder)")
        }
        var configuration = Configuration()
        configuration.label = "mqttlab.student"
        configuration.busyMode = .timeout(5)
        do {
            pool = try Self.openPool(path: path, configuration: configuration)
        } catch let error as StudentDatabaseError {
            throw error
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_NOTADB { throw StudentDatabaseError.notStudentState(path: path) }
            throw StudentDatabaseError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    /// Opens the pool and migrates. Turning a new file to WAL takes an exclusive lock that SQLite does not
    /// wait for with the busy timeout, so a second process opening the same new file at that instant gets
    /// "database is locked": it tries again a few times, briefly.
    private static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        var attempt = 0
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try migrate(pool, migrator: StudentSchema.migrator(), path: path)
                return pool
            } catch let error as DatabaseError where attempt < 10 && (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) {
                attempt += 1
                usleep(UInt32(20_000 * attempt))
            }
        }
    }

    /// Checks the file and applies the missing migrations. GRDB reads which migrations are applied outside
    /// their transactions, so two processes opening a new (or older) file at the same moment can both try
    /// the same migration: the loser's transaction fails and rolls back. It then checks again and finds the
    /// work done (the busy timeout has waited for the winner's commit).
    private static func migrate(_ pool: DatabasePool, migrator: DatabaseMigrator, path: String) throws {
        var attempt = 0
        while true {
            do {
                try pool.writeWithoutTransaction { db in try StudentSchema.checkIdentity(db, path: path, migrator: migrator) }
                try migrator.migrate(pool)
                return
            } catch is DatabaseError where attempt < 3 {
                attempt += 1
            }
        }
    }

    /// The database in the student home chosen by `environment` (see `StudentHome`).
    public static func open(environment: [String: String]) throws -> StudentDatabase {
        try StudentDatabase(path: StudentHome.databasePath(in: StudentHome.folder(environment: environment)))
    }

    /// The migrations applied to this file, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try StudentSchema.migrator().appliedMigrations(db) }
    }

    public func close() throws {
        try pool.close()
    }
}

/// Why the student database cannot be used.
public enum StudentDatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case notStudentState(path: String)
    case newerSchema(path: String, found: Int, supported: Int)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "\(path): cannot open the student database: \(reason)"
        case .notStudentState(let path):
            "\(path): this file is not an mqttlab student database (set MQTTLAB_HOME to another folder)"
        case .newerSchema(let path, let found, let supported):
            "\(path): written by a newer mqttlab (schema \(found); this one reads up to \(supported))"
        }
    }
}
