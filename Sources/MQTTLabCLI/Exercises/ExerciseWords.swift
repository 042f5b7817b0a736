import Foundation
import MQTTCodec
import MQTTLabExercises

/// The exercise commands' texts, in both languages.
enum ExerciseWords {
    static func points(_ score: Double, of total: Double) -> String {
        "\(number(score))/\(number(total))"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func kindName(_ kind: ExerciseKind, _ language: Language) -> String {
        let es = language == .es
        switch kind {
        case .answer: return es ? "respuesta" : "answer"
        case .live: return es ? "en vivo: tu cliente contra el broker del comprobador" : "live: your client against the checker's broker"
        case .program: return es ? "programa: tu programa contra el broker del comprobador" : "program: your program against the checker's broker"
        case .config: return es ? "configuración: tu fichero en un broker" : "configuration: your file in a broker"
        case .ctf: return es ? "captura la bandera" : "capture the flag"
        }
    }

    /// How to check it, as a command to copy.
    static func howToCheck(_ exercise: Exercise, _ language: Language) -> String {
        let es = language == .es
        switch exercise.kind {
        case .answer, .ctf: return "mqttlab exercise check \(exercise.id) --answer '…'"
        case .live: return "mqttlab exercise check \(exercise.id)" + (es ? "   (y luego, en otra terminal, tu cliente)" : "   (then, in another terminal, your client)")
        case .program: return "mqttlab exercise check \(exercise.id) -- " + (es ? "TU-PROGRAMA ARGS…" : "YOUR-PROGRAM ARGS…")
        case .config: return "mqttlab exercise check \(exercise.id) --file " + (es ? "FICHERO" : "FILE")
        }
    }

    static func card(_ exercise: Exercise, language: Language, style: Style, withHints: Bool = true) -> String {
        let es = language == .es
        var lines = [style.bold(exercise.title.text(language)) + style.faint("  (\(exercise.id) · \(exercise.lessonID) · \(kindName(exercise.kind, language)) · \(number(exercise.points)) " + (exercise.points == 1 ? (es ? "punto)" : "point)") : (es ? "puntos)" : "points)"))),
                     "", exercise.statement.text(language), ""]
        lines.append((es ? "Comprobar: " : "Check: ") + howToCheck(exercise, language))
        if withHints {
            lines.append((es ? "Pistas: " : "Hints: ") + "mqttlab exercise hint \(exercise.id)" + (es ? " (\(exercise.hints.count), de una en una)" : " (\(exercise.hints.count), one at a time)"))
        }
        return lines.joined(separator: "\n")
    }

    /// The prominent line that says where the checker's broker is.
    static func brokerBanner(host: String, port: Int, language: Language) -> String {
        language == .es
            ? "══ Broker del ejercicio: \(host):\(port) ══  conecta tu cliente aquí (-h \(host) -p \(port))"
            : "══ Exercise broker: \(host):\(port) ══  connect your client here (-h \(host) -p \(port))"
    }

    static func verdict(_ result: CheckResult, exercise: Exercise, recorded: Bool, language: Language, style: Style) -> String {
        let es = language == .es
        let head: String
        switch result.outcome {
        case .passed: head = style.good(es ? "✓ superado" : "✓ passed") + " (\(points(result.score, of: exercise.points)))"
        case .failed: head = style.error(es ? "✗ todavía no" : "✗ not yet") + " (\(points(result.score, of: exercise.points)))"
        case .error: head = style.error(es ? "! no se pudo comprobar" : "! could not check")
        }
        var text = head + ": " + result.explanation
        if result.outcome == .failed {
            text += "\n" + style.faint((es ? "Pista: " : "Hint: ") + "mqttlab exercise hint \(exercise.id)")
        }
        if !recorded { text += "\n" + style.faint(es ? "(no registrado)" : "(not recorded)") }
        return text
    }
}
