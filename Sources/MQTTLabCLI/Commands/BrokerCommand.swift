import ArgumentParser
import Dispatch
import Foundation
import MQTTBroker
import MQTTBrokerCore
import MQTTBrokerStore
import MQTTCodec

/// `mqttlab broker`: a teaching MQTT broker that shows every packet it receives and sends.
struct BrokerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run an MQTT 3.1.1 and 5.0 broker that shows every packet, explained.",
        discussion: """
            Start it in one terminal, then connect any MQTT client from others:

              mqttlab broker                               127.0.0.1:1883, line per packet
              mosquitto_sub -p 1883 -t '#' -v              (2nd terminal) every message
              mosquitto_pub -p 1883 -t Casa -m 22.5        (3rd terminal) publish one
              mqttlab broker -p 0                          a free port, named on line 1
              mqttlab broker --trace fields                every field of every packet
              mqttlab broker --trace hex --lang es         the bytes too, in Spanish
              mqttlab broker --refuse-subscribe 'Casa/#'   see a SUBACK refusal (0x80)
              mqttlab broker --max-queued-messages 2       see an offline queue overflow
              mqttlab broker --store clase.db              sessions and messages survive
                                                           a restart (or a crash)
              mqttlab broker --trace-json t.jsonl          every packet and event as JSON
              mqttlab broker --pcap clase.pcap             traffic for Wireshark/tshark
              mqttlab broker --password-file pw.txt        only users of pw.txt (made
                --allow-anonymous false                    with mqttlab passwd) connect
              mqttlab broker --acl-file acl.txt            who may read and write what
                                                           (Mosquitto's acl_file syntax)
              mqttlab broker --public-sim --seed 7         strangers, a secret and a
                                                           prankster, as on a public broker
              mqttlab broker --tls-port 8883               MQTT over TLS too, with the
                --certfile certs/server.crt                files of mqttlab certs init
                --keyfile certs/server.key                 certs (see TLS below)
              mqttlab broker --sniff                       also the bytes as an
                                                           eavesdropper sees them

            The first line always says where the broker listens, e.g.
              mqttlab broker 0.1 · MQTT 3.1.1 and 5.0 · listening on
              127.0.0.1:1883 · trace: summary
            Copy the bytes of a packet from --trace hex into `mqttlab decode` to
            study it on its own. Passwords show as •••• unless --show-secrets.

            Ctrl-C (or SIGTERM) stops the broker: 5.0 clients get a DISCONNECT
            0x8B (Server shutting down) and every connection is closed.
            --bind 0.0.0.0 lets other machines of the classroom connect; the
            default, 127.0.0.1, only this one.

            -c FILE reads Mosquitto's configuration syntax (listener,
            max_queued_messages, max_inflight_messages, max_packet_size,
            max_keepalive, max_connections, sys_interval, retain_available,
            password_file, allow_anonymous, acl_file, refuse_subscribe, …); an unknown or unsupported key is an error
            naming the file and line. Subscribe to '$SYS/#' for statistics.

            Exit status: 0 stopped by Ctrl-C or SIGTERM; 64 the command line is
            wrong; 78 the configuration, password, ACL or TLS file is wrong; 73 the
            --store file cannot be opened; 69 the broker cannot listen (the
            port is taken, e.g. by another broker: pick another with -p; or
            the address is not this machine's).
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("Read settings from a file in Mosquitto's configuration syntax; flags given too override it.", valueName: "file"))
    var config: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("TCP port to listen on; 0 picks a free one. Default 1883.", valueName: "port"))
    var port: Int?

    @Option(name: .long, help: ArgumentHelp("Address to listen on (0.0.0.0: every network of this machine). Default 127.0.0.1.", valueName: "address"))
    var bind: String?

    @Option(name: .long, help: ArgumentHelp(
        "Keep sessions, subscriptions, queued and in-flight messages and retained messages in this SQLite file, across restarts and crashes.",
        valueName: "file"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("What to show of each packet: off, summary, fields or hex.", valueName: "view"))
    var trace: BrokerTraceMode = .summary

    @Option(name: .long, help: ArgumentHelp(
        "Also write every packet and event as JSON Lines to this file, for tools and checkers (independent of --trace).",
        valueName: "file"))
    var traceJson: String?

    @Option(name: .long, help: ArgumentHelp("Record the broker's traffic in this pcap file, for Wireshark or tshark.", valueName: "file"))
    var pcap: String?

    @Option(name: .long, help: ArgumentHelp(
        "Users and hashed passwords (made with mqttlab passwd or mosquitto_passwd): a client with a user name must give its password.",
        valueName: "file"))
    var passwordFile: String?

    @Option(name: .long, help: ArgumentHelp(
        "Whether clients without a user name may connect: true or false. Default true (with -c: the file's allow_anonymous, as in Mosquitto).",
        valueName: "true|false"))
    var allowAnonymous: Bool?

    @Option(name: .long, help: ArgumentHelp(
        "Who may read and write which topics, in Mosquitto's acl_file syntax (user, topic, pattern with %c and %u).",
        valueName: "file"))
    var aclFile: String?

    @Flag(name: .long, help: "Show passwords in the trace instead of ••••.")
    var showSecrets = false

    @OptionGroup(title: "TLS (MQTT over TLS, port 8883 by convention)") var tls: BrokerTLSOptions

    @Flag(name: .long, help: "Also show every connection's bytes as a network eavesdropper sees them (mqttlab sniff shows only that).")
    var sniff = false

    @Option(name: .long, help: ArgumentHelp("Messages kept per offline session (0: no limit). Default 1000.", valueName: "n"))
    var maxQueuedMessages: Int?

    @Option(name: .long, help: ArgumentHelp("QoS 1/2 messages in flight per client, not yet acknowledged. Default 20.", valueName: "n"))
    var maxInflightMessages: Int?

    @Option(name: .long, help: ArgumentHelp("Largest packet accepted, in bytes (0: the protocol's limit, 256 MB).", valueName: "bytes"))
    var maxPacketSize: Int?

    @Option(name: .long, help: ArgumentHelp("Longest keep alive a 5.0 client may ask for, in seconds.", valueName: "seconds"))
    var maxKeepalive: Int?

    @Option(name: .long, help: ArgumentHelp("Open connections allowed at once (0: no limit).", valueName: "n"))
    var maxConnections: Int?

    @Option(name: .long, help: ArgumentHelp("Seconds between $SYS/broker/... statistics (0: none). Default 10.", valueName: "seconds"))
    var sysInterval: Int?

    @Option(name: .long, help: ArgumentHelp("Refuse subscriptions to this filter with SUBACK 0x80 (repeatable).", valueName: "filter"))
    var refuseSubscribe: [String] = []

    @Flag(name: .long, help: "Play a public broker: strangers' homes publish, one leaves a secret, a prankster watches '#' (Docs/PUBLIC-SIM.md).")
    var publicSim = false

    @Option(name: .long, help: ArgumentHelp("With --public-sim: the same seed gives the same strangers, messages and secret. Default 1.", valueName: "n"))
    var seed: UInt64?

    @Option(name: .long, help: ArgumentHelp("With --public-sim: seconds between two strangers' messages. Default 2.", valueName: "seconds"))
    var simInterval: Double?

    @OptionGroup var output: OutputOptions

    static let version = "0.1"

    func validate() throws {
        if let port, !(0...65_535).contains(port) { throw ValidationError("-p takes a port from 0 to 65535, not \(port)") }
        if let sysInterval, !(0...65_535).contains(sysInterval) { throw ValidationError("--sys-interval takes 0 to 65535 seconds") }
        for (name, value) in [("--max-queued-messages", maxQueuedMessages), ("--max-inflight-messages", maxInflightMessages),
                              ("--max-packet-size", maxPacketSize), ("--max-keepalive", maxKeepalive), ("--max-connections", maxConnections)] {
            if let value, value < 0 { throw ValidationError("\(name) takes 0 or more, not \(value)") }
        }
        if let maxInflightMessages, maxInflightMessages == 0 {
            throw ValidationError("--max-inflight-messages takes 1 or more: with 0 no QoS 1/2 message could be sent")
        }
        if !publicSim && (seed != nil || simInterval != nil) {
            throw ValidationError("--seed and --sim-interval go with --public-sim")
        }
        if let simInterval, !(0.01...3600).contains(simInterval) {
            throw ValidationError("--sim-interval takes 0.01 to 3600 seconds, not \(simInterval)")
        }
        if let maxKeepalive, maxKeepalive > 65_535 { throw ValidationError("--max-keepalive takes at most 65535 seconds") }
        if let maxPacketSize, maxPacketSize > 268_435_460 { throw ValidationError("--max-packet-size takes at most 268435460 bytes") }
        if let maxPacketSize, maxPacketSize > 0 && maxPacketSize < 16 {
            throw ValidationError("--max-packet-size below 16 bytes would refuse even a CONNECT")
        }
        for filter in refuseSubscribe {
            if let (problem, _) = TopicFilter.problem(in: Array(filter.utf8), sharedSubscriptions: true) {
                throw ValidationError("--refuse-subscribe '\(filter)' is not a valid topic filter: \(problem.message.en)")
            }
        }
    }

    /// The settings: the configuration file (if any) as the base, then every flag given on top.
    func serverConfiguration(file: BrokerConfigFile?) -> BrokerServerConfiguration {
        var engine = file?.configuration ?? BrokerConfiguration()
        if let file {
            engine.sysInterval = file.sysInterval
            engine.messageSizeLimit = file.messageSizeLimit
            engine.persistentClientExpiration = file.persistentClientExpiration.map { UInt32(clamping: $0) }
        }
        if let maxQueuedMessages { engine.maxQueuedMessages = maxQueuedMessages }
        if let maxInflightMessages { engine.maxInflightMessages = maxInflightMessages }
        if let maxPacketSize { engine.maxPacketSize = maxPacketSize }
        if let maxKeepalive { engine.maxKeepAlive = UInt16(maxKeepalive) }
        if let sysInterval { engine.sysInterval = sysInterval }
        engine.refusedFilters += refuseSubscribe.filter { !engine.refusedFilters.contains($0) }
        // -p and --bind set the first listener; the file's other listeners open as written.
        let listeners = file?.listeners ?? []
        let first = listeners.first
        var configuration = BrokerServerConfiguration(
            host: bind ?? first?.address ?? "127.0.0.1", port: port ?? first?.port ?? 1883, engine: engine,
            maxConnections: maxConnections ?? file?.maxConnections ?? 0)
        configuration.listeners[0].tls = first?.tls?.listenerTLS
        for listener in listeners.dropFirst() {
            configuration.listeners.append(BrokerListenerAddress(host: listener.address ?? "127.0.0.1", port: listener.port,
                                                                 tls: listener.tls?.listenerTLS))
        }
        if let tlsListener = tls.listener(host: bind ?? first?.address ?? "127.0.0.1") {
            configuration.listeners.append(tlsListener)
        }
        configuration.sniff = sniff
        return configuration
    }

    /// Reads `-c FILE`. Settings the broker cannot honour yet are refused here, with the file and line,
    /// rather than silently ignored.
    func loadConfigFile(language: Language) throws -> BrokerConfigFile? {
        guard let config else { return nil }
        let file: BrokerConfigFile
        switch BrokerConfigFile.load(path: config) {
        case .success(let loaded): file = loaded
        case .failure(let errors):
            FileHandle.standardError.write(Data((errors.text(language) + "\n").utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        return file
    }

    func run() throws {
        let language = output.language
        let terminal = output.terminal
        let file = try loadConfigFile(language: language)
        var serverConfiguration = serverConfiguration(file: file)
        let aclWarnings: [String]
        do {
            aclWarnings = try applySecurity(file: file, to: &serverConfiguration, language: language)
        } catch {
            FileHandle.standardError.write(Data((error.message + "\n").utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        // --store, or Mosquitto's `persistence true` (in persistence_location, like mosquitto.db).
        let storePath = store ?? file.flatMap { $0.persistence ? (($0.persistenceLocation ?? ".") + "/mqttlab.db") : nil }
        var brokerStore: BrokerStore?
        if let storePath {
            do {
                let opened = try BrokerStore(path: storePath)
                let kept = try opened.load()
                serverConfiguration.store = opened
                serverConfiguration.restoredSessions = kept.sessions
                serverConfiguration.restoredRetained = kept.retained
                brokerStore = opened
            } catch {
                // The store's errors already name the file and say what to do.
                FileHandle.standardError.write(Data("mqttlab broker: \(error)\n".utf8))
                throw ExitCode(73)  // EX_CANTCREAT
            }
        }
        let style = Style(enabled: terminal.colors)
        let lines = BrokerTraceOutput.standardOutput(language: language)
        var sinks: [any BrokerTraceSink] = []
        if trace != .off {
            sinks.append(BrokerTraceRenderer(
                mode: trace, language: language, style: style, width: terminal.width, showSecrets: showSecrets,
                emit: { lines.enqueue($0) }))
        }
        var jsonLines: BoundedLineWriter?
        if let traceJson {
            do {
                let output = try BrokerTraceJSONOutput.open(path: traceJson)
                sinks.append(BrokerTraceJSONRenderer(language: language, showSecrets: showSecrets, emit: { output.enqueue($0) }))
                jsonLines = output
            } catch {
                FileHandle.standardError.write(Data("mqttlab broker: \(error)\n".utf8))
                throw ExitCode(73)  // EX_CANTCREAT
            }
        }
        if let pcap {
            do {
                serverConfiguration.pcap = try BrokerPacketCapture(path: pcap) { problem in
                    FileHandle.standardError.write(Data("mqttlab broker: writing \(pcap) failed (\(problem)); recording stopped\n".utf8))
                }
            } catch {
                jsonLines?.finish()
                FileHandle.standardError.write(Data("mqttlab broker: \(error)\n".utf8))
                throw ExitCode(73)
            }
        }
        if sniff {
            sinks.append(SniffRenderer(language: language, style: style, showSecrets: showSecrets, emit: { lines.enqueue($0) }))
        }
        // No sink at all when neither trace is on: the broker then builds no record.
        let sink = BrokerTraceFanOut.combining(sinks)

        // Signals are caught before the broker starts, so an early Ctrl-C still stops it cleanly.
        let stop = DispatchSemaphore(value: 0)
        let signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }

        let server: BrokerServer
        do {
            server = try BrokerServer.startBlocking(configuration: serverConfiguration, traceSink: sink)
        } catch let error as BrokerServerError {
            FileHandle.standardError.write(Data(("mqttlab broker: " + Self.startError(error, language: language) + "\n").utf8))
            throw ExitCode(69)
        } catch let error as BrokerTLSError {
            jsonLines?.finish()
            FileHandle.standardError.write(Data(("mqttlab broker: " + Self.tlsError(error, language: language, config: config, file: file) + "\n").utf8))
            throw ExitCode(78)  // EX_CONFIG
        }

        let addresses = zip(server.addressTexts, serverConfiguration.listeners).map { $0 + ($1.tls == nil ? "" : " (TLS)") }
        var opening = Self.banner(addresses: addresses, trace: trace, language: language) + "\n"
        if trace != .off {
            let host = server.localAddress.ipAddress ?? serverConfiguration.host
            opening += style.faint(language == .es
                ? "Prueba: mosquitto_sub -h \(host) -p \(server.port) -t '#' -v   ·   Ctrl-C para el broker"
                : "Try: mosquitto_sub -h \(host) -p \(server.port) -t '#' -v   ·   Ctrl-C stops the broker") + "\n\n"
        }
        for note in file?.notes ?? [] { opening += style.faint("· " + note.text(language)) + "\n" }
        for warning in aclWarnings { opening += style.faint("· " + warning) + "\n" }
        for warning in Self.tlsWarnings(serverConfiguration.listeners, language: language, now: Int(Date().timeIntervalSince1970)) {
            opening += style.error("⚠ " + warning) + "\n"
        }
        if let storePath {
            let sessions = serverConfiguration.restoredSessions.count
            let retained = serverConfiguration.restoredRetained.count
            opening += style.faint(language == .es
                ? "· almacén \(storePath): \(sessions) sesiones persistentes y \(retained) mensajes retenidos recuperados"
                : "· store \(storePath): \(sessions) persistent sessions and \(retained) retained messages restored") + "\n"
        }
        var simulation: PublicSimRun?
        if publicSim {
            let seed = seed ?? 1
            opening += style.faint(language == .es
                ? "· broker público simulado (semilla \(seed)): llegan desconocidos; suscríbete a '#' para verlos"
                : "· simulated public broker (seed \(seed)): strangers arrive; subscribe to '#' to see them") + "\n"
            simulation = PublicSimRun(seed: seed, host: Self.simulationHost(server.localAddress.ipAddress), port: server.port,
                                      interval: .milliseconds(Int((simInterval ?? 2) * 1000)), language: language)
        }
        BrokerTraceOutput.writeToStandardOutput(opening)
        lines.start()
        jsonLines?.start()

        stop.wait()
        simulation?.stop()
        try server.shutdownBlocking()
        try? brokerStore?.close()
        try? serverConfiguration.pcap?.closeBlocking()
        jsonLines?.finish()
        lines.finish()
        if trace != .off {
            BrokerTraceOutput.writeToStandardOutput(language == .es ? "broker detenido\n" : "broker stopped\n")
        }
    }

    /// The first line, always printed and flushed at once: tools read the real port from it.
    /// Several listeners are listed with commas ("127.0.0.1:1883, 127.0.0.1:1884"): the first is the one
    /// `-p` and `--bind` set.
    static func banner(addresses: [String], trace: BrokerTraceMode, language: Language) -> String {
        let address = addresses.joined(separator: ", ")
        switch language {
        case .en: return "mqttlab broker \(version) · MQTT 3.1.1 and 5.0 · listening on \(address) · trace: \(trace.rawValue)"
        case .es: return "mqttlab broker \(version) · MQTT 3.1.1 y 5.0 · escuchando en \(address) · traza: \(trace.rawValue)"
        }
    }

    static func startError(_ error: BrokerServerError, language: Language) -> String {
        switch error {
        case .addressInUse(let host, let port):
            language == .es
                ? "el puerto \(port) de \(host) ya está en uso (¿otro broker, como mosquitto?). Elige otro con -p, por ejemplo -p 1884, o -p 0 para uno libre."
                : "port \(port) on \(host) is already in use (another broker, like mosquitto?). Pick another with -p, e.g. -p 1884, or -p 0 for a free one."
        case .cannotResolve(let host, _, let reason):
            language == .es
                ? "no se puede escuchar en la dirección \(host) (\(reason)). Prueba --bind 127.0.0.1 o --bind 0.0.0.0."
                : "cannot listen on address \(host) (\(reason)). Try --bind 127.0.0.1 or --bind 0.0.0.0."
        case .cannotListen(let host, let port, let reason):
            language == .es
                ? "no se puede escuchar en \(host):\(port) (\(reason)). Los puertos por debajo de 1024 piden permisos: prueba -p 1883."
                : "cannot listen on \(host):\(port) (\(reason)). Ports below 1024 need privileges: try -p 1883."
        case .alreadyShutDown:
            error.description
        }
    }
}

extension BrokerTraceMode: ExpressibleByArgument {}
