import MQTTCodec
import Yams

/// Reads the expectation vocabulary (`expect:`, `forbid:`) and `program` scenarios.
enum VocabularyParser {
    static let conditions = ["connect", "publish", "delivered", "subscribe", "unsubscribe", "queued_delivery",
                             "will_published", "retained", "disconnect", "packet", "checker"]
    static let modifiers = ["count", "label", "after"]
    static let steps = ["wait_for", "publish", "expect", "expect_none", "sleep"]

    static func live(_ top: YAMLFields.Mapping, fields: YAMLFields) -> LiveCheck? {
        guard top["expect"] != nil else {
            fields.error(top.node, "a live exercise needs 'expect:': what the student's traffic must show")
            return nil
        }
        let timeout = top["timeout"].map { fields.double($0, "timeout", range: 1...3600) ?? 120 } ?? 120
        let expect = expectations(top["expect"], "expect", fields: fields)
        let forbid = expectations(top["forbid"], "forbid", fields: fields)
        checkLabels(expect, fields: fields, node: top["expect"])
        return LiveCheck(timeout: timeout, expect: expect, forbid: forbid)
    }

    static func program(_ top: YAMLFields.Mapping, fields: YAMLFields) -> ProgramCheck? {
        guard let node = top["scenario"] else {
            fields.error(top.node, "a program exercise needs 'scenario:': the steps the checker plays against the program")
            return nil
        }
        let timeout = top["timeout"].map { fields.double($0, "timeout", range: 1...3600) ?? 60 } ?? 60
        let steps = fields.list(node, "scenario").compactMap { step($0, fields: fields) }
        if steps.isEmpty { fields.error(node, "scenario: give at least one step") }
        return ProgramCheck(timeout: timeout, scenario: steps)
    }

    static func step(_ node: Node, fields: YAMLFields) -> ScenarioStep? {
        guard let map = fields.mapping(node, "scenario step", allowed: steps + ["timeout", "within", "during"]) else { return nil }
        let present = steps.filter { map[$0] != nil }
        guard present.count == 1, let key = present.first else {
            fields.error(node, "scenario step: give exactly one of \(steps.joined(separator: ", "))")
            return nil
        }
        let value = map[key]
        switch key {
        case "wait_for":
            guard let expectation = expectation(value!, "wait_for", fields: fields) else { return nil }
            return .waitFor(expectation, timeout: map["timeout"].flatMap { fields.double($0, "timeout", range: 0.1...600) } ?? 10)
        case "publish":
            guard let spec = fields.mapping(value!, "publish step", allowed: ["topic", "payload", "qos", "retain"], required: ["topic"]),
                  let topic = fields.string(spec["topic"], "publish.topic") else { return nil }
            if !isValidTopic(topic) { fields.error(spec["topic"], "publish.topic: '\(topic)' is not a valid topic name (no + or #)") }
            return .publish(topic: topic, payload: fields.string(spec["payload"], "publish.payload") ?? "",
                            qos: spec["qos"].flatMap { fields.int($0, "publish.qos", range: 0...2) } ?? 0,
                            retain: spec["retain"].flatMap { fields.bool($0, "publish.retain") } ?? false)
        case "expect":
            let list = expectations(value, "expect", fields: fields)
            return .expect(list, within: map["within"].flatMap { fields.double($0, "within", range: 0.1...600) } ?? 5)
        case "expect_none":
            let list = expectations(value, "expect_none", fields: fields)
            return .expectNone(list, during: map["during"].flatMap { fields.double($0, "during", range: 0.1...600) } ?? 2)
        default:
            return fields.double(value, "sleep", range: 0...600).map(ScenarioStep.sleep)
        }
    }

    static func expectations(_ node: Node?, _ what: String, fields: YAMLFields) -> [Expectation] {
        fields.list(node, what).compactMap { expectation($0, what, fields: fields) }
    }

    /// Labels must be unique, and `after` must name one.
    static func checkLabels(_ list: [Expectation], fields: YAMLFields, node: Node?) {
        var seen: Set<String> = []
        for item in list {
            if let label = item.label {
                if seen.contains(label) { fields.error(line: item.line, "label '\(label)' is used twice") }
                seen.insert(label)
            }
        }
        for item in list {
            if let after = item.after, !seen.contains(after) {
                fields.error(line: item.line, "after: no expectation has the label '\(after)'" + Suggestion.hint(for: after, among: Array(seen)))
            }
        }
    }

    static func expectation(_ node: Node, _ what: String, fields: YAMLFields) -> Expectation? {
        guard let map = fields.mapping(node, what, allowed: conditions + modifiers) else { return nil }
        let present = conditions.filter { map[$0] != nil }
        guard present.count == 1, let key = present.first, let value = map[key] else {
            fields.error(node, "\(what): give exactly one condition (\(conditions.joined(separator: ", "))), found \(present.count)")
            return nil
        }
        let line = node.mark?.line ?? 0
        guard let condition = condition(key, value, fields: fields) else { return nil }
        let count = map["count"].flatMap { fields.int($0, "count", range: 1...10_000) } ?? 1
        return Expectation(condition: condition, count: count, label: fields.string(map["label"], "label"),
                           after: fields.string(map["after"], "after"), line: line)
    }

    private static func condition(_ key: String, _ value: Node, fields: YAMLFields) -> Expectation.Condition? {
        switch key {
        case "connect":
            guard let map = fields.mapping(value, "connect", allowed: ["client_id", "clean_start", "version", "username", "min_keep_alive",
                                                                         "max_keep_alive", "min_session_expiry", "will", "has_will"]) else { return nil }
            var pattern = ConnectPattern()
            pattern.clientID = fields.string(map["client_id"], "connect.client_id")
            pattern.cleanStart = map["clean_start"].flatMap { fields.bool($0, "connect.clean_start") }
            if let text = fields.string(map["version"], "connect.version") {
                pattern.version = version(text)
                if pattern.version == nil { fields.error(map["version"], "connect.version must be 3.1.1 or 5.0, not '\(text)'") }
            }
            pattern.username = fields.string(map["username"], "connect.username")
            pattern.minKeepAlive = map["min_keep_alive"].flatMap { fields.int($0, "connect.min_keep_alive", range: 0...65_535) }
            pattern.maxKeepAlive = map["max_keep_alive"].flatMap { fields.int($0, "connect.max_keep_alive", range: 0...65_535) }
            pattern.sessionExpiryMin = map["min_session_expiry"].flatMap { fields.int($0, "connect.min_session_expiry", range: 0...Int(UInt32.max)) }
            pattern.hasWill = map["has_will"].flatMap { fields.bool($0, "connect.has_will") }
            if let will = map["will"] { pattern.will = publishPattern(will, "connect.will", fields: fields) }
            return .connect(pattern)
        case "publish", "delivered":
            return publishPattern(value, key, fields: fields).map { key == "publish" ? .publish($0) : .delivered($0) }
        case "subscribe":
            guard let map = fields.mapping(value, "subscribe", allowed: ["filter", "matches", "not_matches", "qos", "min_qos", "client_id"]) else { return nil }
            var pattern = SubscribePattern()
            pattern.filter = fields.string(map["filter"], "subscribe.filter")
            if let filter = pattern.filter { checkFilter(filter, node: map["filter"], fields: fields) }
            pattern.matches = fields.strings(map["matches"], "subscribe.matches")
            pattern.notMatches = fields.strings(map["not_matches"], "subscribe.not_matches")
            for topic in pattern.matches + pattern.notMatches where !isValidTopic(topic) {
                fields.error(value, "subscribe: '\(topic)' is not a valid topic name (no + or #, not empty)")
            }
            pattern.qos = map["qos"].flatMap { fields.int($0, "subscribe.qos", range: 0...2) }
            pattern.minQoS = map["min_qos"].flatMap { fields.int($0, "subscribe.min_qos", range: 0...2) }
            pattern.clientID = fields.string(map["client_id"], "subscribe.client_id")
            return .subscribe(pattern)
        case "unsubscribe":
            guard let map = fields.mapping(value, "unsubscribe", allowed: ["filter"]) else { return nil }
            let filter = fields.string(map["filter"], "unsubscribe.filter")
            if let filter { checkFilter(filter, node: map["filter"], fields: fields) }
            return .unsubscribe(filter: filter)
        case "queued_delivery":
            guard let map = fields.mapping(value, "queued_delivery", allowed: ["client_id", "topic_matches"]) else { return nil }
            let filter = fields.string(map["topic_matches"], "queued_delivery.topic_matches")
            if let filter { checkFilter(filter, node: map["topic_matches"], fields: fields) }
            return .queuedDelivery(clientID: fields.string(map["client_id"], "queued_delivery.client_id"), topicFilter: filter)
        case "will_published":
            guard let map = fields.mapping(value, "will_published", allowed: ["topic"]) else { return nil }
            return .willPublished(topic: fields.string(map["topic"], "will_published.topic"))
        case "retained":
            guard let map = fields.mapping(value, "retained", allowed: ["topic", "cleared"]) else { return nil }
            return .retained(topic: fields.string(map["topic"], "retained.topic"),
                             cleared: map["cleared"].flatMap { fields.bool($0, "retained.cleared") } ?? false)
        case "disconnect":
            guard let map = fields.mapping(value, "disconnect", allowed: ["client_id", "graceful"]) else { return nil }
            return .disconnect(clientID: fields.string(map["client_id"], "disconnect.client_id"),
                               graceful: map["graceful"].flatMap { fields.bool($0, "disconnect.graceful") })
        case "packet":
            guard let map = fields.mapping(value, "packet", allowed: ["type", "from", "client_id"], required: ["type"]),
                  let typeText = fields.string(map["type"], "packet.type") else { return nil }
            guard let type = PacketType.allCases.first(where: { $0.description == typeText.uppercased() }) else {
                fields.error(map["type"], "packet.type: unknown packet type '\(typeText)'" + Suggestion.hint(for: typeText.uppercased(), among: PacketType.allCases.map(\.description)))
                return nil
            }
            let from = fields.string(map["from"], "packet.from") ?? "client"
            guard from == "client" || from == "broker" else {
                fields.error(map["from"], "packet.from must be client or broker, not '\(from)'")
                return nil
            }
            return .packet(type: type, incoming: from == "client", clientID: fields.string(map["client_id"], "packet.client_id"))
        default:
            guard let name = fields.string(value, "checker") else { return nil }
            guard NamedCheckers.all[name] != nil else {
                fields.error(value, "unknown checker '\(name)'" + Suggestion.hint(for: name, among: Array(NamedCheckers.all.keys)))
                return nil
            }
            return .checker(name)
        }
    }

    static func publishPattern(_ node: Node, _ what: String, fields: YAMLFields) -> PublishPattern? {
        guard let map = fields.mapping(node, what, allowed: ["topic", "topic_matches", "payload", "qos", "min_qos", "retain", "client_id"]) else { return nil }
        var pattern = PublishPattern()
        pattern.topic = fields.string(map["topic"], "\(what).topic")
        if let topic = pattern.topic, !isValidTopic(topic) {
            fields.error(map["topic"], "\(what).topic: '\(topic)' is not a valid topic name (no + or #; use topic_matches for a filter)")
        }
        pattern.topicMatches = fields.string(map["topic_matches"], "\(what).topic_matches")
        if let filter = pattern.topicMatches { checkFilter(filter, node: map["topic_matches"], fields: fields) }
        pattern.payload = fields.string(map["payload"], "\(what).payload")
        pattern.qos = map["qos"].flatMap { fields.int($0, "\(what).qos", range: 0...2) }
        pattern.minQoS = map["min_qos"].flatMap { fields.int($0, "\(what).min_qos", range: 0...2) }
        pattern.retain = map["retain"].flatMap { fields.bool($0, "\(what).retain") }
        pattern.clientID = fields.string(map["client_id"], "\(what).client_id")
        return pattern
    }

    /// A filter is checked by the codec's own rules, the ones the broker applies to a SUBSCRIBE.
    static func checkFilter(_ filter: String, node: Node?, fields: YAMLFields) {
        if let (problem, _) = TopicFilter.problem(in: Array(filter.utf8), sharedSubscriptions: true) {
            fields.error(node, "'\(filter)' is not a valid topic filter: \(problem.message.en)")
        }
    }

    static func isValidTopic(_ topic: String) -> Bool {
        !topic.isEmpty && !topic.contains("+") && !topic.contains("#")
    }

    static func version(_ text: String) -> ProtocolVersion? {
        switch text {
        case "3.1.1", "4", "311": .v3_1_1
        case "5", "5.0": .v5_0
        case "3.1", "3": .v3_1
        default: nil
        }
    }
}
