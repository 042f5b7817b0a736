import MQTTCodec

/// Runs the check of any exercise: one entry point for every kind (`mqttlab exercise check` and `try`, and
/// the tests, all come through here).
public enum ExerciseEngine {
    public static func check(_ exercise: Exercise, options: ExerciseRunOptions, services: ExerciseServices) async -> CheckResult {
        switch exercise.check {
        case .answer(let check):
            return AnswerChecker.check(check, exercise: exercise, options: options)
        case .live(let check):
            return await LiveChecker.check(check, exercise: exercise, options: options, services: services)
        case .program(let check):
            return await ProgramChecker.check(check, exercise: exercise, options: options, services: services)
        case .config(let check):
            return await ConfigChecker.check(check, exercise: exercise, options: options, services: services)
        case .ctf(let check):
            return CTFChecker.check(check, exercise: exercise, options: options, services: services)
        }
    }

    static func pass(_ exercise: Exercise, _ text: LocalizedText, _ language: Language, observed: String = "") -> CheckResult {
        CheckResult(outcome: .passed, score: exercise.points, explanation: text.text(language), observed: observed)
    }

    static func fail(_ text: LocalizedText, _ language: Language, observed: String = "") -> CheckResult {
        CheckResult(outcome: .failed, score: 0, explanation: text.text(language), observed: observed)
    }

    static func error(_ text: LocalizedText, _ language: Language, observed: String = "") -> CheckResult {
        CheckResult(outcome: .error, score: 0, explanation: text.text(language), observed: observed)
    }
}

/// `kind: ctf`: the answer against the simulated public broker's secret for the exercise's seed.
enum CTFChecker {
    static func check(_ check: CTFCheck, exercise: Exercise, options: ExerciseRunOptions, services: ExerciseServices) -> CheckResult {
        let language = options.language
        guard let provider = services.ctfSecret, let secret = provider(check.seed) else {
            return ExerciseEngine.error(LocalizedText(
                en: "this mqttlab has no simulated public broker (mqttlab broker --public-sim), so the flag cannot be checked",
                es: "este mqttlab no trae el broker público simulado (mqttlab broker --public-sim): no se puede comprobar la bandera"), language)
        }
        guard let answer = options.answer?.trimmingSpaces, !answer.isEmpty else {
            return ExerciseEngine.fail(LocalizedText(en: "no answer given: pass it with --answer", es: "no has dado respuesta: pásala con --answer"), language)
        }
        if answer == secret {
            return ExerciseEngine.pass(exercise, LocalizedText(en: "that is the secret: flag captured", es: "ese es el secreto: bandera capturada"), language)
        }
        return ExerciseEngine.fail(LocalizedText(
            en: "'\(answer)' is not the secret. Look again at what the simulated broker publishes (retained messages, $SYS, deeper topics).",
            es: "'\(answer)' no es el secreto. Mira otra vez lo que publica el broker simulado (retenidos, $SYS, temas más profundos)."), language)
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
