import MQTTCodec

/// What `mqttlab progress --export FILE` writes for the teacher: one course's whole record with the
/// student's identity and the exercise catalog as it was, under a checksum (`ResultsBundleFile`).
/// The JSON keys are stable: Docs/GRADES.md documents every one. A new key needs a new `formatVersion`.
public struct ResultsBundle: Sendable, Equatable, Codable {
    /// The catalog entry as exported (titles in both languages).
    public struct CatalogEntry: Sendable, Equatable, Codable {
        public var id: String
        public var lessonID: String
        public var points: Double
        public var titleEN: String
        public var titleES: String

        public init(_ entry: ExerciseCatalogEntry) {
            id = entry.id
            lessonID = entry.lessonID
            points = entry.points
            titleEN = entry.title.en
            titleES = entry.title.es
        }

        public var entry: ExerciseCatalogEntry {
            ExerciseCatalogEntry(id: id, lessonID: lessonID, points: points, title: LocalizedText(en: titleEN, es: titleES))
        }
    }

    /// Always "mqttlab-results": tells this file from any other JSON.
    public var format: String
    public var formatVersion: Int
    public var mqttlabVersion: String
    /// UTC "YYYY-MM-DD HH:MM:SS.SSS".
    public var exportedAt: String
    public var student: StudentIdentity
    public var catalog: [CatalogEntry]
    public var record: StudentRecord

    public static let formatName = "mqttlab-results"
    public static let currentFormatVersion = 1

    public init(mqttlabVersion: String, exportedAt: String, student: StudentIdentity, catalog: [ExerciseCatalogEntry], record: StudentRecord) {
        format = Self.formatName
        formatVersion = Self.currentFormatVersion
        self.mqttlabVersion = mqttlabVersion
        self.exportedAt = exportedAt
        self.student = student
        self.catalog = ExerciseCatalogEntry.ordered(catalog).map(CatalogEntry.init)
        self.record = record
    }
}
