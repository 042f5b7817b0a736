import ArgumentParser

/// `mqttlab pub`: mosquitto_pub's flags and exit status; `--trace` explains every packet.
struct PubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pub",
        abstract: "Publish messages, like mosquitto_pub (same flags; --trace explains each packet).",
        discussion: ClientUsage.text(.pub),
        helpNames: []
    )

    @Argument(parsing: .captureForPassthrough, help: "mosquitto_pub's flags: see mqttlab pub --help.")
    var arguments: [String] = []

    func run() throws {
        try ClientCommandRunner.run(arguments, tool: .pub) { options, connection, lines, current in
            await Publisher(options: options, connection: connection, lines: lines, current: current).run()
        }
    }
}
