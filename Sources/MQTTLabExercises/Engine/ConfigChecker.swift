import Foundation
import MQTTBroker
import MQTTClient
import MQTTCodec

/// `kind: config`: a broker runs with the student's file; each probe is a real client trying something
/// as a user, and must be allowed or refused as the exercise says.
///
/// Probes are actions (connect, subscribe, publish) by a user, made by an MQTT 5.0 client so that the
/// broker's answer says what happened: a `publish` probe is allowed when the broker accepts its QoS 1
/// PUBLISH (a PUBACK below 0x80; an ACL that denies writing answers 0x87, as Mosquitto 2.0 does).
enum ConfigChecker {
    static func check(_ check: ConfigCheck, exercise: Exercise, options: ExerciseRunOptions, services: ExerciseServices) async -> CheckResult {
        let language = options.language
        guard let load = services.brokerConfiguration else {
            return ExerciseEngine.error(LocalizedText(en: "this build cannot read broker configuration files", es: "esta versión no lee ficheros de configuración"), language)
        }
        guard let studentPath = options.studentFile ?? options.answer, FileManager.default.fileExists(atPath: studentPath) else {
            let what = switch check.studentFile {
            case .config: LocalizedText(en: "configuration file", es: "fichero de configuración")
            case .passwordFile: LocalizedText(en: "password file", es: "fichero de contraseñas")
            case .aclFile: LocalizedText(en: "ACL file", es: "fichero ACL")
            }
            return ExerciseEngine.fail(LocalizedText(
                en: "give your \(what.en) with --file FILE (it must exist): mqttlab exercise check \(exercise.id) --file FILE",
                es: "da tu \(what.es) con --file FICHERO (debe existir): mqttlab exercise check \(exercise.id) --file FICHERO"), language)
        }
        var configPath = studentPath
        var temporary: URL?
        if check.studentFile != .config {
            let absolute = URL(fileURLWithPath: studentPath).standardizedFileURL.path
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("mqttlab-check-\(UUID().uuidString).conf")
            let text = check.brokerConfig + "\n\(check.studentFile.rawValue) \(absolute)\n"
            do { try Data(text.utf8).write(to: url) } catch {
                return ExerciseEngine.error(LocalizedText(en: "cannot write \(url.path)", es: "no se puede escribir \(url.path)"), language)
            }
            configPath = url.path
            temporary = url
        }
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
        let configuration: BrokerServerConfiguration
        do {
            configuration = try load(configPath, language)
        } catch {
            return ExerciseEngine.fail(LocalizedText(en: "the broker refuses your file:\n\(error)", es: "el broker rechaza tu fichero:\n\(error)"), language,
                                       observed: "\(error)")
        }
        let log = ObservationLog()
        let server: BrokerServer
        var probeOptions = options
        probeOptions.port = 0
        do {
            server = try await CheckBroker.start(configuration, options: probeOptions, log: log, services: ExerciseServices())
        } catch {
            return ExerciseEngine.error(LocalizedText(en: "cannot start a broker with your file: \(error)", es: "no se puede arrancar un broker con tu fichero: \(error)"), language)
        }
        var lines: [String] = []
        var wrong: [String] = []
        for (index, probe) in check.probes.enumerated() {
            let actual = await run(probe, host: options.host, port: server.port, number: index)
            let line = describe(probe, language) + " → " + word(actual, language)
            if actual == probe.expect {
                lines.append("  ✓ " + line)
            } else {
                lines.append("  ✗ " + line + (language == .es ? " (debía: \(word(probe.expect, language)))" : " (should be: \(word(probe.expect, language)))"))
                wrong.append(line)
            }
        }
        try? await server.shutdown()
        let observed = lines.joined(separator: "\n")
        if wrong.isEmpty {
            return ExerciseEngine.pass(exercise, LocalizedText(en: "every probe behaves as it should:\n" + observed, es: "cada prueba se comporta como debe:\n" + observed),
                                       language, observed: observed)
        }
        return ExerciseEngine.fail(LocalizedText(en: "\(wrong.count) of \(check.probes.count) probes behave wrongly:\n" + observed,
                                                 es: "\(wrong.count) de \(check.probes.count) pruebas se comportan mal:\n" + observed),
                                   language, observed: observed)
    }

    static func run(_ probe: Probe, host: String, port: Int, number: Int) async -> Probe.Outcome {
        func configuration(_ suffix: String) -> MQTTClientConfiguration {
            MQTTClientConfiguration(host: host, port: port, version: .v5_0, clientID: "probe-\(number)-\(suffix)", username: probe.username,
                                    password: probe.password.map { Array($0.utf8) }, connectTimeout: .seconds(3))
        }
        guard let client = try? await MQTTClient.connect(configuration("a")) else { return .refused }
        let outcome: Probe.Outcome
        switch probe.action {
        case .connect:
            outcome = .allowed
        case .subscribe(let filter):
            let ack = try? await client.subscribe([Subscribe.Subscription(filter: filter, qos: .atLeastOnce)])
            outcome = ack.map { $0.reasonCodes.allSatisfy { !$0.isFailure } } == true ? .allowed : .refused
        case .publish(let topic):
            let ack = try? await client.publish(topic: topic, payload: Array("probe-\(number)".utf8), qos: .atLeastOnce)
            outcome = ack.map { !$0.reasonCode.isFailure } == true ? .allowed : .refused
        }
        await client.disconnect()
        return outcome
    }

    static func describe(_ probe: Probe, _ language: Language) -> String {
        let who = probe.username.map { (language == .es ? "usuario " : "user ") + $0 + (probe.password == nil ? (language == .es ? " sin contraseña" : " without password") : "") }
            ?? (language == .es ? "anónimo" : "anonymous")
        switch probe.action {
        case .connect: return who + (language == .es ? " conecta" : " connects")
        case .subscribe(let filter): return who + (language == .es ? " se suscribe a " : " subscribes to ") + filter
        case .publish(let topic): return who + (language == .es ? " publica en " : " publishes to ") + topic
        }
    }

    static func word(_ outcome: Probe.Outcome, _ language: Language) -> String {
        switch outcome {
        case .allowed: language == .es ? "permitido" : "allowed"
        case .refused: language == .es ? "rechazado" : "refused"
        }
    }
}
