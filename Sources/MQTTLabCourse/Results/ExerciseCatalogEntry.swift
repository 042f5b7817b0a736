import MQTTCodec

/// One exercise as progress and grading need it: its stable id, its lesson, its points and its title.
///
/// The `exercises` branch owns the exercise definitions; this is the plain value it hands over, so
/// progress and grades never depend on how an exercise is checked.
public struct ExerciseCatalogEntry: Sendable, Equatable {
    /// The exercise's stable id (never reused for another exercise).
    public var id: String
    /// NN-slug of its lesson ("04-wildcards").
    public var lessonID: String
    /// The points a pass earns.
    public var points: Double
    public var title: LocalizedText

    public init(id: String, lessonID: String, points: Double, title: LocalizedText) {
        self.id = id
        self.lessonID = lessonID
        self.points = points
        self.title = title
    }

    /// Course order: by lesson; within a lesson, the order the catalog gives (the author's order — ids
    /// like "ex-10" would sort before "ex-2").
    public static func ordered(_ entries: [ExerciseCatalogEntry]) -> [ExerciseCatalogEntry] {
        entries.enumerated().sorted { ($0.element.lessonID, $0.offset) < ($1.element.lessonID, $1.offset) }.map(\.element)
    }
}
