import MQTTCodec
import MQTTLabCourse

/// The interactive reader (placeholder until the TUI layer is merged): prints the lesson whole.
struct LessonReader {
    var lesson: Lesson
    var id: LessonID
    var renderer: LessonRenderer
    var progress: LessonProgress?
    var language: Language

    func run(from step: Int) throws {
        print(renderer.renderWhole(lesson, id: id).joined(separator: "\n"))
    }
}
