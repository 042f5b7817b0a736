import Foundation
import GRDB

/// Who the student is (the `student` table's one row): a random uuid made once, the name as the student
/// wrote it and the optional id from the teacher's list.
public struct StudentIdentity: Sendable, Equatable, Codable {
    public var uuid: String
    public var name: String
    public var schoolID: String
    /// UTC "YYYY-MM-DD HH:MM:SS.SSS".
    public var createdAt: String

    public init(uuid: String, name: String, schoolID: String, createdAt: String) {
        self.uuid = uuid
        self.name = name
        self.schoolID = schoolID
        self.createdAt = createdAt
    }

    /// True when a teacher can tell who this is: a name is given.
    public var isComplete: Bool { !name.trimmingCharacters(in: .whitespaces).isEmpty }
}

/// Reads and writes the `student` row.
public struct StudentIdentityStore: Sendable {
    public let database: StudentDatabase
    /// Makes the uuid the first time (tests inject a fixed one).
    public let makeUUID: @Sendable () -> String

    public init(database: StudentDatabase, makeUUID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }) {
        self.database = database
        self.makeUUID = makeUUID
    }

    /// The identity, or nil when the student has never set one.
    public func read() throws -> StudentIdentity? {
        try database.pool.read { db in try Self.read(db) }
    }

    static func read(_ db: Database) throws -> StudentIdentity? {
        guard let row = try Row.fetchOne(db, sql: "SELECT uuid, name, schoolID, createdAt FROM student WHERE id = 1") else { return nil }
        return StudentIdentity(uuid: row["uuid"], name: row["name"], schoolID: row["schoolID"], createdAt: row["createdAt"])
    }

    /// Sets the name and/or the school id (nil leaves a field as it is). The uuid is made on the first
    /// call and never changes, so renaming keeps the same student for the teacher.
    @discardableResult
    public func update(name: String?, schoolID: String?) throws -> StudentIdentity {
        let uuid = makeUUID()
        return try database.pool.write { db in
            try db.execute(sql: """
                INSERT INTO student(id, uuid, name, schoolID, createdAt)
                VALUES (1, ?, ?, ?, strftime('%Y-%m-%d %H:%M:%f', 'now'))
                ON CONFLICT(id) DO UPDATE SET
                    name = COALESCE(?, student.name), schoolID = COALESCE(?, student.schoolID)
                """, arguments: [uuid, name ?? "", schoolID ?? "", name, schoolID])
            guard let identity = try Self.read(db) else { throw StudentDatabaseError.cannotOpen(path: database.path, reason: "the student row vanished") }
            return identity
        }
    }
}
