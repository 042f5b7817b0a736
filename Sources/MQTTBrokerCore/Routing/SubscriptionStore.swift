import MQTTCodec

/// Who subscribed to what: the filters, and for each the subscribing sessions. Shared subscriptions
/// (`$share/group/filter`, 5.0) keep their members in order so each message goes to one of them.
struct SubscriptionStore {
    /// Non-shared filters → their subscribers (in no particular order: routing sorts its targets).
    private(set) var filters: [FilterKey: Subscribers] = [:]
    /// Shared groups ("$share/group/filter") → the filter they share and the members, in join order.
    private(set) var groups: [FilterKey: SharedGroup] = [:]

    /// One session's subscription to a non-shared filter, with what routing needs at hand: the granted
    /// options (a copy of the session's own, kept equal by `add`) and the session's handle, so a message
    /// reaches the session without a lookup by client id.
    struct Subscriber {
        var client: ClientIdentifier
        var handle: SessionHandle
        var options: SubscriptionOptions
    }

    /// One filter's subscribers: an array to walk for every message, and each client's place in it, so
    /// subscribing and unsubscribing stay O(1) with thousands of subscribers on one filter.
    struct Subscribers {
        private(set) var list: [Subscriber] = []
        private var positions: [ClientIdentifier: Int] = [:]

        var count: Int { list.count }
        var isEmpty: Bool { list.isEmpty }

        mutating func upsert(_ subscriber: Subscriber) {
            if let position = positions[subscriber.client] {
                list[position] = subscriber
            } else {
                positions[subscriber.client] = list.count
                list.append(subscriber)
            }
        }

        mutating func remove(_ client: ClientIdentifier) {
            guard let position = positions.removeValue(forKey: client) else { return }
            let last = list.removeLast()
            if position < list.count {
                list[position] = last
                positions[last.client] = position
            }
        }
    }

    struct SharedGroup {
        var filter: String
        var members: [ClientIdentifier] = []
        var next = 0
    }

    var count: Int { filters.values.reduce(0) { $0 + $1.count } + groups.values.reduce(0) { $0 + $1.members.count } }

    /// Adds a subscription, or (the same client and filter again) replaces its options [MQTT-3.8.4-3].
    mutating func add(_ filter: FilterKey, client: ClientIdentifier, handle: SessionHandle, options: SubscriptionOptions,
                      shared: (group: String, filter: String)?) {
        if let shared {
            groups[filter, default: SharedGroup(filter: shared.filter)].members.append(client)
            if let members = groups[filter]?.members, Set(members.map(\.bytes)).count != members.count {
                groups[filter]?.members = members.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            }
        } else {
            filters[filter, default: Subscribers()].upsert(Subscriber(client: client, handle: handle, options: options))
        }
    }

    mutating func remove(_ filter: FilterKey, client: ClientIdentifier) {
        if groups[filter] != nil {
            groups[filter]?.members.removeAll { $0 == client }
            if groups[filter]?.members.isEmpty == true { groups[filter] = nil }
        } else {
            filters[filter]?.remove(client)
            if filters[filter]?.isEmpty == true { filters[filter] = nil }
        }
    }

    /// Calls `body` with every subscriber whose non-shared filter matches the topic (no array is built:
    /// this runs for every message).
    func forEachMatch(topic: String, _ body: (Subscriber, FilterKey) -> Void) {
        var topic = topic
        topic.withUTF8 { topicBytes in
            for (filter, subscribers) in filters {
                let matched = filter.bytes.withUnsafeBufferPointer { TopicFilter.matches(filter: $0, topic: topicBytes) }
                if matched { for subscriber in subscribers.list { body(subscriber, filter) } }
            }
        }
    }

    /// The shared groups whose filter matches the topic, with their members.
    func matchingGroups(topic: String) -> [(key: FilterKey, members: [ClientIdentifier], next: Int)] {
        // Most brokers have no shared subscription: sorting even an empty result cost 2% per message.
        guard !groups.isEmpty else { return [] }
        return groups.compactMap { key, group in
            TopicFilter.matches(filter: group.filter, topic: topic) ? (key, group.members, group.next) : nil
        }
        .sorted { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }
    }

    mutating func advance(group key: FilterKey, past index: Int) {
        guard let count = groups[key]?.members.count, count > 0 else { return }
        groups[key]?.next = (index + 1) % count
    }
}
