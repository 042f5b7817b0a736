import Foundation

extension BrokerConfigFile {
    /// Reads and parses a configuration file. A missing, unreadable or non-text file is one error with no
    /// line number; otherwise the result is `parse(text:path:)`'s.
    public static func load(path: String) -> Result<BrokerConfigFile, BrokerConfigErrors> {
        func failure(_ kind: BrokerConfigError.Kind) -> Result<BrokerConfigFile, BrokerConfigErrors> {
            .failure(BrokerConfigErrors([BrokerConfigError(path: path, line: nil, kind: kind)]))
        }
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else { return failure(.fileNotFound) }
        if isDirectory.boolValue { return failure(.isDirectory) }
        guard files.isReadableFile(atPath: path) else { return failure(.permissionDenied) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            return failure(.unreadable(reason: String(describing: error)))
        }
        guard let text = String(data: data, encoding: .utf8) else { return failure(.notText) }
        return parse(text: text, path: path)
    }
}
