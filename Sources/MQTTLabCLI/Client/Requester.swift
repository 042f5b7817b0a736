import MQTTClient
import MQTTCodec

/// The work of `mqttlab rr`, as mosquitto_rr: subscribe to the response topic, publish the request
/// with that Response Topic (and any Correlation Data given with -D), print the first response.
struct Requester {
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
        let timer = current.startTimer(seconds: options.timeout)
        defer { timer?.cancel() }
        guard let responseTopic = options.responseTopic else { return ClientExitStatus.failure }
        do {
            _ = try await client.subscribe([.init(filter: responseTopic, qos: options.qos)], properties: options.properties[.subscribe] ?? [])
            let properties = [Property.responseTopic(responseTopic)] + (options.properties[.publish] ?? [])
            try await client.publish(topic: options.topics[0], payload: payload, qos: options.qos, properties: properties)
            let formatter = MessageFormatter(format: options.format, verbose: options.verbose, noEOL: options.noEOL, pretty: options.pretty)
            while let message = try await client.nextMessage() {
                if options.skipRetained && message.retain { continue }
                let (output, errors) = formatter.render(message, at: WallClock.nanosecondsSince1970())
                MessagePrinter(lines: lines, ordered: options.debug || options.trace != nil).print(output)
                for error in errors where !options.quiet { StandardStreams.error("Error: \(error)\n") }
                await client.disconnect()
                return ClientExitStatus.success
            }
        } catch {
            if !current.timedOut && !current.interrupted { return connection.report(error).status }
        }
        if current.timedOut {
            StandardStreams.error("Timed out\n")
            return ClientExitStatus.timeout
        }
        return ClientExitStatus.success
    }
}
