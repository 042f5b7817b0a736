/// Topic filters and topic names, compared as UTF-8 bytes.
///
/// Swift's `String ==` treats canonically equivalent strings as equal ("é" precomposed equals "e" plus a
/// combining accent); MQTT forbids any such normalisation [MQTT-4.7.3-4], so every rule here works on
/// the bytes.
public enum TopicFilter {
    static let slash = UInt8(ascii: "/")
    static let plus = UInt8(ascii: "+")
    static let hash = UInt8(ascii: "#")
    static let dollar = UInt8(ascii: "$")
    static let sharePrefix = Array("$share/".utf8)

    /// Checks a filter's syntax [MQTT-4.7.1-1..3] and, in 5.0, the shared subscription form
    /// `$share/{group}/{filter}` [MQTT-4.8.2-1..2]. Returns the problem and the byte offset (within the
    /// filter; -1 for an empty filter) where it is, or nil when the filter is valid.
    public static func problem(in filter: [UInt8], sharedSubscriptions: Bool) -> (problem: TopicFilterProblem, offset: Int)? {
        if filter.isEmpty { return (.empty, -1) }
        var start = 0
        if sharedSubscriptions && filter.starts(with: sharePrefix) {
            let groupStart = sharePrefix.count
            // An empty ShareName breaks [MQTT-4.8.2-1]; everything else about the form, [MQTT-4.8.2-2].
            if filter.count == groupStart || filter[groupStart] == slash { return (.emptyShareName, 0) }
            guard let slash = filter[groupStart...].firstIndex(of: slash), slash > groupStart, slash + 1 < filter.count,
                  !filter[groupStart..<slash].contains(where: { $0 == plus || $0 == hash })
            else { return (.invalidSharedSubscription, 0) }
            start = slash + 1
        }
        var levelStart = start
        for index in start...filter.count {
            guard index == filter.count || filter[index] == slash else { continue }
            let level = filter[levelStart..<index]
            if let hashIndex = level.firstIndex(of: hash) {
                if level.count != 1 { return (.multiLevelWildcardNotAlone, hashIndex) }
                if index != filter.count { return (.multiLevelWildcardNotLast, hashIndex) }
            }
            if let plusIndex = level.firstIndex(of: plus), level.count != 1 {
                return (.singleLevelWildcardNotAlone, plusIndex)
            }
            levelStart = index + 1
        }
        return nil
    }

    /// True for a 5.0 shared subscription filter (`$share/...`).
    public static func isShared(_ filter: String) -> Bool { filter.utf8.starts(with: sharePrefix) }

    /// Splits a 5.0 shared subscription into its group name and the filter it shares.
    public static func splitShared(_ filter: String) -> (group: String, filter: String)? {
        let bytes = Array(filter.utf8)
        guard bytes.starts(with: sharePrefix), problem(in: bytes, sharedSubscriptions: true) == nil,
              let slash = bytes[sharePrefix.count...].firstIndex(of: slash)
        else { return nil }
        return (String(decoding: bytes[sharePrefix.count..<slash], as: UTF8.self), String(decoding: bytes[(slash + 1)...], as: UTF8.self))
    }

    /// Whether a (valid, non-shared) filter matches a topic name [MQTT-4.7]. `+` takes exactly one level
    /// (which may be empty), `#` the rest including the parent level, and a filter that starts with a
    /// wildcard never matches a topic that starts with `$` [MQTT-4.7.2-1].
    ///
    /// This runs for every filter on every PUBLISH, so it walks both byte sequences once, level by level,
    /// without splitting or allocating.
    public static func matches(filter: UnsafeBufferPointer<UInt8>, topic: UnsafeBufferPointer<UInt8>) -> Bool {
        let filterCount = filter.count
        let topicCount = topic.count
        if topicCount > 0, topic[0] == dollar, filterCount > 0, filter[0] == plus || filter[0] == hash { return false }
        var f = 0  // start of the current filter level
        var t = 0  // start of the current topic level
        while true {
            var fEnd = f
            while fEnd < filterCount && filter[fEnd] != slash { fEnd += 1 }
            let level = fEnd - f
            if level == 1 && filter[f] == hash { return true }  // the rest, parent included
            guard t <= topicCount else {
                return false
            }
            var tEnd = t
            while tEnd < topicCount && topic[tEnd] != slash { tEnd += 1 }
            if !(level == 1 && filter[f] == plus) {
                guard level == tEnd - t else { return false }
                var index = 0
                while index < level {
                    if filter[f + index] != topic[t + index] { return false }
                    index += 1
                }
            }
            let filterDone = fEnd >= filterCount
            let topicDone = tEnd >= topicCount
            if filterDone && topicDone { return true }
            if filterDone { return false }
            if topicDone {
                // "sport/#" matches "sport": only a final "/#" may remain.
                return fEnd + 2 == filterCount && filter[fEnd + 1] == hash
            }
            f = fEnd + 1
            t = tEnd + 1
        }
    }

    /// Matching over byte arrays.
    public static func matches(filter: [UInt8], topic: [UInt8]) -> Bool {
        filter.withUnsafeBufferPointer { f in topic.withUnsafeBufferPointer { t in matches(filter: f, topic: t) } }
    }

    /// Matching over any byte collections (copied to arrays first; use the array form on hot paths).
    public static func matches(filter: some Collection<UInt8>, topic: some Collection<UInt8>) -> Bool {
        matches(filter: Array(filter), topic: Array(topic))
    }

    /// Convenience over `String`s, still comparing their UTF-8 bytes.
    public static func matches(filter: String, topic: String) -> Bool {
        var filter = filter
        var topic = topic
        // Native strings are contiguous UTF-8: match in place, without copying.
        return filter.withUTF8 { f in topic.withUTF8 { t in matches(filter: f, topic: t) } }
    }
}
