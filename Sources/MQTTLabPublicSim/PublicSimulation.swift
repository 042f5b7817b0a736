import MQTTClient
import MQTTCodec

/// Runs the strangers of the simulated public broker as real MQTT clients over loopback.
///
/// Why real clients rather than messages injected into the engine: the broker's trace, `$SYS` counts and
/// `--trace-json` then show them as what they pretend to be, ordinary clients with their own CONNECT,
/// client id and PUBLISHes, and the engine needs no back door.
///
/// Determinism: the devices publish one at a time from one loop, each at QoS 1 and awaited (the broker has
/// routed it when its PUBACK comes back), so a subscriber sees them in the script's order whatever the
/// pacing. The prankster reacts to the student, so its timing follows theirs, but what it sends follows
/// from the seed and the student's topic.
public struct PublicSimulation: Sendable {
    public var seed: UInt64
    public var host: String
    public var port: Int
    /// Pause between two publications.
    public var interval: Duration
    /// Stop after this many publications (nil: until cancelled). Tests use it.
    public var steps: Int?
    /// Where to report a stranger that could not connect or was cut off (the CLI writes it to stderr).
    public var report: @Sendable (String) -> Void

    public init(seed: UInt64, host: String = "127.0.0.1", port: Int, interval: Duration = .seconds(2), steps: Int? = nil,
                report: @escaping @Sendable (String) -> Void = { _ in }) {
        self.seed = seed
        self.host = host
        self.port = port
        self.interval = interval
        self.steps = steps
        self.report = report
    }

    /// Connects every stranger and the prankster, then publishes until cancelled (or `steps` are done);
    /// disconnects them all before returning.
    public func run() async throws(MQTTClientError) {
        var script = PublicSimScript(seed: seed)
        let pranksterID = PublicSimPrankster(script: script).clientID
        var devices: [MQTTClient] = []
        let spy: MQTTClient
        do {
            for clientID in script.strangers {
                devices.append(try await MQTTClient.connect(configuration(clientID)))
            }
            spy = try await MQTTClient.connect(configuration(pranksterID))
            _ = try await spy.subscribe([Subscribe.Subscription(filter: "#", options: .init(qos: .atMostOnce))])
        } catch {
            for device in devices { await device.disconnect() }
            throw error
        }
        let pranks = Task { [report, script] in
            var prankster = PublicSimPrankster(script: script)
            while let message = try? await spy.nextMessage() {
                for command in prankster.react(to: message.topic) {
                    do {
                        try await spy.publish(topic: command.topic, payload: Array(command.payload.utf8), qos: .atLeastOnce)
                    } catch {
                        report("\(prankster.clientID): \(error)")
                    }
                }
            }
        }
        var published = 0
        while steps.map({ published < $0 }) ?? true, !Task.isCancelled {
            let step = script.next()
            do {
                try await devices[step.stranger].publish(topic: step.topic, payload: Array(step.payload.utf8), qos: .atLeastOnce,
                                                         retain: step.retain)
            } catch {
                report("\(script.strangers[step.stranger]): \(error)")
                break
            }
            published += 1
            do { try await Task.sleep(for: interval) } catch { break }
        }
        for device in devices { await device.disconnect() }
        await spy.disconnect()
        _ = await pranks.result
    }

    private func configuration(_ clientID: String) -> MQTTClientConfiguration {
        MQTTClientConfiguration(host: host, port: port, version: .v3_1_1, clientID: clientID, keepAlive: 60)
    }
}
