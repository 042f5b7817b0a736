import MQTTCodec

/// The client-side topic checks Mosquitto's clients make before connecting.
enum TopicChecks {
    /// A topic to publish to: not empty, no `+` or `#` [MQTT-4.7.1-1].
    static func isValidTopicName(_ topic: String) -> Bool {
        !topic.isEmpty && !topic.utf8.contains(UInt8(ascii: "+")) && !topic.utf8.contains(UInt8(ascii: "#"))
    }

    /// A filter to subscribe to: wildcards only where they are allowed; `$share/…` accepted.
    static func isValidFilter(_ filter: String) -> Bool {
        TopicFilter.problem(in: Array(filter.utf8), sharedSubscriptions: true) == nil
    }
}
