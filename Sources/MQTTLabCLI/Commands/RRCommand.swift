import ArgumentParser

/// `mqttlab rr`: request/response like mosquitto_rr (MQTT 5.0 Response Topic and Correlation Data).
struct RRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rr",
        abstract: "Send a request and print the response, like mosquitto_rr (MQTT 5.0).",
        discussion: ClientUsage.text(.rr),
        helpNames: []
    )

    @Argument(parsing: .captureForPassthrough, help: "mosquitto_rr's flags: see mqttlab rr --help.")
    var arguments: [String] = []

    func run() throws {
        try ClientCommandRunner.run(arguments, tool: .rr) { options, connection, lines, current in
            await Requester(options: options, connection: connection, lines: lines, current: current).run()
        }
    }
}
