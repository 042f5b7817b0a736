import Foundation

/// One file given to `mqttlab grade`: a results export (verified) or a student database (read-only).
public struct GradeSource: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// An export, with what verifying its checksum found.
        case export(ResultsBundleFile.Integrity)
        /// A `student.sqlite`: nothing to verify (a database carries no checksum; anyone with sqlite3 can edit it).
        case database
    }

    public var path: String
    public var kind: Kind
    public var identity: StudentIdentity?
    public var record: StudentRecord
    /// The exercises the export was made with (empty for a database).
    public var catalog: [ExerciseCatalogEntry]
    /// When the data was taken: the export time, or a database's latest activity. Decides which of two
    /// files of one student wins.
    public var asOf: String

    public init(path: String, kind: Kind, identity: StudentIdentity?, record: StudentRecord, catalog: [ExerciseCatalogEntry], asOf: String) {
        self.path = path
        self.kind = kind
        self.identity = identity
        self.record = record
        self.catalog = catalog
        self.asOf = asOf
    }

    /// True for an export whose checksum or form does not match.
    public var isChanged: Bool {
        if case .export(.changed) = kind { return true }
        return false
    }

    /// Reads a file: JSON exports by their content, anything else as a student database.
    /// - Parameter course: for a database, the course key to grade (nil: see `pickCourse`).
    public static func load(path: String, course: String?) throws -> GradeSource {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GradeSourceError.unreadable(path: path)
        }
        if data.prefix(16).starts(with: Array("SQLite format 3".utf8)) {
            let (identity, records) = try StudentRecordReader.readFile(path: path)
            let record = pickCourse(records, preferred: course)
            return GradeSource(path: path, kind: .database, identity: identity, record: record, catalog: [],
                               asOf: latestActivity(record) ?? "")
        }
        let verified = try ResultsBundleFile.decode(data, path: path)
        return GradeSource(path: path, kind: .export(verified.integrity), identity: verified.bundle.student,
                           record: verified.bundle.record, catalog: verified.bundle.catalog.map(\.entry), asOf: verified.bundle.exportedAt)
    }

    /// The course to grade in a database that may hold several: `preferred` when it has rows; else the only
    /// one with attempts; else "builtin"; else the one with the most attempts.
    static func pickCourse(_ records: [StudentRecord], preferred: String?) -> StudentRecord {
        if let preferred, let match = records.first(where: { $0.course == preferred }) { return match }
        let tried = records.filter { !$0.attempts.isEmpty }
        if tried.count == 1 { return tried[0] }
        if let builtin = records.first(where: { $0.course == "builtin" }) { return builtin }
        return records.max { $0.attempts.count < $1.attempts.count } ?? StudentRecord(course: preferred ?? "builtin")
    }

    static func latestActivity(_ record: StudentRecord) -> String? {
        (record.attempts.flatMap { [$0.startedAt, $0.endedAt].compactMap { $0 } }
            + record.hintUses.map(\.shownAt) + record.lessons.map(\.updatedAt)).max()
    }
}

/// A file `grade` cannot read at all.
public enum GradeSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String)

    public var description: String {
        switch self {
        case .unreadable(let path): "\(path): no such file, or it cannot be read"
        }
    }
}
