import MQTTClient
import MQTTCodec
import NIOCore

/// The work of `mqttlab pub`, as mosquitto_pub: read the message (before connecting, except `-l`),
/// connect, publish (`--repeat` times, or one message per input line with `-l`), wait for every
/// acknowledgement, disconnect.
struct Publisher {
    let options: ClientOptions
    let connection: ClientConnection
    let lines: BoundedLineWriter
    let current: CurrentClient

    func run() async -> Int32 {
        guard let payload = MessageInput.payload(of: options) else { return ClientExitStatus.failure }
        let client: MQTTClient
        switch await connection.connect(trace: connection.traceSink(lines: lines)) {
        case .success(let connected): client = connected
        case .failure(let failure): return failure.status
        }
        current.client = client
        let topic = options.topics[0]
        let properties = options.properties[.publish] ?? []
        var pending: [EventLoopFuture<MQTTPublishResult>] = []
        var failed = false
        var reportedQoS = false

        func send(_ payload: [UInt8]) async {
            pending.append(client.publishFuture(Publish(topic: topic, payload: payload, qos: options.qos, retain: options.retain,
                                                        properties: properties)))
            // Keep the number of unanswered publishes bounded while reading a long input.
            if pending.count >= 1000 { await settle() }
        }
        func settle() async {
            for future in pending {
                do {
                    let result = try await future.result()
                    if result.reasonCode.isFailure && !options.quiet {
                        StandardStreams.error("Warning: Publish \(result.packetID) failed: \(result.reasonCode.name(in: .puback, version: .v5_0).en).\n")
                    }
                } catch .qosNotSupported {
                    // mosquitto_pub says so, sends nothing, and ends normally (status 0).
                    if !reportedQoS { _ = connection.report(.qosNotSupported(maximum: .atMostOnce)) }
                    reportedQoS = true
                } catch {
                    if !failed && !current.interrupted { _ = connection.report(error) }
                    failed = true
                }
            }
            pending.removeAll()
        }

        if options.message == .lines {
            while !failed, !current.interrupted, let line = await current.standardInput.next() { await send(line) }
        } else {
            for index in 0..<options.repeatCount where !failed {
                if index > 0 && options.repeatDelay > 0 {
                    await settle()
                    try? await Task.sleep(for: .seconds(options.repeatDelay))
                }
                await send(payload)
            }
        }
        await settle()
        if current.interrupted {
            // Ctrl+C: the signal handler started a DISCONNECT; wait for it (a second call only waits for the
            // close), or the process could end before it is written and the broker would publish the will.
            await client.disconnect()
            return ClientExitStatus.success
        }
        if failed { return ClientExitStatus.connectionLost }
        await client.disconnect(Disconnect(properties: options.properties[.disconnect] ?? []))
        return ClientExitStatus.success
    }
}
