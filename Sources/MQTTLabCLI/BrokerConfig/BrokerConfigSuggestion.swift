/// Finds the known key an unknown one was probably meant to be ("did you mean max_inflight_messages?").
enum BrokerConfigSuggestion {
    /// The closest of `candidates` to `key`, or nil when none is close. Tried in order: the same key in
    /// another case; the smallest edit distance within a third of the key's length (at least 2); a
    /// candidate containing the key (`inflight_messages` → `max_inflight_messages`). Ties go to the
    /// earlier candidate, so list supported keys first.
    static func closest(to key: String, among candidates: [String]) -> String? {
        let lowered = key.lowercased()
        if let sameLetters = candidates.first(where: { $0.lowercased() == lowered }) { return sameLetters }
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate)
            if distance < best?.distance ?? .max { best = (candidate, distance) }
        }
        if let best, best.distance <= max(2, key.count / 3) { return best.name }
        if lowered.count >= 5, let containing = candidates.first(where: { $0.contains(lowered) }) { return containing }
        return nil
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
    /// neighbouring characters each cost 1 (`max_infligth` is one swap from `max_inflight`).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
