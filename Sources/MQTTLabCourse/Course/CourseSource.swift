import Foundation

/// The files of a course, wherever they come from: the folder a teacher gives with `--course DIR`, or
/// the copy of `Lessons/` built into the binary.
public struct CourseSource: Sendable {
    public struct File: Sendable, Equatable {
        /// Relative to the course folder, with "/" ("04-wildcards/es.md").
        public var path: String
        public var text: String

        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
    }

    /// How messages name the course folder ("Lessons" for the built-in course, the folder as given).
    public var displayName: String
    /// A stable key for the student's progress: "builtin", or the folder's absolute path.
    public var key: String
    public var files: [File]

    public init(displayName: String, key: String, files: [File]) {
        self.displayName = displayName
        self.key = key
        self.files = files.sorted { $0.path < $1.path }
    }

    /// The path of `relative` as messages show it ("Lessons/04-wildcards/es.md").
    public func displayPath(_ relative: String) -> String {
        displayName.isEmpty ? relative : displayName.hasSuffix("/") ? displayName + relative : "\(displayName)/\(relative)"
    }

    /// Reads every Markdown file under `folder` (hidden files and folders are skipped).
    public static func folder(_ folder: String) throws -> CourseSource {
        let url = URL(fileURLWithPath: folder).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw CourseError.notFound(folder)
        }
        guard isDirectory.boolValue else { throw CourseError.notAFolder(folder) }
        guard let walker = FileManager.default.enumerator(
            at: url, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]
        ) else { throw CourseError.notFound(folder) }
        var files: [File] = []
        for case let file as URL in walker where file.pathExtension.lowercased() == "md" {
            guard (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let full = file.standardizedFileURL.path
            let relative = String(full.dropFirst(url.path.count).drop(while: { $0 == "/" }))
            guard let data = FileManager.default.contents(atPath: full) else {
                throw CourseError.unreadable("\(folder)/\(relative)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw CourseError.notUTF8("\(folder)/\(relative)")
            }
            files.append(File(path: relative, text: text))
        }
        let shown = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        return CourseSource(displayName: shown, key: url.resolvingSymlinksInPath().path, files: files)
    }
}

/// A course folder that cannot be read.
public enum CourseError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case notAFolder(String)
    case unreadable(String)
    case notUTF8(String)

    public var description: String {
        switch self {
        case .notFound(let path): "\(path): no such folder (a course folder holds one NN-slug folder per lesson)"
        case .notAFolder(let path): "\(path): not a folder (a course folder holds one NN-slug folder per lesson)"
        case .unreadable(let path): "\(path): cannot be read"
        case .notUTF8(let path): "\(path):1: not UTF-8 text; lessons are UTF-8 Markdown"
        }
    }
}
