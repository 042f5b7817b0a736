import Foundation
import PackagePlugin

/// Turns the package's `Lessons/` and `Exercises/` folders into generated Swift sources, so the lessons travel inside the
/// `mqttlab` binary (no resource bundle beside it that a copy of the binary would leave behind).
///
/// A prebuild command, so it runs before every build: SwiftPM caches the commands of build-tool plugins
/// until the package's targets change, and a lesson added, renamed or removed would either be missed or
/// fail the build ("missing inputs"). The command is a short POSIX shell script (prebuild commands may not
/// use tools built from this package): it writes each file as base64 (exact bytes, nothing to escape) and
/// replaces the generated source only when it changed, so an unchanged course costs a few milliseconds and
/// recompiles nothing. See Docs/ARCHITECTURE.md, "Bundling the course".
@main
struct EmbedLessons: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        // One command and one output folder per source folder: (folder, generated file, type it extends).
        let folders = [("Lessons", "BundledLessonFiles", "BundledCourse"), ("Exercises", "BundledExerciseFiles", "BundledExercises")]
        return folders.map { folder, file, type in
            let source = context.package.directoryURL.appending(path: folder)
            let output = context.pluginWorkDirectoryURL.appending(path: "Generated\(folder)")
            return .prebuildCommand(
                displayName: "Embedding \(folder)/ into \(target.name)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", Self.script, "embed-course", source.path, output.path, file, type],
                outputFilesDirectory: output
            )
        }
    }

    /// `sh -c SCRIPT embed-course SOURCE OUTPUT NAME TYPE`: writes OUTPUT/NAME.swift, an extension of TYPE
    /// with `generatedFiles`, one `BundledCourse.File` per file of SOURCE.
    static let script = #"""
        set -eu
        lessons="$1"
        out="$2"
        name="$3"
        type="$4"
        mkdir -p "$out"
        tmp="$out/../$name.swift.new"
        {
            printf '// Generated from the package'"'"'s %s folder by the EmbedLessons plugin. Do not edit.\n\n' "$(basename "$lessons")"
            printf 'extension %s {\n    static let generatedFiles: [BundledCourse.File] = [\n' "$type"
            if [ -d "$lessons" ]; then
                (cd "$lessons" && find . -path '*/.*' -prune -o -type f -print | LC_ALL=C sort) | while IFS= read -r file; do
                    path=$(printf '%s' "${file#./}" | sed 's/\\/\\\\/g; s/"/\\"/g')
                    printf '        BundledCourse.File(path: "%s", base64: "%s"),\n' "$path" "$(base64 < "$lessons/$file" | tr -d '\n')"
                done
            fi
            printf '    ]\n}\n'
        } > "$tmp"
        if cmp -s "$tmp" "$out/$name.swift"; then rm -f "$tmp"; else mv "$tmp" "$out/$name.swift"; fi
        """#
}
