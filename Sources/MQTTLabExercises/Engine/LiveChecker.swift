import MQTTBroker
import MQTTCodec

/// `kind: live`: a broker for the student's own client; passes as soon as the traffic meets every
/// expectation, fails at once on a forbidden one, and at the time limit says what was seen and what is missing.
enum LiveChecker {
    static func check(_ check: LiveCheck, exercise: Exercise, options: ExerciseRunOptions, services: ExerciseServices) async -> CheckResult {
        let language = options.language
        let log = ObservationLog()
        let server: BrokerServer
        do {
            server = try await CheckBroker.start(BrokerServerConfiguration(), options: options, log: log, services: services)
        } catch {
            return ExerciseEngine.error(LocalizedText(en: "cannot start the checker's broker: \(error)", es: "no se puede arrancar el broker del comprobador: \(error)"), language)
        }
        let timeout = options.timeout ?? check.timeout
        services.report(.status(language == .es
            ? "Esperando tu tráfico (hasta \(Int(timeout)) s): " + check.expect.map { ExpectationText.describe($0, language) }.joined(separator: "; ")
            : "Waiting for your traffic (up to \(Int(timeout)) s): " + check.expect.map { ExpectationText.describe($0, language) }.joined(separator: "; ")))
        let outcome = await Watch.until(expect: check.expect, forbid: check.forbid, log: log, timeout: timeout, from: 0)
        try? await server.shutdown()
        let seen = ExpectationText.summary(log.snapshot, language)
        return Watch.result(outcome, expect: check.expect, forbid: check.forbid, exercise: exercise, language: language, observed: seen)
    }
}

/// Polls the log until expectations are met, a forbidden thing happens, or time runs out.
enum Watch {
    enum Outcome {
        case met
        case forbidden(Int)
        case timedOut(ExpectationReport)
    }

    static func until(expect: [Expectation], forbid: [Expectation], log: ObservationLog, timeout: Double, from start: Int,
                      exclude: String? = nil) async -> Outcome {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while true {
            let snapshot = filtered(log.snapshot, excluding: exclude)
            for (index, rule) in forbid.enumerated() where !ExpectationMatcher.matches(rule.condition, in: snapshot, from: start).isEmpty {
                return .forbidden(index)
            }
            let report = ExpectationReport.evaluate(expect, log: snapshot, from: start)
            if report.allMet { return .met }
            if ContinuousClock.now >= deadline { return .timedOut(report) }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The log without the packets of the checker's own client.
    static func filtered(_ log: [Observation], excluding client: String?) -> [Observation] {
        guard let client else { return log }
        return log.filter { observation in
            if case .packet(let record) = observation.item { return record.clientID != client }
            return true
        }
    }

    static func result(_ outcome: Outcome, expect: [Expectation], forbid: [Expectation], exercise: Exercise, language: Language,
                       observed: String) -> CheckResult {
        switch outcome {
        case .met:
            return ExerciseEngine.pass(exercise, LocalizedText(
                en: "every condition met: " + expect.map { ExpectationText.describe($0, .en) }.joined(separator: "; "),
                es: "se cumplen todas las condiciones: " + expect.map { ExpectationText.describe($0, .es) }.joined(separator: "; ")),
                                       language, observed: observed)
        case .forbidden(let index):
            let what = ExpectationText.describe(forbid[index], language)
            return ExerciseEngine.fail(LocalizedText(en: "this must not happen, and it did: \(what)", es: "esto no debe pasar, y ha pasado: \(what)"),
                                       language, observed: observed)
        case .timedOut(let report):
            let missing = zip(expect, report.met).filter { !$0.1 }.map { "  ✗ " + ExpectationText.describe($0.0, language) }
            let done = zip(expect, report.met).filter { $0.1 }.map { "  ✓ " + ExpectationText.describe($0.0, language) }
            let header = language == .es ? "Se acabó el tiempo. Falta:" : "Time is up. Missing:"
            let doneHeader = language == .es ? "Conseguido:" : "Met:"
            var lines = [header] + missing
            if !done.isEmpty { lines += [doneHeader] + done }
            lines += [language == .es ? "Visto:" : "Seen:", observed.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")]
            return CheckResult(outcome: .failed, score: 0, explanation: lines.joined(separator: "\n"), observed: observed)
        }
    }
}
