/// The course that ships inside the `mqttlab` binary: the files of the package's `Lessons/` folder, read at
/// build time by the `EmbedLessons` plugin (see `BundledLessonFiles.swift` in the plugin's output folder).
public enum BundledCourse {
    /// One file of the course, by its path relative to `Lessons/` ("01-what-is-mqtt/es.md").
    public struct File: Sendable, Equatable {
        public var path: String
        public var text: String

        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
    }

    /// Every file, sorted by path.
    public static var files: [File] { generatedFiles }
}
