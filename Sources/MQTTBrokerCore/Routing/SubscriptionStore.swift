import MQTTCodec

/// Who subscribed to what: the filters, and for each the subscribing sessions. Shared subscriptions
/// (`$share/group/filter`, 5.0) keep their members in order so each message goes to one of them.
struct SubscriptionStore {
    /// Non-shared filters → subscribing clients.
    private(set) var filters: [FilterKey: Set<ClientIdentifier>] = [:]
    /// Shared groups ("$share/group/filter") → the filter they share and the members, in join order.
    private(set) var groups: [FilterKey: SharedGroup] = [:]

    struct SharedGroup {
        var filter: String
        var members: [ClientIdentifier] = []
        var next = 0
    }

    var count: Int { filters.values.reduce(0) { $0 + $1.count } + groups.values.reduce(0) { $0 + $1.members.count } }

    mutating func add(_ filter: FilterKey, client: ClientIdentifier, shared: (group: String, filter: String)?) {
        if let shared {
            groups[filter, default: SharedGroup(filter: shared.filter)].members.append(client)
            if let members = groups[filter]?.members, Set(members.map(\.bytes)).count != members.count {
                groups[filter]?.members = members.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            }
        } else {
            filters[filter, default: []].insert(client)
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

    /// Every (client, filter) whose non-shared filter matches the topic.
    func matches(topic: String) -> [(client: ClientIdentifier, filter: FilterKey)] {
        var result: [(ClientIdentifier, FilterKey)] = []
        var topic = topic
        topic.withUTF8 { topicBytes in
            for (filter, clients) in filters {
                let matched = filter.bytes.withUnsafeBufferPointer { TopicFilter.matches(filter: $0, topic: topicBytes) }
                if matched { for client in clients { result.append((client, filter)) } }
            }
        }
        return result
    }

    /// The shared groups whose filter matches the topic, with their members.
    func matchingGroups(topic: String) -> [(key: FilterKey, members: [ClientIdentifier], next: Int)] {
        groups.compactMap { key, group in
            TopicFilter.matches(filter: group.filter, topic: topic) ? (key, group.members, group.next) : nil
        }
        .sorted { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }
    }

    mutating func advance(group key: FilterKey, past index: Int) {
        guard let count = groups[key]?.members.count, count > 0 else { return }
        groups[key]?.next = (index + 1) % count
    }
}
