/// The contract's port rule for the lesson-commands runner: the ```run broker command gets `-p PORT`, and
/// every client command (`mqttlab pub|sub|rr`, and `mosquitto_pub|sub|rr`, which take the same flags) gets
/// `-p PORT` right after its subcommand, so a lesson written for port 1883 runs on a free port.
public enum LessonCommandPort {
    static let mqttlabClients: Set<String> = ["pub", "sub", "rr"]
    static let mosquittoClients: Set<String> = ["mosquitto_pub", "mosquitto_sub", "mosquitto_rr"]

    /// The TLS port lessons write (MQTT over TLS's conventional port).
    public static let lessonTLSPort = "8883"

    /// `inject(port:into:kind:)`, and every `8883` (as a number of its own: `-p 8883`, `--tls-port 8883`,
    /// `localhost:8883`) replaced by `tlsPort`, so a lesson with a TLS listener runs on two free ports. A
    /// client command that names 8883 gets no `-p port`: it connects to the TLS listener.
    public static func inject(port: Int, tlsPort: Int, into command: String, kind: RunBlock.Kind) -> String {
        let replaced = replacingTLSPort(in: command, with: tlsPort)
        if replaced != command && kind != .broker { return replaced }
        return inject(port: port, into: replaced, kind: kind)
    }

    static func replacingTLSPort(in command: String, with port: Int) -> String {
        let characters = Array(command)
        let target = Array(lessonTLSPort)
        var result = ""
        var index = 0
        while index < characters.count {
            let end = index + target.count
            if end <= characters.count, Array(characters[index..<end]) == target,
               index == 0 || !characters[index - 1].isNumber, end == characters.count || !characters[end].isNumber {
                result += String(port)
                index = end
            } else {
                result.append(characters[index])
                index += 1
            }
        }
        return result
    }

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
