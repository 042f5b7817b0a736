import MQTTCodec

/// The last retained message of each topic. Retained messages are not session state: they outlive
/// every session [MQTT-3.1.2-7].
struct RetainedStore {
    private(set) var messages: [FilterKey: ApplicationMessage] = [:]
    /// Topics changed since the durable store last asked (only tracked when a store is attached).
    var tracksChanges = false
    private(set) var changed: Set<FilterKey> = []

    mutating func takeChanged() -> Set<FilterKey> {
        defer { changed.removeAll(keepingCapacity: true) }
        return changed
    }

    /// Every topic is written at the next batch (after a failed write).
    mutating func markAllChanged() {
        guard tracksChanges else { return }
        changed.formUnion(messages.keys)
    }

    /// This topic is written (or deleted, when it has no message) at the next batch.
    mutating func markChanged(_ key: FilterKey) {
        if tracksChanges { changed.insert(key) }
    }

    /// Puts back a message read from the store.
    mutating func restore(_ message: ApplicationMessage) {
        messages[FilterKey(message.topic)] = message
    }

    func message(for key: FilterKey) -> ApplicationMessage? { messages[key] }

    var count: Int { messages.count }

    /// Stores, replaces, or (empty payload) clears the topic's retained message [MQTT-3.3.1-5..7].
    /// Returns true when it cleared one.
    mutating func update(_ message: ApplicationMessage) -> Bool {
        let key = FilterKey(message.topic)
        // $SYS statistics are republished every interval: nothing to keep across restarts.
        if tracksChanges && !message.isSystem { changed.insert(key) }
        if message.payload.isEmpty {
            return messages.removeValue(forKey: key) != nil
        }
        // Kept for long: the payload once, not also inside the received packet's bytes.
        messages[key] = message.withoutWire()
        return false
    }

    /// The retained messages whose topic the filter matches, oldest topic name order for stable output.
    func matching(_ filter: String, now: BrokerInstant) -> [ApplicationMessage] {
        messages.values
            .filter { TopicFilter.matches(filter: filter, topic: $0.topic) && !$0.isExpired(at: now) }
            .sorted { $0.topic.utf8.lexicographicallyPrecedes($1.topic.utf8) }
    }

    mutating func removeExpired(now: BrokerInstant) {
        for (key, message) in messages where message.isExpired(at: now) {
            messages[key] = nil
            if tracksChanges { changed.insert(key) }
        }
    }
}
