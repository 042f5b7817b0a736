/// Open connections by id: what a `[ConnectionID: Value]` dictionary does, for the handful of operations
/// the engine and the transport need, without hashing.
///
/// Why: every message looks its connections up by id (its publisher, each subscriber), and Swift's
/// `Hasher` (SipHash) on those lookups was about 3 % of the broker's CPU in `bench broker`'s 1→1 profile.
/// Connection ids are handed out in increasing order and never reused, so a multiplicative hash of the
/// number spreads them evenly.
///
/// Internal to the engine on purpose: a generic type used from another module runs unspecialised, and
/// the transport's registry built on it measured at 10 % of the profile (the engine's, specialised, at
/// 0.2 %). The transport keeps a `Dictionary`.
///
/// Linear probing in a power-of-two array at most half full; a removal shifts the entries after it back
/// (no tombstones), so a lookup never walks past an empty slot.
struct ConnectionTable<Value> {
    private struct Entry {
        var id: ConnectionID
        var value: Value
    }

    private var slots: [Entry?]
    private(set) var count = 0

    init() {
        slots = Array(repeating: nil, count: 16)
    }

    subscript(id: ConnectionID) -> Value? {
        get {
            var index = home(of: id)
            while let entry = slots[index] {
                if entry.id == id { return entry.value }
                index = next(index)
            }
            return nil
        }
        set {
            if let newValue { insert(newValue, for: id) } else { removeValue(forKey: id) }
        }
    }

    @discardableResult
    mutating func removeValue(forKey id: ConnectionID) -> Value? {
        var index = home(of: id)
        while let entry = slots[index] {
            if entry.id == id {
                slots[index] = nil
                count -= 1
                closeGap(at: index)
                return entry.value
            }
            index = next(index)
        }
        return nil
    }

    /// Every value, in no particular order.
    var values: [Value] { slots.compactMap { $0?.value } }

    /// Every entry in id order (deterministic walks: shutdown, `$SYS`, tests).
    var sortedByID: [(id: ConnectionID, value: Value)] {
        slots.compactMap { $0.map { ($0.id, $0.value) } }.sorted { $0.id < $1.id }
    }

    // MARK: Probing

    private mutating func insert(_ value: Value, for id: ConnectionID) {
        var index = home(of: id)
        while let entry = slots[index] {
            if entry.id == id {
                slots[index]?.value = value
                return
            }
            index = next(index)
        }
        slots[index] = Entry(id: id, value: value)
        count += 1
        if count * 2 > slots.count { grow() }
    }

    /// Backward-shift deletion: later entries of the same probe run move into the gap when their home
    /// slot lies at or before it (cyclically), so every entry stays reachable from its home.
    private mutating func closeGap(at removed: Int) {
        var gap = removed
        var index = next(gap)
        while let entry = slots[index] {
            let home = home(of: entry.id)
            // Distance walked from home to here, and from home to the gap: move only if the gap is on the way.
            if distance(from: home, to: index) >= distance(from: gap, to: index) {
                slots[gap] = entry
                slots[index] = nil
                gap = index
            }
            index = next(index)
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: nil, count: old.count * 2)
        count = 0
        for case let entry? in old { insert(entry.value, for: entry.id) }
    }

    private func home(of id: ConnectionID) -> Int {
        // Fibonacci hashing: the top bits of the id times 2^64 / φ.
        let bits = UInt64(slots.count.trailingZeroBitCount)
        return Int(truncatingIfNeeded: (id.rawValue &* 0x9E37_79B9_7F4A_7C15) >> (64 - bits))
    }

    private func next(_ index: Int) -> Int { (index + 1) & (slots.count - 1) }

    private func distance(from start: Int, to end: Int) -> Int { (end - start) & (slots.count - 1) }
}
