import Foundation
import MQTTCodec

/// `kind: answer`: checked by the real code, never by comparing with a stored string alone.
enum AnswerChecker {
    static func check(_ check: AnswerCheck, exercise: Exercise, options: ExerciseRunOptions) -> CheckResult {
        let language = options.language
        guard let answer = options.answer?.trimmingSpaces, !answer.isEmpty else {
            return ExerciseEngine.fail(LocalizedText(en: "no answer given: pass it with --answer '…'", es: "no has dado respuesta: pásala con --answer '…'"), language)
        }
        switch check {
        case .topicFilter(let mustMatch, let mustNotMatch):
            return topicFilter(answer, mustMatch: mustMatch, mustNotMatch: mustNotMatch, exercise: exercise, language: language)
        case .field(let bytes, let version, let key):
            return field(answer, bytes: bytes, version: version, key: key, exercise: exercise, language: language)
        case .text(let accepted):
            let normalized = answer.lowercased()
            if accepted.contains(where: { $0.trimmingSpaces.lowercased() == normalized }) {
                return ExerciseEngine.pass(exercise, LocalizedText(en: "right", es: "correcto"), language, observed: answer)
            }
            return ExerciseEngine.fail(LocalizedText(en: "'\(answer)' is not right; `mqttlab exercise hint \(exercise.id)` gives a hint",
                                                     es: "'\(answer)' no es correcto; `mqttlab exercise hint \(exercise.id)` te da una pista"),
                                       language, observed: answer)
        }
    }

    /// The filter goes through the broker's own rules: the codec's syntax check (what a SUBSCRIBE of it
    /// would get) and the matcher the broker routes with, against the exercise's hidden topics.
    static func topicFilter(_ filter: String, mustMatch: [String], mustNotMatch: [String], exercise: Exercise, language: Language) -> CheckResult {
        if let (problem, _) = TopicFilter.problem(in: Array(filter.utf8), sharedSubscriptions: false) {
            return ExerciseEngine.fail(LocalizedText(
                en: "'\(filter)' is not a valid topic filter, the broker would refuse a SUBSCRIBE with it: \(problem.message.en)",
                es: "'\(filter)' no es un filtro válido, el broker rechazaría un SUBSCRIBE con él: \(problem.message.es)"), language, observed: filter)
        }
        let missed = mustMatch.filter { !TopicFilter.matches(filter: filter, topic: $0) }
        let extra = mustNotMatch.filter { TopicFilter.matches(filter: filter, topic: $0) }
        let total = mustMatch.count + mustNotMatch.count
        let right = total - missed.count - extra.count
        if missed.isEmpty && extra.isEmpty {
            return ExerciseEngine.pass(exercise, LocalizedText(
                en: "'\(filter)' receives exactly what it should: \(right) of \(total) test topics right",
                es: "'\(filter)' recibe justo lo que debe: \(right) de \(total) temas de prueba bien"), language, observed: filter)
        }
        var lines: [String] = [language == .es ? "\(right) de \(total) temas de prueba bien." : "\(right) of \(total) test topics right."]
        if let first = missed.first {
            lines.append(language == .es ? "'\(filter)' no recibiría \(first), y debe (y \(missed.count - 1) más como ese)."
                                         : "'\(filter)' would not receive \(first), and it must (and \(missed.count - 1) more like it).")
        }
        if let first = extra.first {
            lines.append(language == .es ? "'\(filter)' recibiría \(first), y no debe (y \(extra.count - 1) más como ese)."
                                         : "'\(filter)' would receive \(first), and it must not (and \(extra.count - 1) more like it).")
        }
        return CheckResult(outcome: .failed, score: 0, explanation: lines.joined(separator: " "), observed: filter)
    }

    /// The value of the field as the codec's dissection reads it; numbers may be written in decimal or 0x hex.
    static func field(_ answer: String, bytes: [UInt8], version: ProtocolVersion, key: String, exercise: Exercise, language: Language) -> CheckResult {
        let dissection = PacketDecoder.dissect(bytes, version: version)
        guard let field = dissection.allFields.first(where: { $0.key == key }) else {
            return ExerciseEngine.error(LocalizedText(en: "the exercise's bytes have no field \(key)", es: "los bytes del ejercicio no tienen el campo \(key)"), language)
        }
        let right: Bool
        switch field.value {
        case .integer(let value):
            let lowered = answer.lowercased()
            let given = lowered.hasPrefix("0x") ? UInt64(lowered.dropFirst(2), radix: 16) : UInt64(lowered)
            right = given == value
        case .string(let text):
            right = answer == text
        case .bool(let flag):
            let yes = ["1", "true", "sí", "si", "yes"], no = ["0", "false", "no"]
            right = (flag ? yes : no).contains(answer.lowercased())
        case .bytes(let raw):
            right = Hex.bytes(answer) == raw
        case .none:
            right = false
        }
        if right {
            return ExerciseEngine.pass(exercise, LocalizedText(en: "right: the dissection reads \(key) = \(answer)", es: "correcto: la disección lee \(key) = \(answer)"),
                                       language, observed: answer)
        }
        return ExerciseEngine.fail(LocalizedText(
            en: "'\(answer)' is not the value of \(key) in these bytes. Find its bytes (count from the fixed header), then read them as the field's type says.",
            es: "'\(answer)' no es el valor de \(key) en estos bytes. Busca sus bytes (cuenta desde la cabecera fija) y léelos como dice el tipo del campo."),
                                   language, observed: answer)
    }
}
