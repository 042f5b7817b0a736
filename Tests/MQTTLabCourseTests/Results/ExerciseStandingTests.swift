import XCTest
@testable import MQTTLabCourse

/// The shared rules: current generation only, best score, interrupted never passed, hints counted once.
final class ExerciseStandingTests: XCTestCase {
    private func attempt(_ id: Int64, generation: Int = 0, ended: String? = "2026-12-01 10:00:01.000", outcome: String, score: Double = 0,
                         started: String = "2026-12-01 10:00:00.000") -> StudentRecord.Attempt {
        StudentRecord.Attempt(id: id, exerciseID: "x", lessonID: "01-a", kind: "answer", generation: generation, startedAt: started,
                              endedAt: ended, outcome: outcome, score: score, maxScore: 2, hintsShown: 0)
    }

    func testStatusFollowsTheContract() {
        func status(_ attempts: [StudentRecord.Attempt]) -> ExerciseStanding.Status {
            ExerciseStanding.make(exerciseID: "x", points: 2, record: StudentRecord(course: "c", attempts: attempts)).status
        }
        XCTAssertEqual(status([]), .notStarted)
        XCTAssertEqual(status([attempt(1, ended: nil, outcome: "running")]), .interrupted)
        XCTAssertEqual(status([attempt(1, ended: nil, outcome: "running"), attempt(2, outcome: "error")]), .failed)
        XCTAssertEqual(status([attempt(1, outcome: "failed"), attempt(2, outcome: "passed", score: 2), attempt(3, outcome: "failed")]), .passed)
        // A 'running' row never counts as passed, even with a score written into it.
        let running = ExerciseStanding.make(exerciseID: "x", points: 2, record: StudentRecord(course: "c", attempts: [
            attempt(1, ended: nil, outcome: "running", score: 2)]))
        XCTAssertEqual(running.score, 0)
    }

    func testOnlyTheCurrentGenerationCountsAndTheBestScoreWins() {
        let record = StudentRecord(
            course: "c",
            attempts: [attempt(1, outcome: "passed", score: 2),
                       attempt(2, generation: 1, outcome: "failed", score: 0.5, started: "2026-12-02 09:00:00.000"),
                       attempt(3, generation: 1, outcome: "failed", score: 1.25, started: "2026-12-02 09:05:00.000")],
            hintUses: [.init(exerciseID: "x", generation: 0, hintIndex: 0, shownAt: "2026-12-01 09:59:00.000"),
                       .init(exerciseID: "x", generation: 1, hintIndex: 0, shownAt: "2026-12-02 08:59:00.000"),
                       .init(exerciseID: "x", generation: 1, hintIndex: 0, shownAt: "2026-12-02 09:01:00.000"),
                       .init(exerciseID: "x", generation: 1, hintIndex: 1, shownAt: "2026-12-02 09:02:00.000")],
            exerciseStates: [.init(exerciseID: "x", generation: 1, updatedAt: "2026-12-02 08:00:00.000")])
        let summary = ExerciseStanding.make(exerciseID: "x", points: 2, record: record)
        XCTAssertEqual(summary.status, .failed)
        XCTAssertEqual(summary.score, 1.25)
        XCTAssertEqual(summary.attempts, 2)
        XCTAssertEqual(summary.totalAttempts, 3)
        XCTAssertEqual(summary.hintsUsed, 2, "hints 0 and 1 of generation 1; showing hint 0 twice counts once")
        XCTAssertEqual(summary.lastActivity, "2026-12-02 09:05:00.000", "the latest start, end, hint or reset")
        XCTAssertEqual(summary.generation, 1)
    }
}
