import ArgumentParser
import MQTTClient
import MQTTCodec

/// `mqttlab sub`: mosquitto_sub's flags, output and exit status; `--trace` explains every packet.
struct SubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sub",
        abstract: "Subscribe and print messages, like mosquitto_sub (same flags; --trace explains each packet).",
        discussion: ClientUsage.text(.sub),
        helpNames: []
    )

    @Argument(parsing: .captureForPassthrough, help: "mosquitto_sub's flags: see mqttlab sub --help.")
    var arguments: [String] = []

    func run() throws {
        try ClientCommandRunner.run(arguments, tool: .sub) { options, connection, lines, current in
            await Subscriber(options: options, connection: connection, lines: lines, current: current).run()
        }
    }
}
