import Foundation

/// Builds the export of one course from the student database.
public enum ResultsExport {
    /// Why there is nothing to export yet.
    public enum Problem: Error, Sendable, Equatable {
        /// The student has not said who they are (`mqttlab student --name …`).
        case noIdentity
    }

    /// The bundle for `course`. `now` is the export time (UTC "YYYY-MM-DD HH:MM:SS.SSS"; tests fix it).
    public static func bundle(database: StudentDatabase, course: String, catalog: [ExerciseCatalogEntry],
                              mqttlabVersion: String, now: String) throws -> ResultsBundle {
        guard let identity = try StudentIdentityStore(database: database).read(), identity.isComplete else {
            throw Problem.noIdentity
        }
        let record = try StudentRecordReader.read(database, course: course)
        return ResultsBundle(mqttlabVersion: mqttlabVersion, exportedAt: now, student: identity, catalog: catalog, record: record)
    }

    /// The current UTC time in the database's timestamp form.
    public static func timestamp(_ date: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2)) "
            + "\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2)).\(pad((parts.nanosecond ?? 0) / 1_000_000, 3))"
    }
}
