import Foundation

/// The course that ships inside the `mqttlab` binary: the files of the package's `Lessons/` folder, read
/// before every build by the `EmbedLessons` plugin (`BundledLessonFiles.swift` in the plugin's output folder).
public enum BundledCourse {
    /// One file of the course, by its path relative to `Lessons/` ("01-what-is-mqtt/es.md").
    public struct File: Sendable, Equatable {
        public var path: String
        /// The exact bytes of the file.
        public var bytes: [UInt8]

        public init(path: String, bytes: [UInt8]) {
            self.path = path
            self.bytes = bytes
        }

        /// As the generated source writes it: the bytes in base64 (nothing to escape, every byte kept).
        init(path: String, base64: String) {
            self.init(path: path, bytes: Data(base64Encoded: base64).map { Array($0) } ?? [])
        }

        /// The file as text; nil when it is not UTF-8.
        public var text: String? {
            String(validating: bytes, as: UTF8.self)
        }
    }

    /// Every file, sorted by path (decoded once, on first use).
    public static var files: [File] { generatedFiles }
}

/// The exercises that ship inside the binary: the files of the package's `Exercises/` folder (YAML
/// definitions and its README), embedded by the same plugin as `BundledExercises.generatedFiles`.
public enum BundledExercises {
    /// Every file, sorted by path, relative to `Exercises/`.
    public static var files: [BundledCourse.File] { generatedFiles }
}
