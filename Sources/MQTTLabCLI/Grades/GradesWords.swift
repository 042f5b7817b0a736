import MQTTCodec
import MQTTLabCourse

/// Everything `student`, `progress` and `grade` say to people, in both languages.
enum GradesWords {
    // student
    static let noIdentity = LocalizedText(
        en: "You have not said who you are yet. Your teacher needs it to grade your exports:\n  mqttlab student --name \"Your Name\" --id YOUR-ID   (--id: the id on your teacher's list, if any)",
        es: "Aún no has dicho quién eres. Tu profesor lo necesita para calificar tus exportaciones:\n  mqttlab student --name \"Tu Nombre\" --id TU-ID   (--id: el identificador de la lista de tu profesor, si lo hay)")
    static let name = LocalizedText(en: "Name", es: "Nombre")
    static let schoolID = LocalizedText(en: "Id on the teacher's list", es: "Id en la lista del profesor")
    static let uuid = LocalizedText(en: "Student uuid", es: "uuid de estudiante")
    static let since = LocalizedText(en: "Since", es: "Desde")
    static let saved = LocalizedText(en: "Saved. This is what your teacher will see in your exports:", es: "Guardado. Esto es lo que verá tu profesor en tus exportaciones:")
    static let emptyName = LocalizedText(en: "--name cannot be empty", es: "--name no puede estar vacío")
    static let none = LocalizedText(en: "(none)", es: "(ninguno)")

    // progress
    static let lessons = LocalizedText(en: "Lessons", es: "Lecciones")
    static let exercises = LocalizedText(en: "Exercises", es: "Ejercicios")
    static let noExercises = LocalizedText(en: "(no exercises in this build yet)", es: "(esta versión aún no trae ejercicios)")
    static let read = LocalizedText(en: "read", es: "leída")
    static let stepOf = LocalizedText(en: "step", es: "paso")
    static let notStarted = LocalizedText(en: "not started", es: "sin empezar")
    static let passed = LocalizedText(en: "passed", es: "superado")
    static let failed = LocalizedText(en: "failed", es: "fallido")
    static let interrupted = LocalizedText(en: "interrupted", es: "interrumpido")
    static let points = LocalizedText(en: "points", es: "puntos")
    static let attempts = LocalizedText(en: "attempts", es: "intentos")
    static let hints = LocalizedText(en: "hints", es: "pistas")
    static let lastActivity = LocalizedText(en: "last activity", es: "última actividad")
    static let total = LocalizedText(en: "Total", es: "Total")
    static let exercisesPassed = LocalizedText(en: "exercises passed", es: "ejercicios superados")
    static let of = LocalizedText(en: "of", es: "de")
    static let next = LocalizedText(en: "Next:", es: "Siguiente:")
    static let allDone = LocalizedText(en: "Everything is read and solved. Well done!", es: "Todo leído y resuelto. ¡Bien hecho!")
    static let exported = LocalizedText(en: "Results written to", es: "Resultados escritos en")
    static let exportHint = LocalizedText(
        en: "Hand this file to your teacher. Any change to it shows when it is graded.",
        es: "Entrega este archivo a tu profesor. Cualquier cambio en él se nota al calificarlo.")
    static let askName = LocalizedText(en: "Your name, as your teacher knows it: ", es: "Tu nombre, como te conoce tu profesor: ")
    static let askID = LocalizedText(en: "Your id on the teacher's list (Enter if none): ", es: "Tu id en la lista del profesor (Intro si no hay): ")

    static func status(_ status: ExerciseStanding.Status) -> LocalizedText {
        switch status {
        case .passed: passed
        case .failed: failed
        case .interrupted: interrupted
        case .notStarted: notStarted
        }
    }
}
