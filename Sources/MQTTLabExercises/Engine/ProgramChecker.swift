import Foundation
import MQTTBroker
import MQTTClient
import MQTTCodec

/// `kind: program`: the student's program runs against the checker's broker while the checker plays the
/// scenario with a client of its own (`mqttlab-checker`, whose packets never count for the student).
///
/// The program learns where the broker is from `MQTT_HOST`/`MQTT_PORT` (also `MQTTLAB_HOST`/`MQTTLAB_PORT`)
/// and from `{host}`/`{port}` in its arguments.
enum ProgramChecker {
    static let checkerID = "mqttlab-checker"

    static func check(_ check: ProgramCheck, exercise: Exercise, options: ExerciseRunOptions, services: ExerciseServices) async -> CheckResult {
        let language = options.language
        guard !options.program.isEmpty else {
            return ExerciseEngine.fail(LocalizedText(
                en: "give your program after --, e.g. mqttlab exercise check \(exercise.id) -- python3 thermostat.py",
                es: "pon tu programa después de --, por ejemplo mqttlab exercise check \(exercise.id) -- python3 termostato.py"), language)
        }
        let log = ObservationLog()
        let server: BrokerServer
        do {
            server = try await CheckBroker.start(BrokerServerConfiguration(), options: options, log: log, services: services)
        } catch {
            return ExerciseEngine.error(LocalizedText(en: "cannot start the checker's broker: \(error)", es: "no se puede arrancar el broker del comprobador: \(error)"), language)
        }
        let host = options.host
        let port = server.port
        let arguments = options.program.map { $0.replacingOccurrences(of: "{host}", with: host).replacingOccurrences(of: "{port}", with: "\(port)") }
        let environment = ["MQTT_HOST": host, "MQTT_PORT": "\(port)", "MQTTLAB_HOST": host, "MQTTLAB_PORT": "\(port)"]
        let program: StudentProgram
        do {
            program = try StudentProgram(arguments: arguments, environment: environment)
        } catch {
            try? await server.shutdown()
            return ExerciseEngine.error(LocalizedText(en: "\(error)", es: "\(error)".replacingOccurrences(of: "cannot start", with: "no se puede arrancar")), language)
        }
        services.report(.status(language == .es ? "Tu programa corre (pid \(program.pid)); el comprobador juega el escenario…"
                                                : "Your program runs (pid \(program.pid)); the checker plays the scenario…"))
        let limit = options.timeout ?? check.timeout
        let failure = await play(check.scenario, log: log, host: host, port: port, options: options, deadline: ContinuousClock.now + .milliseconds(Int(limit * 1000)), program: program)
        let status = program.exitStatus
        program.stop()
        try? await server.shutdown()
        let output = program.text
        var observed = ExpectationText.summary(Watch.filtered(log.snapshot, excluding: nil), language)
        let tail = output.split(separator: "\n", omittingEmptySubsequences: false).suffix(30).joined(separator: "\n")
        observed += "\n" + (language == .es ? "--- salida de tu programa ---\n" : "--- your program's output ---\n") + (tail.isEmpty ? "(nada)" : tail)
        guard let failure else {
            return ExerciseEngine.pass(exercise, LocalizedText(en: "your program did every step of the scenario", es: "tu programa ha cumplido cada paso del escenario"),
                                       language, observed: observed)
        }
        var explanation = failure.text(language)
        if let status {
            explanation += language == .es ? "\nTu programa terminó antes de tiempo (estado \(status))." : "\nYour program ended early (status \(status))."
        }
        explanation += "\n" + observed
        return CheckResult(outcome: .failed, score: 0, explanation: explanation, observed: observed)
    }

    /// Plays the steps in order; nil when all passed, else why the first one failed.
    static func play(_ steps: [ScenarioStep], log: ObservationLog, host: String, port: Int, options: ExerciseRunOptions,
                     deadline: ContinuousClock.Instant, program: StudentProgram) async -> LocalizedText? {
        var client: MQTTClient?
        let failure = await play(steps, log: log, host: host, port: port, options: options, deadline: deadline, client: &client)
        await client?.disconnect()
        return failure
    }

    private static func play(_ steps: [ScenarioStep], log: ObservationLog, host: String, port: Int, options: ExerciseRunOptions,
                             deadline: ContinuousClock.Instant, client: inout MQTTClient?) async -> LocalizedText? {
        // An `expect` right after the checker published watches from before that publish: a fast program
        // may answer before the next step begins.
        var mark = 0
        for (number, step) in steps.enumerated() {
            let stepName = LocalizedText(en: "step \(number + 1): ", es: "paso \(number + 1): ")
            let left = (deadline - ContinuousClock.now).components
            let remaining = Double(left.seconds) + Double(left.attoseconds) / 1e18
            if remaining <= 0 {
                return LocalizedText(en: stepName.en + "the time limit ran out", es: stepName.es + "se acabó el tiempo")
            }
            switch step {
            case .sleep(let seconds):
                mark = log.count
                try? await Task.sleep(for: .milliseconds(Int(min(seconds, remaining) * 1000)))
            case .publish(let topic, let payload, let qos, let retain):
                mark = log.count
                do {
                    if client == nil {
                        client = try await MQTTClient.connect(MQTTClientConfiguration(host: host, port: port, clientID: checkerID, connectTimeout: .seconds(5)))
                    }
                    try await client?.publish(topic: topic, payload: Array(payload.utf8), qos: QoS(rawValue: UInt8(qos)) ?? .atMostOnce, retain: retain)
                } catch {
                    return LocalizedText(en: stepName.en + "the checker could not publish: \(error)", es: stepName.es + "el comprobador no pudo publicar: \(error)")
                }
            case .waitFor(let expectation, let timeout):
                let outcome = await Watch.until(expect: [expectation], forbid: [], log: log, timeout: min(timeout, remaining), from: 0, exclude: checkerID)
                mark = log.count
                if case .timedOut = outcome {
                    return LocalizedText(en: stepName.en + "waited for " + ExpectationText.describe(expectation, .en) + ", in vain",
                                         es: stepName.es + "esperaba " + ExpectationText.describe(expectation, .es) + ", y no llegó")
                }
            case .expect(let expectations, let within):
                let start = mark
                defer { mark = log.count }
                let outcome = await Watch.until(expect: expectations, forbid: [], log: log, timeout: min(within, remaining), from: start, exclude: checkerID)
                if case .timedOut(let report) = outcome {
                    let missing = zip(expectations, report.met).filter { !$0.1 }
                    return LocalizedText(
                        en: stepName.en + "expected within \(within) s: " + missing.map { ExpectationText.describe($0.0, .en) }.joined(separator: "; "),
                        es: stepName.es + "se esperaba en \(within) s: " + missing.map { ExpectationText.describe($0.0, .es) }.joined(separator: "; "))
                }
            case .expectNone(let expectations, let during):
                let start = mark
                defer { mark = log.count }
                // An expectation no log meets (no checker has that name): only the time limit ends the watch.
                let outcome = await Watch.until(expect: [Expectation(condition: .checker("(never)"))], forbid: expectations, log: log,
                                                timeout: min(during, remaining), from: start, exclude: checkerID)
                if case .forbidden(let index) = outcome {
                    return LocalizedText(en: stepName.en + "this must not happen now, and it did: " + ExpectationText.describe(expectations[index], .en),
                                         es: stepName.es + "esto no debe pasar ahora, y ha pasado: " + ExpectationText.describe(expectations[index], .es))
                }
            }
        }
        return nil
    }
}
