import Foundation
import PackagePlugin

/// Turns the package's `Lessons/` folder into one generated Swift source, so the lessons travel inside the
/// `mqttlab` binary (no resource bundle beside it that a copy of the binary would leave behind).
///
/// Every regular, non-hidden file under `Lessons/` is an input: SwiftPM re-runs `LessonEmbedder` when one of
/// them changes, and re-plans (re-running this plugin, which lists the folder again) on every build, so a new
/// lesson file is picked up without a clean build.
@main
struct EmbedLessons: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let lessons = context.package.directoryURL.appending(path: "Lessons")
        let output = context.pluginWorkDirectoryURL.appending(path: "BundledLessonFiles.swift")
        let inputs = Self.files(under: lessons)
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) files of Lessons/ into \(target.name)",
                executable: try context.tool(named: "LessonEmbedder").url,
                arguments: [lessons.path, output.path],
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }

    /// The regular files under `folder`, hidden ones (".DS_Store", editor swap files) left out.
    static func files(under folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]
        ) else { return [] }
        var found: [URL] = []
        for case let url as URL in walker {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { found.append(url) }
        }
        return found.sorted { $0.path < $1.path }
    }
}
