/// The contract's port rule for the lesson-commands runner: the ```run broker command gets `-p PORT`, and
/// every client command (`mqttlab pub|sub|rr`, and `mosquitto_pub|sub|rr`, which take the same flags) gets
/// `-p PORT` right after its subcommand, so a lesson written for port 1883 runs on a free port.
public enum LessonCommandPort {
    static let mqttlabClients: Set<String> = ["pub", "sub", "rr"]
    static let mosquittoClients: Set<String> = ["mosquitto_pub", "mosquitto_sub", "mosquitto_rr"]

    /// `command` with `-p port` added where it applies; other commands unchanged.
    public static func inject(port: Int, into command: String, kind: RunBlock.Kind) -> String {
        let words = wordEnds(command, count: 2)
        if kind == .broker { return command.trimmingTrailingSpaces() + " -p \(port)" }
        guard let first = words.first else { return command }
        let firstWord = String(command[first.start..<first.end])
        if mosquittoClients.contains(firstWord) {
            return insert(" -p \(port)", into: command, at: first.end)
        }
        if firstWord == "mqttlab", words.count == 2 {
            let second = String(command[words[1].start..<words[1].end])
            if mqttlabClients.contains(second) { return insert(" -p \(port)", into: command, at: words[1].end) }
        }
        return command
    }

    private static func insert(_ text: String, into command: String, at index: String.Index) -> String {
        String(command[..<index]) + text + String(command[index...])
    }

    /// The ranges of the first `count` whitespace-separated words.
    private static func wordEnds(_ command: String, count: Int) -> [(start: String.Index, end: String.Index)] {
        var result: [(String.Index, String.Index)] = []
        var index = command.startIndex
        while result.count < count, index < command.endIndex {
            while index < command.endIndex, command[index] == " " || command[index] == "\t" { index = command.index(after: index) }
            guard index < command.endIndex else { break }
            let start = index
            while index < command.endIndex, command[index] != " ", command[index] != "\t" { index = command.index(after: index) }
            result.append((start, index))
        }
        return result
    }
}
