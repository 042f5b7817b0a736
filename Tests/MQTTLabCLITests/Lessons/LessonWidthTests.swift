import MQTTCodec
import MQTTLabCourse
import XCTest
@testable import MQTTLabCLI

/// No line of any lesson is wider than the width it is laid out for, from 20 to 100 columns, with and
/// without colors: every lesson of Lessons/ and of the fixture course, in both languages.
final class LessonWidthTests: XCTestCase {
    func testEveryLessonFitsEveryWidth() throws {
        var checked = 0
        for folder in ["Lessons", "Tests/Fixtures/Course"] {
            let course = Course(source: try CourseSource.folder(InteropTools.packageRoot.appendingPathComponent(folder).path))
            for entry in course.entries {
                for language in Language.allCases {
                    guard let lesson = entry.lessons[language] else { continue }
                    for width in [20, 33, 40, 60, 80, 100] {
                        for colors in [false, true] {
                            let renderer = LessonRenderer(width: width, style: Style(enabled: colors), language: language, course: course)
                            for line in renderer.renderWhole(lesson, id: entry.id) where DisplayWidth.of(line) > width {
                                XCTFail("\(lesson.path) at \(width) columns\(colors ? " (colors)" : ""): \(DisplayWidth.of(line)) columns: \(DisplayWidth.stripped(line))")
                            }
                            checked += 1
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 2 * 2 * 6 * 2, "at least the fixture course was laid out")
    }
}
