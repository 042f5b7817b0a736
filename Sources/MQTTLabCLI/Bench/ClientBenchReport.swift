import Foundation

/// The summary `mqttlab bench` prints: a few aligned lines, or one JSON object.
enum ClientBenchReport {
    static func text(_ result: ClientLoadResult, _ settings: ClientLoadSettings) -> String {
        var lines = [
            "\(settings.host):\(settings.port) · MQTT \(settings.version) · QoS \(settings.qos.rawValue) · "
                + "\(settings.publishers) publisher(s) → \(settings.subscribers) subscriber(s) · \(settings.payloadSize) B payloads",
            "published   \(result.published)",
            "received    \(result.received) of \(result.expected) expected · lost \(result.lost) · duplicated \(result.duplicated)",
            String(format: "throughput  %.0f msg/s · %.2f MB/s (received, over %.2f s)", result.messagesPerSecond,
                   result.megabytesPerSecond, result.seconds),
        ]
        if result.latency.count == ClientLoadResult.percentileNames.count {
            lines.append("latency     " + zip(ClientLoadResult.percentileNames, result.latency)
                .map { String(format: "%@ %.0f µs", $0.0, $0.1) }.joined(separator: " · "))
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ result: ClientLoadResult, _ settings: ClientLoadSettings) -> String {
        var members: [(String, JSONWriter.Value)] = [
            ("host", .string(settings.host)),
            ("port", .int(Int64(settings.port))),
            ("version", .string(settings.version.description)),
            ("qos", .int(Int64(settings.qos.rawValue))),
            ("publishers", .int(Int64(settings.publishers))),
            ("subscribers", .int(Int64(settings.subscribers))),
            ("payload_bytes", .int(Int64(settings.payloadSize))),
            ("published", .int(Int64(result.published))),
            ("expected", .int(Int64(result.expected))),
            ("received", .int(Int64(result.received))),
            ("lost", .int(Int64(result.lost))),
            ("duplicated", .int(Int64(result.duplicated))),
            ("seconds", .double((result.seconds * 1000).rounded() / 1000)),
            ("messages_per_second", .double(result.messagesPerSecond.rounded())),
            ("megabytes_per_second", .double((result.megabytesPerSecond * 100).rounded() / 100)),
        ]
        var latency: [(String, JSONWriter.Value)] = []
        for (name, value) in zip(ClientLoadResult.percentileNames, result.latency) {
            latency.append((name + "_us", .double(value.rounded())))
        }
        members.append(("latency", latency.isEmpty ? .null : .object(latency)))
        return JSONWriter.render(.object(members))
    }
}
