import ArgumentParser
import Dispatch
import MQTTClient
import MQTTCodec
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What every client command does around its own work: parse the arguments Mosquitto's way, print
/// usage errors Mosquitto's way (exit 1), set up the trace output, and exit with the status the work
/// returned.
enum ClientCommandRunner {
    static func run(
        _ arguments: [String], tool: ClientTool,
        work: @escaping @Sendable (ClientOptions, ClientConnection, BoundedLineWriter, CurrentClient) async -> Int32
    ) throws {
        let options: ClientOptions
        do {
            options = try ClientArgumentParser.parse(arguments, tool: tool)
        } catch {
            StandardStreams.error("Error: \(error.message)\n\nUse '\(tool.commandName) --help' to see usage.\n")
            throw ExitCode(ClientExitStatus.failure)
        }
        if options.help {
            StandardStreams.out(ClientUsage.text(tool) + "\n")
            return
        }
        let language = Language.resolve(explicit: options.lang, environment: ProcessEnvironment.current)
        let connection = ClientConnection(options: options, language: language)
        let lines = BrokerTraceOutput.standardOutput(language: language)
        lines.start()
        let current = CurrentClient()
        // Ctrl+C and kill end the command with a DISCONNECT, as Mosquitto's clients do: the broker does
        // not publish the will (only a crash, kill -9 or a lost network does).
        let signals = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { current.interrupt() }
            source.resume()
            return source
        }
        let status = BlockingTask.run { await work(options, connection, lines, current) }
        for source in signals { source.cancel() }
        lines.finish()
        if status != ClientExitStatus.success { throw ExitCode(status) }
    }
}

/// Prints a received message. With `-d` or `--trace` the message goes through the trace's writer, so it
/// appears after the "received PUBLISH" line that brought it, as in mosquitto_sub's output.
struct MessagePrinter: Sendable {
    let lines: BoundedLineWriter
    let ordered: Bool

    func print(_ output: [UInt8]) {
        if ordered, output.last == 10, let text = String(validating: output.dropLast(), as: UTF8.self) {
            lines.enqueue(text)
        } else {
            StandardStreams.out(output)
        }
    }
}

/// The client a command is using, for a timer (`-W`) that must end it from another task.
final class CurrentClient: Sendable {
    private struct State {
        var client: MQTTClient?
        var timedOut = false
        var interrupted = false
    }

    private let state = Mutex(State())
    /// `pub -l`'s input, which Ctrl+C stops waiting for.
    let standardInput = StandardInputLines()

    var client: MQTTClient? {
        get { state.withLock { $0.client } }
        set { state.withLock { $0.client = newValue } }
    }

    var timedOut: Bool { state.withLock { $0.timedOut } }

    /// True once SIGINT or SIGTERM arrived: the command disconnects and ends with status 0.
    var interrupted: Bool { state.withLock { $0.interrupted } }

    func interrupt() {
        let client = state.withLock { state -> MQTTClient? in
            state.interrupted = true
            return state.client
        }
        standardInput.cancel()
        Task { await client?.disconnect() }
    }

    /// Starts the `-W` timer: when it fires, the client disconnects and `timedOut` becomes true.
    func startTimer(seconds: Int?) -> Task<Void, Never>? {
        guard let seconds else { return nil }
        return Task {
            try? await Task.sleep(for: .seconds(seconds))
            guard !Task.isCancelled else { return }
            let client = state.withLock { state -> MQTTClient? in
                state.timedOut = true
                return state.client
            }
            await client?.disconnect()
        }
    }
}
