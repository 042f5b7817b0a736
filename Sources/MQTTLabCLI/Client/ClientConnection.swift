import MQTTClient
import MQTTCodec

/// What `pub`, `sub` and `rr` share: the connection configuration built from the flags, the trace
/// sinks, and connecting with Mosquitto's error messages.
struct ClientConnection {
    let options: ClientOptions
    let language: Language

    func configuration() -> MQTTClientConfiguration {
        var will: Connect.Will?
        if let topic = options.willTopic {
            will = Connect.Will(topic: topic, payload: options.willPayload ?? [], qos: options.willQoS, retain: options.willRetain,
                                properties: options.properties[.will] ?? [])
        }
        var tls: MQTTClientTLS?
        if options.usesTLS {
            tls = MQTTClientTLS(caFile: options.caFile, caPath: options.caPath, certificateFile: options.certFile,
                                keyFile: options.keyFile, skipHostnameVerification: options.insecure)
        }
        var connectProperties = options.properties[.connect] ?? []
        var sessionExpiry = options.sessionExpiry
        if let given = connectProperties.firstValue({ if case .sessionExpiryInterval(let value) = $0 { value } else { nil } }) {
            sessionExpiry = given
            connectProperties.removeAll { $0.identifier == .sessionExpiryInterval }
        }
        return MQTTClientConfiguration(
            host: options.host, port: options.effectivePort, version: options.version, clientID: options.clientID ?? "",
            cleanStart: options.cleanSession, keepAlive: options.keepAlive, sessionExpiry: sessionExpiry,
            username: options.username, password: options.password.map { Array($0.utf8) }, will: will,
            connectProperties: connectProperties, maximumInflight: options.maxInflight, tls: tls
        )
    }

    /// The sinks the flags ask for: Mosquitto's `-d` lines, mqttlab's explained `--trace`. Their lines go
    /// to standard output through `lines`, whose own thread writes them: the event loop never waits for
    /// the terminal.
    func traceSink(lines: BoundedLineWriter) -> (any ClientTraceSink)? {
        var sinks: [any ClientTraceSink] = []
        if options.debug { sinks.append(MosquittoDebugLog(configuredID: options.clientID, write: { lines.enqueue($0) })) }
        if let choice = options.trace {
            let terminal = Terminal.detect(choice: ColorChoice(rawValue: options.color ?? "auto") ?? .auto,
                                           environment: ProcessEnvironment.current)
            sinks.append(ClientTraceRenderer(mode: choice, language: language, style: Style(enabled: terminal.colors),
                                             width: terminal.width, emit: { lines.enqueue($0) }))
        }
        return ClientTraceFanOut.combining(sinks)
    }

    /// Connects; on failure prints Mosquitto's message (unless --quiet or `silently`: a reconnection
    /// attempt says nothing, as mosquitto_sub's) and returns the exit status.
    func connect(trace: (any ClientTraceSink)?, silently: Bool = false) async -> Result<MQTTClient, ClientFailure> {
        do {
            return .success(try await MQTTClient.connect(configuration(), trace: trace))
        } catch {
            return .failure(silently ? ClientFailure(status: ClientExitStatus.describe(error).status) : report(error))
        }
    }

    func report(_ error: MQTTClientError) -> ClientFailure {
        var (status, message) = ClientExitStatus.describe(error)
        if case .connectionRefused(_, let version) = error, options.tool == .pub {
            // mosquitto_pub adds libmosquitto's view of the same refusal.
            message += version.isV5 ? "\nError: A network protocol error occurred when communicating with the broker."
                : "\nError: The connection was refused."
        }
        if case .tlsExpected = error {
            // Mosquitto's line says nothing a learner can act on; this one says what happened and what to do.
            message += "\n" + LocalizedText(
                en: "mqttlab: the broker answered in TLS: this port expects TLS. Add --cafile FILE (the broker's CA "
                    + "certificate), or use its plain port (1883 by default).",
                es: "mqttlab: el broker ha respondido con TLS: este puerto espera TLS. Añade --cafile FICHERO (el "
                    + "certificado de la CA del broker), o usa su puerto sin cifrar (1883 por defecto)."
            ).text(language)
        }
        if !options.quiet { StandardStreams.error(message + "\n") }
        return ClientFailure(status: status)
    }
}

/// A client command ended with this exit status (its message is already printed).
struct ClientFailure: Error {
    var status: Int32
}
