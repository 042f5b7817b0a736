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
    public static func matches(filter: some Collection<UInt8>, topic: some Collection<UInt8>) -> Bool {
        if let first = topic.first, first == dollar, let filterFirst = filter.first, filterFirst == plus || filterFirst == hash {
            return false
        }
        let filterLevels = filter.split(separator: slash, omittingEmptySubsequences: false)
        let topicLevels = topic.split(separator: slash, omittingEmptySubsequences: false)
        var index = 0
        while index < filterLevels.count {
            let level = filterLevels[index]
            if level.count == 1 && level.first == hash { return true }
            guard index < topicLevels.count else { return false }
            if !(level.count == 1 && level.first == plus) && !level.elementsEqual(topicLevels[index]) { return false }
            index += 1
        }
        return index == topicLevels.count
    }

    /// Convenience over `String`s, still comparing their UTF-8 bytes.
    public static func matches(filter: String, topic: String) -> Bool {
        matches(filter: filter.utf8, topic: topic.utf8)
    }
}
