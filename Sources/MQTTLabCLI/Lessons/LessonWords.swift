import MQTTCodec
import MQTTLabCourse

/// The reader's own words (labels, hints, keys), in both languages.
enum LessonWords {
    static let lesson = LocalizedText(en: "Lesson", es: "Lección")
    static let step = LocalizedText(en: "step", es: "paso")
    static let steps = LocalizedText(en: "steps", es: "pasos")
    static let minutes = LocalizedText(en: "min", es: "min")
    static let output = LocalizedText(en: "output:", es: "salida:")
    static let brokerTrace = LocalizedText(en: "in the broker's trace:", es: "en la traza del broker:")
    static func backgroundOutput(_ name: String) -> LocalizedText {
        LocalizedText(en: "in the terminal running \(name):", es: "en la terminal de \(name):")
    }
    static let backgroundHint = LocalizedText(
        en: "in a second terminal: it keeps running (Ctrl-C stops it)",
        es: "en una segunda terminal: sigue en marcha (Ctrl-C lo para)")
    static let brokerHint = LocalizedText(
        en: "in its own terminal: the broker keeps running; leave it open",
        es: "en su propia terminal: el broker sigue en marcha; déjala abierta")
    static let note = LocalizedText(en: "Note", es: "Nota")
    static let tip = LocalizedText(en: "Tip", es: "Consejo")
    static let warning = LocalizedText(en: "Watch out", es: "Cuidado")
    static let trace = LocalizedText(en: "Look at the trace", es: "Mira la traza")
    static func lessonLink(_ number: Int) -> LocalizedText {
        LocalizedText(en: "mqttlab lesson \(number)", es: "mqttlab lesson \(number)")
    }
    static func exerciseLink(_ id: String) -> LocalizedText {
        LocalizedText(en: "mqttlab exercise show \(id)", es: "mqttlab exercise show \(id)")
    }

    static func calloutLabel(_ kind: Callout.Kind) -> LocalizedText {
        switch kind {
        case .note: note
        case .tip: tip
        case .warning: warning
        case .trace: trace
        }
    }
}

/// What the lesson commands say on standard error, in both languages (students read these).
enum LessonMessages {
    static func noSuchLesson(_ reference: String, course: String, known: [Int]) -> LocalizedText {
        let list = known.map(String.init).joined(separator: ", ")
        return LocalizedText(
            en: "there is no lesson '\(reference)' in \(course)" + (known.isEmpty ? " (it has no lessons)" : " (lessons: \(list); mqttlab lesson list)"),
            es: "no hay ninguna lección '\(reference)' en \(course)" + (known.isEmpty ? " (no tiene lecciones)" : " (lecciones: \(list); mqttlab lesson list)"))
    }

    static func notSaved(_ reason: String) -> LocalizedText {
        LocalizedText(
            en: "mqttlab: your place in the lessons will not be saved: \(reason)",
            es: "mqttlab: no se guardará por dónde vas en las lecciones: \(reason)")
    }

    static let cannotShow = LocalizedText(
        en: "mqttlab: this lesson cannot be shown until these are fixed (mqttlab lesson lint)",
        es: "mqttlab: esta lección no se puede mostrar hasta que se corrija lo de arriba (mqttlab lesson lint)")

    static func otherLanguage(_ number: Int, missing: Language, shown: Language) -> LocalizedText {
        LocalizedText(
            en: "mqttlab: lesson \(number) has no \(missing.rawValue).md; showing \(shown.rawValue).md",
            es: "mqttlab: la lección \(number) no tiene \(missing.rawValue).md; se muestra \(shown.rawValue).md")
    }
}
