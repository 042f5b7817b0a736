import MQTTBroker
import MQTTBrokerCore
import MQTTCodec

/// Decides which observations meet a condition. Pure functions over the log, so the same rules serve
/// `live`, `program` and the tests.
enum ExpectationMatcher {
    /// Indices of the observations (from `start` on) that meet `condition`, in order.
    static func matches(_ condition: Expectation.Condition, in log: [Observation], from start: Int = 0) -> [Int] {
        let window = log.filter { $0.index >= start }
        switch condition {
        case .queuedDelivery(let clientID, let filter):
            return queuedDeliveries(in: log, clientID: clientID, filter: filter).filter { $0 >= start }
        case .checker(let name):
            return NamedCheckers.all[name]?.run(window) ?? []
        default:
            return window.filter { meets(condition, $0) }.map(\.index)
        }
    }

    static func meets(_ condition: Expectation.Condition, _ observation: Observation) -> Bool {
        switch (condition, observation.item) {
        case (.connect(let pattern), .packet(let record)):
            guard record.direction == .incoming, case .connect(let connect)? = record.packet else { return false }
            return meets(pattern, connect)
        case (.publish(let pattern), .packet(let record)):
            guard record.direction == .incoming, case .publish(let publish)? = record.packet else { return false }
            return meets(pattern, topic: publish.topic, payload: publish.payload, qos: publish.qos, retain: publish.retain, client: record.clientID)
        case (.delivered(let pattern), .packet(let record)):
            guard record.direction == .outgoing, case .publish(let publish)? = record.packet else { return false }
            return meets(pattern, topic: publish.topic, payload: publish.payload, qos: publish.qos, retain: publish.retain, client: record.clientID)
        case (.subscribe(let pattern), .packet(let record)):
            guard record.direction == .incoming, case .subscribe(let subscribe)? = record.packet else { return false }
            if let wanted = pattern.clientID, wanted != record.clientID { return false }
            return subscribe.subscriptions.contains { meets(pattern, $0) }
        case (.unsubscribe(let filter), .packet(let record)):
            guard record.direction == .incoming, case .unsubscribe(let unsubscribe)? = record.packet else { return false }
            return filter.map { unsubscribe.filters.contains($0) } ?? true
        case (.packet(let type, let incoming, let clientID), .packet(let record)):
            guard record.packet?.type == type, (record.direction == .incoming) == incoming else { return false }
            return clientID.map { $0 == record.clientID } ?? true
        case (.willPublished(let topic), .event(.willPublished(_, let published))):
            return topic.map { $0 == published } ?? true
        case (.retained(let topic, let cleared), .event(.retained(let stored, let wasCleared))):
            return wasCleared == cleared && (topic.map { $0 == stored } ?? true)
        case (.disconnect(let clientID, let graceful), .event(.connectionEnded(_, let client, let wasGraceful, _))):
            return (clientID.map { $0 == client } ?? true) && (graceful.map { $0 == wasGraceful } ?? true)
        default:
            return false
        }
    }

    static func meets(_ pattern: ConnectPattern, _ connect: Connect) -> Bool {
        if let id = pattern.clientID, id != connect.clientID { return false }
        if let clean = pattern.cleanStart, clean != connect.cleanStart { return false }
        if let version = pattern.version, version != connect.version { return false }
        if let user = pattern.username, user != connect.username { return false }
        if let minimum = pattern.minKeepAlive, Int(connect.keepAlive) < minimum { return false }
        if let maximum = pattern.maxKeepAlive, Int(connect.keepAlive) > maximum { return false }
        if let minimum = pattern.sessionExpiryMin {
            let expiry = connect.properties.lazy.compactMap { property -> UInt32? in
                if case .sessionExpiryInterval(let seconds) = property { return seconds }
                return nil
            }.first ?? 0
            if Int(expiry) < minimum { return false }
        }
        if let hasWill = pattern.hasWill, hasWill != (connect.will != nil) { return false }
        if let will = pattern.will {
            guard let actual = connect.will else { return false }
            return meets(will, topic: actual.topic, payload: actual.payload, qos: actual.qos, retain: actual.retain, client: connect.clientID)
        }
        return true
    }

    static func meets(_ pattern: PublishPattern, topic: String, payload: [UInt8], qos: QoS, retain: Bool, client: String?) -> Bool {
        if let wanted = pattern.topic, wanted != topic { return false }
        if let filter = pattern.topicMatches, !TopicFilter.matches(filter: filter, topic: topic) { return false }
        if let wanted = pattern.payload, Array(wanted.utf8) != payload { return false }
        if let wanted = pattern.qos, Int(qos.rawValue) != wanted { return false }
        if let minimum = pattern.minQoS, Int(qos.rawValue) < minimum { return false }
        if let wanted = pattern.retain, wanted != retain { return false }
        if let wanted = pattern.clientID, wanted != client { return false }
        return true
    }

    static func meets(_ pattern: SubscribePattern, _ subscription: Subscribe.Subscription) -> Bool {
        let filter = subscription.filter
        if let wanted = pattern.filter, wanted != filter { return false }
        if TopicFilter.problem(in: Array(filter.utf8), sharedSubscriptions: true) != nil { return false }
        if !pattern.matches.allSatisfy({ TopicFilter.matches(filter: filter, topic: $0) }) { return false }
        if pattern.notMatches.contains(where: { TopicFilter.matches(filter: filter, topic: $0) }) { return false }
        let qos = Int(subscription.options.qos.rawValue)
        if let wanted = pattern.qos, wanted != qos { return false }
        if let minimum = pattern.minQoS, qos < minimum { return false }
        return true
    }

    /// Outgoing PUBLISHes that hand a resumed session a message the broker had queued for it while its
    /// client was away: `queued` events add to the client's backlog; after the client resumes its session,
    /// each PUBLISH to it on a backlog topic takes one from the backlog.
    static func queuedDeliveries(in log: [Observation], clientID: String?, filter: String?) -> [Int] {
        var backlog: [String: [String]] = [:]
        var resumed: Set<String> = []
        var result: [Int] = []
        for observation in log {
            switch observation.item {
            case .event(.queued(let client, let topic, _)):
                if clientID.map({ $0 == client }) ?? true { backlog[client, default: []].append(topic) }
            case .event(.sessionStarted(_, let client, let wasResumed, _, _)):
                if wasResumed { resumed.insert(client) } else { resumed.remove(client); backlog[client] = nil }
            case .packet(let record):
                guard record.direction == .outgoing, case .publish(let publish)? = record.packet, let client = record.clientID,
                      resumed.contains(client), var topics = backlog[client],
                      let position = topics.firstIndex(of: publish.topic) else { continue }
                topics.remove(at: position)
                backlog[client] = topics
                if filter.map({ TopicFilter.matches(filter: $0, topic: publish.topic) }) ?? true { result.append(observation.index) }
            default:
                continue
            }
        }
        return result
    }
}

/// Whether a list of expectations is met by the log, and what is missing.
struct ExpectationReport: Sendable {
    var met: [Bool]
    var allMet: Bool { met.allSatisfy { $0 } }

    static func evaluate(_ expectations: [Expectation], log: [Observation], from start: Int = 0) -> ExpectationReport {
        var firstMatch: [String: Int] = [:]
        var matches: [[Int]] = expectations.map { ExpectationMatcher.matches($0.condition, in: log, from: start) }
        for (index, expectation) in expectations.enumerated() {
            if let label = expectation.label, let first = matches[index].first { firstMatch[label] = first }
        }
        for (index, expectation) in expectations.enumerated() {
            if let after = expectation.after {
                let bound = firstMatch[after] ?? Int.max
                matches[index] = matches[index].filter { $0 > bound }
            }
        }
        return ExpectationReport(met: zip(expectations, matches).map { $1.count >= $0.count })
    }
}
