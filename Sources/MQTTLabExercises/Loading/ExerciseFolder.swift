import Foundation

extension ExerciseCatalog {
    /// Every `.yaml`/`.yml` file under `folder` (hidden files skipped), with paths relative to it.
    public static func readFolder(_ folder: String) throws(ExerciseFolderError) -> [File] {
        let url = URL(fileURLWithPath: folder).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notAFolder(folder)
        }
        guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles]) else { return [] }
        var files: [File] = []
        for case let file as URL in walker where ["yaml", "yml"].contains(file.pathExtension) {
            let relative = String(file.standardizedFileURL.path.dropFirst(url.path.count).drop(while: { $0 == "/" }))
            guard let data = FileManager.default.contents(atPath: file.path), let text = String(data: data, encoding: .utf8) else {
                throw .unreadable("\(folder)/\(relative)")
            }
            files.append(File(path: relative, text: text))
        }
        return files
    }
}

/// An exercises folder that cannot be read.
public enum ExerciseFolderError: Error, Sendable, CustomStringConvertible {
    case notAFolder(String)
    case unreadable(String)

    public var description: String {
        switch self {
        case .notAFolder(let path): "\(path): no such folder (an exercises folder holds one .yaml file per exercise)"
        case .unreadable(let path): "\(path): cannot be read as UTF-8 text"
        }
    }
}
