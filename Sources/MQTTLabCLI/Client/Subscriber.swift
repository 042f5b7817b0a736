import MQTTClient
import MQTTCodec

/// The work of `mqttlab sub`, in mosquitto_sub's order: connect, subscribe (then unsubscribe `-U`),
/// print each message through the filters (`-R`, `--retained-only`, `-T`), stop at `-C`, `-W` or `-E`.
/// A lost connection is reopened (1, 2, 4, 8 s apart), as mosquitto_sub does.
struct Subscriber {
    let options: ClientOptions
    let connection: ClientConnection
    let lines: BoundedLineWriter
    let current: CurrentClient

    func run() async -> Int32 {
        let formatter = MessageFormatter(format: options.format, verbose: options.verbose, noEOL: options.noEOL, pretty: options.pretty)
        let trace = connection.traceSink(lines: lines)
        var printed = 0
        var backoff = 1
        var firstConnection = true
        var timer: Task<Void, Never>?
        defer { timer?.cancel() }
        while !current.interrupted {
            let client: MQTTClient
            switch await connection.connect(trace: trace, silently: !firstConnection) {
            case .success(let connected): client = connected
            case .failure(let failure):
                if firstConnection { return failure.status }
                if current.timedOut { return timedOut() }
                await waitBeforeReconnecting(seconds: backoff)
                backoff = min(backoff * 2, 8)
                continue
            }
            current.client = client
            if current.interrupted {
                await client.disconnect()
                break
            }
            // The -W timer may have fired while the connection was down: it disconnected the old client.
            if current.timedOut {
                await client.disconnect()
                return timedOut()
            }
            if firstConnection {
                // The -W clock starts once connected, as in mosquitto_sub.
                timer = current.startTimer(seconds: options.timeout)
                firstConnection = false
            }
            backoff = 1
            if let status = await subscribe(client) {
                await client.disconnect()
                return status
            }
            if options.exitAfterSubscribe {
                await client.disconnect()
                return ClientExitStatus.success
            }
            do {
                while let message = try await client.nextMessage() {
                    if options.removeRetained && message.retain && !message.payload.isEmpty {
                        _ = try? await client.publish(topic: message.topic, payload: [], qos: .atLeastOnce, retain: true)
                    }
                    if options.retainedOnly && !message.retain {
                        await client.disconnect()
                        return ClientExitStatus.success
                    }
                    if options.skipRetained && message.retain { continue }
                    if options.filterOut.contains(where: { TopicFilter.matches(filter: $0, topic: message.topic) }) { continue }
                    let (output, errors) = formatter.render(message, at: WallClock.nanosecondsSince1970())
                    MessagePrinter(lines: lines, ordered: options.debug || options.trace != nil).print(output)
                    for error in errors where !options.quiet { StandardStreams.error("Error: \(error)\n") }
                    printed += 1
                    if let count = options.count, printed >= count {
                        await client.disconnect()
                        return ClientExitStatus.success
                    }
                }
                // nil: the client was disconnected on purpose, by the -W timer or a signal.
                return current.timedOut ? timedOut() : ClientExitStatus.success
            } catch {
                if current.timedOut { return timedOut() }
                if current.interrupted { break }
                if case .connectionRefused = error { return connection.report(error).status }
                // mosquitto_sub reconnects after a lost connection; so does mqttlab sub.
                await waitBeforeReconnecting(seconds: backoff)
                if current.timedOut { return timedOut() }
                backoff = min(backoff * 2, 8)
            }
        }
        return ClientExitStatus.success
    }

    /// The back-off between reconnections, cut short by Ctrl-C or the -W timer.
    private func waitBeforeReconnecting(seconds: Int) async {
        for _ in 0..<(seconds * 10) where !current.interrupted && !current.timedOut {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    private func timedOut() -> Int32 {
        StandardStreams.error("Timed out\n")
        return ClientExitStatus.timeout
    }

    /// SUBSCRIBE (and UNSUBSCRIBE for -U); returns an exit status when the command must stop.
    private func subscribe(_ client: MQTTClient) async -> Int32? {
        let subscriptions = options.topics.map { Subscribe.Subscription(filter: $0, qos: options.qos) }
        do {
            let suback = try await client.subscribe(subscriptions, properties: options.properties[.subscribe] ?? [])
            if options.debug {
                lines.enqueue("Subscribed (mid: \(suback.packetID)): " + suback.reasonCodes.map { String($0.rawValue) }.joined(separator: ", "))
            }
            if !suback.reasonCodes.isEmpty && suback.reasonCodes.allSatisfy(\.isFailure) {
                if !options.quiet { StandardStreams.error("All subscription requests were denied.\n") }
                return ClientExitStatus.failure
            }
            if !options.unsubscribeTopics.isEmpty {
                _ = try await client.unsubscribe(options.unsubscribeTopics, properties: options.properties[.unsubscribe] ?? [])
            }
            return nil
        } catch {
            return current.interrupted ? ClientExitStatus.success : connection.report(error).status
        }
    }
}
