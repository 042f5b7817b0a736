import MQTTCodec

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads `mqttlab pub|sub|rr` arguments the way `mosquitto_pub|sub|rr` 2.0 read theirs: one pass over
/// argv, the same flag names and values, the same checks and the same error texts, so that a script
/// written for the Mosquitto clients runs unchanged. (ArgumentParser cannot express `-D command name
/// value [value]`, whose arity depends on the property, nor Mosquitto's exit status 1 for usage errors.)
enum ClientArgumentParser {
    static func parse(_ arguments: [String], tool: ClientTool) throws(ClientUsageError) -> ClientOptions {
        var options = ClientOptions(tool: tool)
        var index = 0
        var sessionExpiryGiven = false

        func value(_ flag: String, _ what: String) throws(ClientUsageError) -> String {
            index += 1
            guard index < arguments.count else { throw ClientUsageError("\(flag) argument given but no \(what) specified.") }
            return arguments[index]
        }
        func setMessage(_ source: MessageSource) throws(ClientUsageError) {
            guard options.message == nil else { throw ClientUsageError("Only one type of message can be sent at once.") }
            options.message = source
        }
        func qos(_ text: String) throws(ClientUsageError) -> QoS {
            guard let number = Int(text), let qos = QoS(rawValue: UInt8(clamping: max(0, number))), number >= 0 else {
                throw ClientUsageError("Invalid QoS given: \(text)")
            }
            return qos
        }

        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            // Connection
            case "-h", "--host": options.host = try value(argument, "host")
            case "-p", "--port":
                let text = try value(argument, "port")
                guard let port = Int(text), (1...65535).contains(port) else { throw ClientUsageError("Invalid port given: \(text)") }
                options.port = port
            case "-V", "--protocol-version":
                switch try value(argument, "protocol version") {
                case "mqttv31", "31": options.version = .v3_1
                case "mqttv311", "311": options.version = .v3_1_1
                case "mqttv5", "5": options.version = .v5_0
                default: throw ClientUsageError("Invalid protocol version argument given.")
                }
            case "-i", "--id": options.clientID = try value(argument, "id")
            case "-I", "--id-prefix": options.clientIDPrefix = try value(argument, "id prefix")
            case "-k", "--keepalive":
                let text = try value(argument, "keepalive")
                guard let seconds = Int(text), (5...65535).contains(seconds) else {
                    throw ClientUsageError("Invalid keepalive given, it must be between 5 and 65535 inclusive.")
                }
                options.keepAlive = UInt16(seconds)
            case "-c", "--disable-clean-session": options.cleanSession = false
            case "-x", "--session-expiry-interval":
                let text = try value(argument, "session expiry interval")
                if text == "-1" || text == "∞" {
                    options.sessionExpiry = UInt32.max
                } else if let seconds = UInt32(text) {
                    options.sessionExpiry = seconds
                } else {
                    throw ClientUsageError("Invalid session-expiry-interval given.")
                }
                sessionExpiryGiven = true
            case "-u", "--username": options.username = try value(argument, "username")
            case "-P", "--pw": options.password = try value(argument, "password")
            case "-M":
                let text = try value(argument, "max inflight")
                guard let count = Int(text), count >= 1 else { throw ClientUsageError("Invalid max inflight given: \(text)") }
                options.maxInflight = count
            case "-L", "--url": try parseURL(try value(argument, "URL"), into: &options)
            case "-A": _ = try value(argument, "bind address")
            case "--nodelay": break
            // TLS
            case "--cafile": options.caFile = try value(argument, "certificate")
            case "--capath": options.caPath = try value(argument, "certificate directory")
            case "--cert": options.certFile = try value(argument, "certificate")
            case "--key": options.keyFile = try value(argument, "key")
            case "--insecure": options.insecure = true
            // Will
            case "--will-topic": options.willTopic = try value(argument, "will topic")
            case "--will-payload": options.willPayload = Array(try value(argument, "will payload").utf8)
            case "--will-qos": options.willQoS = try qos(try value(argument, "will QoS"))
            case "--will-retain": options.willRetain = true
            // 5.0 properties
            case "-D", "--property":
                guard index + 3 < arguments.count else {
                    throw ClientUsageError("--property argument given but not enough arguments specified.")
                }
                guard let command = ClientPropertyArgument.Command(rawValue: arguments[index + 1]) else {
                    throw ClientUsageError("Invalid command \(arguments[index + 1]) given in --property argument.")
                }
                let name = arguments[index + 2]
                guard let arity = ClientPropertyArgument.names[name] else {
                    throw ClientUsageError("Invalid property name \(name) given in --property argument.")
                }
                guard index + 2 + arity < arguments.count else {
                    throw ClientUsageError("--property argument given but not enough arguments specified.")
                }
                let values = Array(arguments[(index + 3)...(index + 2 + arity)])
                let property = try ClientPropertyArgument.property(name, values)
                guard ClientPropertyArgument.isAllowed(property, in: command) else {
                    throw ClientUsageError("\(name) property not allowed for \(command.rawValue) in --property argument.")
                }
                options.properties[command, default: []].append(property)
                index += 2 + arity
            // Messages
            case "-t", "--topic":
                let topic = try value(argument, "topic")
                if tool == .sub {
                    options.topics.append(topic)
                } else {
                    guard options.topics.isEmpty else { throw ClientUsageError("Duplicate topic argument given.") }
                    options.topics = [topic]
                }
            case "-q", "--qos": options.qos = try qos(try value(argument, "QoS"))
            case "-m" where tool != .sub, "--message" where tool != .sub: try setMessage(.text(Array(try value(argument, "message").utf8)))
            case "-f" where tool != .sub, "--file" where tool != .sub: try setMessage(.file(try value(argument, "file")))
            case "-l" where tool == .pub, "--stdin-line" where tool == .pub: try setMessage(.lines)
            case "-n" where tool != .sub, "--null-message" where tool != .sub: try setMessage(.empty)
            case "-s" where tool != .sub, "--stdin-file" where tool != .sub: try setMessage(.standardInput)
            case "-r" where tool == .pub, "--retain" where tool == .pub: options.retain = true
            case "--repeat" where tool == .pub:
                let text = try value(argument, "count")
                guard let count = Int(text), count >= 1 else { throw ClientUsageError("Invalid repeat count \"\(text)\".") }
                options.repeatCount = count
            case "--repeat-delay" where tool == .pub:
                let text = try value(argument, "time")
                // Finite and at most a day: `inf` or `1e300` would trap when turned into a sleep.
                guard let delay = Double(text), delay.isFinite, (0...86_400).contains(delay) else {
                    throw ClientUsageError("Invalid repeat delay \"\(text)\".")
                }
                options.repeatDelay = delay
            case "-e" where tool == .rr: options.responseTopic = try value(argument, "response topic")
            // Subscriber output
            case "-T" where tool == .sub, "--filter-out" where tool == .sub: options.filterOut.append(try value(argument, "topic filter"))
            case "-U" where tool == .sub, "--unsubscribe" where tool == .sub: options.unsubscribeTopics.append(try value(argument, "unsubscribe topic"))
            case "-v" where tool != .pub, "--verbose" where tool != .pub: options.verbose = true
            case "-C" where tool == .sub:
                let text = try value(argument, "count")
                guard let count = Int(text), count >= 1 else { throw ClientUsageError("Invalid message count \"\(text)\".") }
                options.count = count
            case "-W" where tool != .pub:
                let text = try value(argument, "timeout")
                guard let seconds = Int(text), (1...3600).contains(seconds) else {
                    throw ClientUsageError("Invalid timeout \"\(text)\".")
                }
                options.timeout = seconds
            case "-E" where tool == .sub: options.exitAfterSubscribe = true
            case "-R" where tool != .pub: options.skipRetained = true
            case "--retained-only" where tool == .sub: options.retainedOnly = true
            case "--remove-retained" where tool == .sub: options.removeRetained = true
            case "-N" where tool != .pub: options.noEOL = true
            case "-F" where tool != .pub: options.format = try value(argument, "format")
            case "--pretty" where tool != .pub: options.pretty = true
            // Diagnostics and mqttlab's own
            case "-d", "--debug": options.debug = true
            case "--quiet": options.quiet = true
            case "--help": options.help = true
            case "--trace":
                let text = try value(argument, "trace level")
                guard let choice = ClientTraceChoice(rawValue: text) else {
                    throw ClientUsageError("--trace takes summary, fields or hex, not '\(text)'.")
                }
                options.trace = choice
            case "--lang":
                let text = try value(argument, "language")
                guard Language(code: text) != nil else { throw ClientUsageError("--lang takes es or en, not '\(text)'.") }
                options.lang = text
            case "--color":
                let text = try value(argument, "color choice")
                guard ["auto", "always", "never"].contains(text) else { throw ClientUsageError("--color takes auto, always or never.") }
                options.color = text
            default:
                throw ClientUsageError("Unknown option '\(argument)'.")
            }
            index += 1
        }
        if options.help { return options }
        try check(&options, sessionExpiryGiven: sessionExpiryGiven)
        return options
    }

    /// The checks Mosquitto's clients make once every flag is read.
    private static func check(_ options: inout ClientOptions, sessionExpiryGiven: Bool) throws(ClientUsageError) {
        if let prefix = options.clientIDPrefix, options.clientID == nil {
            options.clientID = prefix + String(getpid())
        }
        if !options.cleanSession && (options.clientID ?? "").isEmpty {
            throw ClientUsageError("You must provide a client id if you are using the -c option.")
        }
        if options.version.isV5 && !sessionExpiryGiven && !options.cleanSession {
            // -c alone keeps the session forever, as Mosquitto does.
            options.sessionExpiry = UInt32.max
        }
        if options.willPayload != nil && options.willTopic == nil {
            throw ClientUsageError("Will payload given, but no will topic given.")
        }
        if options.willRetain && options.willTopic == nil {
            throw ClientUsageError("Will retain given, but no will topic given.")
        }
        if let willTopic = options.willTopic, !TopicChecks.isValidTopicName(willTopic) {
            throw ClientUsageError("Invalid will topic '\(willTopic)', does it contain '+' or '#'?")
        }
        if options.password != nil && options.username == nil {
            throw ClientUsageError("You must provide a username if you are using a password.")
        }
        if (options.certFile == nil) != (options.keyFile == nil) {
            throw ClientUsageError("Both certfile and keyfile must be provided if one of them is set.")
        }
        if (options.certFile != nil || options.insecure) && !options.usesTLS {
            throw ClientUsageError("You must provide a CA with --cafile or --capath to use TLS options.")
        }
        switch options.tool {
        case .pub:
            guard let topic = options.topics.first, options.message != nil else {
                throw ClientUsageError("Both topic and message must be supplied.")
            }
            if !TopicChecks.isValidTopicName(topic) {
                throw ClientUsageError("Invalid publish topic '\(topic)', does it contain '+' or '#'?")
            }
        case .sub:
            guard !options.topics.isEmpty else { throw ClientUsageError("You must specify a topic to subscribe to.") }
            for topic in options.topics + options.filterOut + options.unsubscribeTopics where !TopicChecks.isValidFilter(topic) {
                throw ClientUsageError("Invalid subscription topic '\(topic)', are all '+' and '#' wildcards correct?")
            }
            if options.retainedOnly && options.skipRetained {
                throw ClientUsageError("--retained-only and -R cannot be used together.")
            }
        case .rr:
            guard let topic = options.topics.first, options.message != nil, let response = options.responseTopic else {
                throw ClientUsageError("All of topic, message, and response topic must be supplied.")
            }
            if !TopicChecks.isValidTopicName(topic) {
                throw ClientUsageError("Invalid publish topic '\(topic)', does it contain '+' or '#'?")
            }
            if !TopicChecks.isValidTopicName(response) {
                throw ClientUsageError("Invalid response topic '\(response)', does it contain '+' or '#'?")
            }
            if !options.version.isV5 { throw ClientUsageError("mqttlab rr needs MQTT 5.0 (-V 5): it uses the Response Topic property.") }
        }
    }

    /// `-L mqtt(s)://[username[:password]@]host[:port]/topic`.
    private static func parseURL(_ url: String, into options: inout ClientOptions) throws(ClientUsageError) {
        var rest: Substring
        if url.hasPrefix("mqtt://") {
            rest = url.dropFirst(7)
        } else if url.hasPrefix("mqtts://") {
            rest = url.dropFirst(8)
            if options.port == nil { options.port = 8883 }
        } else {
            throw ClientUsageError("Unsupported URL scheme.")
        }
        guard let slash = rest.firstIndex(of: "/") else { throw ClientUsageError("Invalid URL for -L argument specified - topic missing.") }
        let topic = String(rest[rest.index(after: slash)...])
        rest = rest[..<slash]
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                options.username = String(credentials[..<colon])
                options.password = String(credentials[credentials.index(after: colon)...])
            } else {
                options.username = String(credentials)
            }
        }
        if let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]) {
            guard (1...65535).contains(port) else { throw ClientUsageError("Invalid port given: \(port)") }
            options.port = port
            rest = rest[..<colon]
        }
        options.host = String(rest)
        if options.tool == .sub { options.topics.append(topic) } else { options.topics = [topic] }
    }
}
