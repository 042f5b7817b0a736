import MQTTCodec

/// The last retained message of each topic. Retained messages are not session state: they outlive
/// every session [MQTT-3.1.2-7].
struct RetainedStore {
    private(set) var messages: [FilterKey: ApplicationMessage] = [:]

    var count: Int { messages.count }

    /// Stores, replaces, or (empty payload) clears the topic's retained message [MQTT-3.3.1-5..7].
    /// Returns true when it cleared one.
    mutating func update(_ message: ApplicationMessage) -> Bool {
        let key = FilterKey(message.topic)
        if message.payload.isEmpty {
            return messages.removeValue(forKey: key) != nil
        }
        messages[key] = message
        return false
    }

    /// The retained messages whose topic the filter matches, oldest topic name order for stable output.
    func matching(_ filter: String, now: BrokerInstant) -> [ApplicationMessage] {
        messages.values
            .filter { TopicFilter.matches(filter: filter, topic: $0.topic) && !$0.isExpired(at: now) }
            .sorted { $0.topic.utf8.lexicographicallyPrecedes($1.topic.utf8) }
    }

    mutating func removeExpired(now: BrokerInstant) {
        messages = messages.filter { !$0.value.isExpired(at: now) }
    }
}
