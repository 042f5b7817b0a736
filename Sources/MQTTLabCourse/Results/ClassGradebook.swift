import MQTTCodec

/// The teacher's view of a class: one row per student, one column per exercise.
public struct ClassGradebook: Sendable, Equatable {
    public struct Student: Sendable, Equatable {
        public var source: GradeSource
        /// Per exercise id, in `exercises` order.
        public var summaries: [ExerciseStanding]
        public var total: Double
        /// Every attempt of every generation (history included).
        public var attempts: Int
        public var lastActivity: String?

        public var identity: StudentIdentity? { source.identity }
    }

    /// Two files of one student (same uuid): the newest was kept.
    public struct Duplicate: Sendable, Equatable {
        public var uuid: String
        public var name: String
        public var kept: String
        public var dropped: [String]
    }

    public var exercises: [ExerciseCatalogEntry]
    public var students: [Student]
    public var duplicates: [Duplicate]

    public var totalPoints: Double { exercises.map(\.points).reduce(0, +) }

    /// - Parameters:
    ///   - catalog: the exercises this mqttlab knows (may be empty); the exports' own catalogs and any exercise
    ///     seen only in attempts are added, so no attempt is left out of the table.
    public static func make(sources: [GradeSource], catalog: [ExerciseCatalogEntry]) -> ClassGradebook {
        // Same uuid twice: keep the newest data (export time, or a database's latest activity), report the rest.
        var byUUID: [String: [GradeSource]] = [:]
        var order: [String] = []
        for (index, source) in sources.enumerated() {
            let key = source.identity.map(\.uuid).flatMap { $0.isEmpty ? nil : $0 } ?? "file:\(index):\(source.path)"
            if byUUID[key] == nil { order.append(key) }
            byUUID[key, default: []].append(source)
        }
        var kept: [GradeSource] = []
        var duplicates: [Duplicate] = []
        for key in order {
            let group = byUUID[key] ?? []
            // Ties (same time) keep the file given last on the command line.
            guard let newest = group.enumerated().max(by: { ($0.element.asOf, $0.offset) < ($1.element.asOf, $1.offset) })?.element else { continue }
            kept.append(newest)
            if group.count > 1 {
                duplicates.append(Duplicate(uuid: key, name: newest.identity?.name ?? "", kept: newest.path,
                                            dropped: group.map(\.path).filter { $0 != newest.path }))
            }
        }

        // In first-seen order, so the author's order within a lesson survives.
        var entries: [ExerciseCatalogEntry] = []
        var known = Set<String>()
        func add(_ entry: ExerciseCatalogEntry) {
            if known.insert(entry.id).inserted { entries.append(entry) }
        }
        catalog.forEach(add)
        // Exports' catalogs, newest first, fill in what the given catalog lacks.
        for source in kept.sorted(by: { $0.asOf > $1.asOf }) { source.catalog.forEach(add) }
        for source in kept {
            for attempt in source.record.attempts {
                add(ExerciseCatalogEntry(id: attempt.exerciseID, lessonID: attempt.lessonID, points: attempt.maxScore,
                                         title: LocalizedText(en: attempt.exerciseID, es: attempt.exerciseID)))
            }
        }
        let exercises = ExerciseCatalogEntry.ordered(entries)

        let students = kept.map { source -> Student in
            let summaries = exercises.map { ExerciseStanding.make(exerciseID: $0.id, points: $0.points, record: source.record) }
            return Student(source: source, summaries: summaries, total: summaries.map(\.score).reduce(0, +),
                           attempts: source.record.attempts.count, lastActivity: summaries.compactMap(\.lastActivity).max())
        }.sorted { left, right in
            let l = (left.identity?.name ?? "").lowercased(), r = (right.identity?.name ?? "").lowercased()
            return (l, left.source.path) < (r, right.source.path)
        }
        return ClassGradebook(exercises: exercises, students: students, duplicates: duplicates)
    }
}
