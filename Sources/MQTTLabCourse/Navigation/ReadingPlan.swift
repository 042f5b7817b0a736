/// What the student should read next, from the course and their saved state.
public enum ReadingPlan: Sendable {
    /// Go on with a lesson begun and not finished: the one open last.
    case resume(Course.Entry, step: Int)
    /// Start the first lesson not read yet.
    case start(Course.Entry)
    /// Every lesson is read.
    case finished
    /// The course has no lessons.
    case empty

    /// The plan: resume the lesson open last unless it is read, else the first unread lesson in order.
    public static func next(course: Course, states: [String: LessonProgress.State], lastOpened: LessonProgress.State?) -> ReadingPlan {
        guard !course.entries.isEmpty else { return .empty }
        if let last = lastOpened, !last.isRead, let entry = course.entries.first(where: { $0.id.folderName == last.lessonID }) {
            return .resume(entry, step: last.step)
        }
        guard let unread = course.entries.first(where: { states[$0.id.folderName]?.isRead != true }) else { return .finished }
        if let state = states[unread.id.folderName], state.step > 0 { return .resume(unread, step: state.step) }
        return .start(unread)
    }
}
