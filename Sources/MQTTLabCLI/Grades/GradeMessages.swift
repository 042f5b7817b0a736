import MQTTCodec

/// What `mqttlab grade` tells the teacher besides the table, in both languages.
enum GradeMessages {
    static func header(students: Int, exercises: Int, points: String) -> LocalizedText {
        LocalizedText(en: "\(students) student(s) · \(exercises) exercise(s) · \(points) points",
                      es: "\(students) estudiante(s) · \(exercises) ejercicio(s) · \(points) puntos")
    }

    static func changed(_ path: String, reason: String, included: Bool) -> LocalizedText {
        included
            ? LocalizedText(en: "! \(path): CHANGED after export (\(reason)); kept in the CSV because of --include-changed",
                            es: "! \(path): MODIFICADO tras exportarse (\(reason)); está en el CSV por --include-changed")
            : LocalizedText(en: "! \(path): CHANGED after export (\(reason)); shown marked with !, left out of the CSV files (--include-changed keeps it)",
                            es: "! \(path): MODIFICADO tras exportarse (\(reason)); se muestra marcado con !, fuera de los CSV (--include-changed lo incluye)")
    }

    static func duplicate(name: String, kept: String, dropped: [String]) -> LocalizedText {
        let others = dropped.joined(separator: ", ")
        return LocalizedText(en: "= \(name.isEmpty ? "?" : name): the same student in several files; kept the newest \(kept), ignored \(others)",
                             es: "= \(name.isEmpty ? "?" : name): el mismo estudiante en varios archivos; se usa el más reciente \(kept), se ignora \(others)")
    }

    static func unreadable(_ description: String) -> LocalizedText {
        LocalizedText(en: "✗ \(description) — skipped", es: "✗ \(description) — omitido")
    }

    static func noIdentity(_ path: String) -> LocalizedText {
        LocalizedText(en: "? \(path): the student never set a name (mqttlab student --name …)",
                      es: "? \(path): el estudiante no ha puesto su nombre (mqttlab student --name …)")
    }

    static func wrote(_ path: String, rows: Int) -> LocalizedText {
        LocalizedText(en: "Wrote \(path) (\(rows) row(s))", es: "Escrito \(path) (\(rows) fila(s))")
    }

    static let nothing = LocalizedText(en: "No student could be read.", es: "No se ha podido leer ningún estudiante.")
}
