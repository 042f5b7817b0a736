import MQTTCodec
import MQTTLabCourse

/// The list of lessons with the student's marks: ✓ read, ▸ the one to go on with; and what to type next.
struct CourseMap {
    var course: Course
    var states: [String: LessonProgress.State]
    var plan: ReadingPlan
    var language: Language
    var style: Style
    var width: Int

    /// One line per lesson: mark, number, title, and the summary or the step reached, cut to the width.
    func lessonLines() -> [String] {
        let titles = course.entries.map { title(of: $0) }
        let titleWidth = min(max(titles.map(TextLayout.width).max() ?? 0, 10), max(width / 2 - 8, 16))
        var lines: [String] = []
        for (entry, title) in zip(course.entries, titles) {
            let state = states[entry.id.folderName]
            let isNext = nextID == entry.id
            let mark = state?.isRead == true ? style.good("✓") : isNext ? style.bold("▸") : " "
            var detail: String
            if let state, !state.isRead, state.step > 0 {
                detail = "\(Words.stepReached.text(language)) \(state.step + 1)/\(state.stepCount)"
            } else {
                detail = entry.lesson(preferring: language)?.summary ?? Words.hasErrors.text(language)
            }
            let shownTitle = TextLayout.pad(cut(title, to: titleWidth), to: titleWidth)
            let used = 2 + 2 + 3 + titleWidth + 2
            detail = cut(detail, to: max(0, width - used))
            let number = TextLayout.pad(String(format2(entry.id.number)), to: 3)
            let line = "  \(mark) \(number)\(isNext ? style.bold(shownTitle) : shownTitle)  \(style.faint(detail))"
            lines.append(line.trimmingTrailingWhitespace())
        }
        return lines
    }

    /// "Next: mqttlab lesson next → Lesson 2 · Connecting, step 3/9", or what to do when there is no next.
    func nextLines() -> [String] {
        switch plan {
        case .resume(let entry, let step):
            let count = entry.lesson(preferring: language)?.steps.count ?? 0
            return [Words.goOn.text(language) + "  " + style.good("mqttlab lesson next")
                    + style.faint("  → \(LessonWords.lesson.text(language)) \(entry.id.number) · \(title(of: entry)), \(LessonWords.step.text(language)) \(step + 1)/\(count)")]
        case .start(let entry):
            return [Words.start.text(language) + "  " + style.good("mqttlab lesson next")
                    + style.faint("  → \(LessonWords.lesson.text(language)) \(entry.id.number) · \(title(of: entry))")]
        case .finished:
            return [Words.finished.text(language)]
        case .empty:
            return [Words.empty.text(language)]
        }
    }

    private var nextID: LessonID? {
        switch plan {
        case .resume(let entry, _), .start(let entry): entry.id
        case .finished, .empty: nil
        }
    }

    private func title(of entry: Course.Entry) -> String {
        entry.lesson(preferring: language)?.title ?? entry.id.slug
    }

    private func cut(_ text: String, to columns: Int) -> String {
        guard TextLayout.width(text) > columns else { return text }
        guard columns > 1 else { return "" }
        var result = ""
        for character in text {
            if TextLayout.width(result) + TextLayout.width(of: character) > columns - 1 { break }
            result.append(character)
        }
        return result + "…"
    }

    private func format2(_ number: Int) -> String { number < 10 ? " \(number)" : "\(number)" }

    enum Words {
        static let stepReached = LocalizedText(en: "reached step", es: "vas por el paso")
        static let hasErrors = LocalizedText(en: "(this lesson has errors: mqttlab lesson lint)", es: "(esta lección tiene errores: mqttlab lesson lint)")
        static let goOn = LocalizedText(en: "Go on:", es: "Sigue:")
        static let start = LocalizedText(en: "Start:", es: "Empieza:")
        static let finished = LocalizedText(
            en: "You have read every lesson. Open any again with mqttlab lesson N.",
            es: "Has leído todas las lecciones. Vuelve a cualquiera con mqttlab lesson N.")
        static let empty = LocalizedText(
            en: "This build has no lessons yet. A teacher's course: mqttlab lesson list --course DIR.",
            es: "Esta versión aún no trae lecciones. El curso de un profesor: mqttlab lesson list --course DIR.")
    }
}
