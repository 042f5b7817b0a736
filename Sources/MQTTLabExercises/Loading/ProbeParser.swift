import Yams

/// Reads the probes of a `kind: config` exercise.
enum ProbeParser {
    static let actions = ["connect", "subscribe", "publish"]

    static func read(_ top: YAMLFields.Mapping, fields: YAMLFields) -> ConfigCheck? {
        guard let fileText = fields.string(top["student_file"], "student_file") else {
            fields.error(top.node, "a config exercise needs 'student_file': config, password_file or acl_file")
            return nil
        }
        guard let studentFile = ConfigCheck.StudentFile(rawValue: fileText) else {
            fields.error(top["student_file"], "student_file must be config, password_file or acl_file, not '\(fileText)'"
                         + Suggestion.hint(for: fileText, among: ["config", "password_file", "acl_file"]))
            return nil
        }
        let brokerConfig = fields.string(top["broker_config"], "broker_config") ?? ""
        if studentFile == .config && top["broker_config"] != nil {
            fields.error(top.keyNodes["broker_config"], "broker_config is for student_file: password_file or acl_file (with config, the student writes the whole file)")
        }
        let probeNodes = fields.list(top["probes"], "probes")
        let probes = probeNodes.compactMap { probe($0, fields: fields) }
        if probeNodes.isEmpty { fields.error(top["probes"] ?? top.node, "a config exercise needs 'probes': what users try and whether it must work") }
        return ConfigCheck(studentFile: studentFile, brokerConfig: brokerConfig, probes: probes)
    }

    static func probe(_ node: Node, fields: YAMLFields) -> Probe? {
        guard let map = fields.mapping(node, "probe", allowed: actions + ["username", "password", "expect"], required: ["expect"]) else { return nil }
        let present = actions.filter { map[$0] != nil }
        guard present.count == 1, let key = present.first else {
            fields.error(node, "probe: give exactly one of connect, subscribe (a filter) or publish (a topic)")
            return nil
        }
        let action: Probe.Action
        switch key {
        case "connect":
            action = .connect
        case "subscribe":
            guard let filter = fields.string(map["subscribe"], "probe.subscribe") else { return nil }
            VocabularyParser.checkFilter(filter, node: map["subscribe"], fields: fields)
            action = .subscribe(filter: filter)
        default:
            guard let topic = fields.string(map["publish"], "probe.publish") else { return nil }
            if !VocabularyParser.isValidTopic(topic) { fields.error(map["publish"], "probe.publish: '\(topic)' is not a valid topic name") }
            action = .publish(topic: topic)
        }
        guard let expectText = fields.string(map["expect"], "probe.expect") else { return nil }
        guard let expect = Probe.Outcome(rawValue: expectText) else {
            fields.error(map["expect"], "probe.expect must be allowed or refused, not '\(expectText)'")
            return nil
        }
        return Probe(action: action, username: fields.string(map["username"], "probe.username"),
                     password: fields.string(map["password"], "probe.password"), expect: expect, line: node.mark?.line ?? 0)
    }
}
