import MQTTCodec
import MQTTLabCourse

/// The lint check that needs the renderer: a step should fit one classroom screen. In an 80x24 terminal
/// the reader shows 20 lines of a step (header and footer take 4) and scrolls the rest ("↓ more"); a step
/// taller than the whole terminal (24 lines at 80 columns) gets a warning.
enum StepFit {
    static let columns = 80
    static let lines = 24

    /// A warning for every step of every lesson that takes more than `lines` lines at `columns` columns.
    static func warnings(_ course: Course) -> [LessonDiagnostic] {
        var found: [LessonDiagnostic] = []
        for entry in course.entries {
            for language in Language.allCases {
                guard let lesson = entry.lessons[language] else { continue }
                let renderer = LessonRenderer(width: columns - 1, style: Style(enabled: false), language: language, course: course)
                for (index, step) in lesson.steps.enumerated() {
                    let height = renderer.renderStep(step).count
                    guard height > lines else { continue }
                    found.append(LessonDiagnostic(path: lesson.path, line: step.line, message:
                        "step \(index + 1) '\(step.plainTitle)' takes \(height) lines at \(columns) columns; "
                            + "more than a whole 80x24 screen (the reader shows 20 at a time): shorten or split it",
                        severity: .warning))
                }
            }
        }
        return found
    }
}
