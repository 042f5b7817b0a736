import MQTTCodec

extension BrokerEngine {
    /// The broker's own statistics, published as retained messages under `$SYS/broker/` every
    /// `sysInterval` seconds, with Mosquitto's topic names so lessons and tools carry over. `$` topics are
    /// invisible to `#` [MQTT-4.7.2-1]: subscribe to `$SYS/#` to see them.
    func publishSysTopicsIfDue(actions: inout [BrokerAction]) {
        let interval = configuration.sysInterval
        guard interval > 0 else { return }
        if let last = lastSysPublish, now.seconds(since: last) < Double(interval) { return }
        let elapsed = lastSysPublish.map { now.seconds(since: $0) } ?? 0
        lastSysPublish = now
        let uptime = Int(now.seconds(since: startedAt ?? now))

        // Load: messages per minute, averaged over 1, 5 and 15 minutes (exponential moving averages as
        // Mosquitto computes them).
        if elapsed > 0 {
            let received = Double(statistics.messagesReceived - sysLoad.lastReceived) / elapsed * 60
            let sent = Double(statistics.messagesSent - sysLoad.lastSent) / elapsed * 60
            for (index, minutes) in [1.0, 5.0, 15.0].enumerated() {
                let factor = 1 - (-elapsed / (minutes * 60)).exponential
                sysLoad.received[index] += (received - sysLoad.received[index]) * factor
                sysLoad.sent[index] += (sent - sysLoad.sent[index]) * factor
            }
        }
        sysLoad.lastReceived = statistics.messagesReceived
        sysLoad.lastSent = statistics.messagesSent

        let connected = connections.values.filter(\.isConnected).count
        var values: [(String, String)] = [
            ("version", "mqttlab version \(Self.version)"),
            ("uptime", "\(uptime) seconds"),
            ("clients/connected", "\(connected)"),
            ("clients/disconnected", "\(sessions.values.filter { $0.connection == nil }.count)"),
            ("clients/total", "\(sessions.count)"),
            ("clients/maximum", "\(max(statistics.maximumConnected, connected))"),
            ("messages/received", "\(statistics.messagesReceived)"),
            ("messages/sent", "\(statistics.messagesSent)"),
            ("publish/messages/dropped", "\(statistics.messagesDropped)"),
            ("bytes/received", "\(statistics.bytesReceived)"),
            ("bytes/sent", "\(statistics.bytesSent)"),
            ("subscriptions/count", "\(subscriptions.count)"),
            ("retained messages/count", "\(retained.count)"),
        ]
        for (index, window) in ["1min", "5min", "15min"].enumerated() {
            values.append(("load/messages/received/\(window)", Self.twoDecimals(sysLoad.received[index])))
            values.append(("load/messages/sent/\(window)", Self.twoDecimals(sysLoad.sent[index])))
        }
        for (name, value) in values {
            let publish = Publish(topic: "$SYS/broker/" + name, payload: Array(value.utf8), retain: true)
            let message = ApplicationMessage(publish: publish, topic: publish.topic, publisher: nil, now: now, isSystem: true)
            route(message, actions: &actions)
        }
    }

    static let version = "0.1.0"

    static func twoDecimals(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// Moving averages behind `$SYS/broker/load/...`.
struct SysLoad {
    var received = [0.0, 0.0, 0.0]
    var sent = [0.0, 0.0, 0.0]
    var lastReceived = 0
    var lastSent = 0
}

extension Double {
    /// e^self, without Foundation.
    var exponential: Double {
        // exp(x) = (exp(x / 2^k))^(2^k) with a short Taylor series for the small argument.
        var k = 0
        var x = self
        while abs(x) > 0.5 { x /= 2; k += 1 }
        var term = 1.0
        var sum = 1.0
        for n in 1...12 {
            term *= x / Double(n)
            sum += term
        }
        for _ in 0..<k { sum *= sum }
        return sum
    }
}
