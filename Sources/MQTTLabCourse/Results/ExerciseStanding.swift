/// Where one exercise stands, by the rules shared with the `exercises` branch (Docs/STUDENT-DATABASE.md):
/// only the current generation (since the last `exercise reset`) counts for status, score and hints.
public struct ExerciseStanding: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case passed
        case failed
        /// Only checks that never ended (killed, crashed): never counted as passed.
        case interrupted
        case notStarted = "not started"
    }

    public var exerciseID: String
    public var status: Status
    /// The highest score of the current generation (a pass earns the full points).
    public var score: Double
    public var points: Double
    /// Attempts of the current generation; `totalAttempts` counts every generation (history included).
    public var attempts: Int
    public var totalAttempts: Int
    /// Hints revealed in the current generation.
    public var hintsUsed: Int
    /// The latest time anything happened to this exercise (attempt start or end, hint, reset), UTC.
    public var lastActivity: String?
    public var generation: Int

    /// Summarizes `exerciseID` from the raw rows. `points` is the catalog's; when the catalog does not know
    /// the exercise, the latest attempt's `maxScore` stands in.
    public static func make(exerciseID: String, points: Double?, record: StudentRecord) -> ExerciseStanding {
        let generation = record.generation(of: exerciseID)
        let all = record.attempts.filter { $0.exerciseID == exerciseID }
        let current = all.filter { $0.generation == generation }
        let hints = record.hintUses.filter { $0.exerciseID == exerciseID }
        let status: Status
        if current.contains(where: { $0.outcome == "passed" }) {
            status = .passed
        } else if current.contains(where: { ($0.outcome == "failed" || $0.outcome == "error") && $0.endedAt != nil }) {
            status = .failed
        } else if !current.isEmpty {
            status = .interrupted
        } else {
            status = .notStarted
        }
        // A row still 'running' earned nothing, whatever its score column says.
        let score = current.filter { $0.outcome != "running" }.map(\.score).max() ?? 0
        var times = all.flatMap { [$0.startedAt, $0.endedAt].compactMap { $0 } } + hints.map(\.shownAt)
        if let state = record.exerciseStates.first(where: { $0.exerciseID == exerciseID }), state.generation > 0 {
            times.append(state.updatedAt)
        }
        return ExerciseStanding(
            exerciseID: exerciseID, status: status, score: score,
            points: points ?? all.last?.maxScore ?? 0,
            attempts: current.count, totalAttempts: all.count,
            hintsUsed: Set(hints.filter { $0.generation == generation }.map(\.hintIndex)).count,
            lastActivity: times.max(), generation: generation)
    }
}
