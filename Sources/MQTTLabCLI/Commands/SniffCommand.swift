import ArgumentParser
import Foundation

/// `mqttlab sniff`: the teaching broker showing only the eavesdropper's view of its own listeners.
///
/// Why a broker and not a separate capture program: the view must show the bytes *before* TLS decrypts
/// them, which exist only inside the broker's connection pipeline (a handler in front of the TLS handler).
/// A packet capture of other machines' traffic needs privileges and is not what the lab teaches. So
/// `sniff` is `mqttlab broker --sniff --trace off` and takes every broker flag; `broker --sniff` shows both
/// views interleaved.
struct SniffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sniff",
        abstract: "Run the broker showing each connection's bytes as an eavesdropper on the network sees them.",
        discussion: usage,
        helpNames: []
    )

    static let usage = """
        mqttlab sniff is mqttlab broker --sniff --trace off: a broker that prints, for every
        socket read and write, the bytes exactly as they cross the network. Try it:

          mqttlab sniff --show-secrets                  port 1883, passwords shown on purpose
          mqttlab pub -u ana -P s3cret -t casa/luz -m ON     (2nd terminal)
              → the CONNECT's bytes, with user name and password readable in clear

          mqttlab certs init certs
          mqttlab sniff --show-secrets --tls-port 8883 --certfile certs/server.crt --keyfile certs/server.key
          mqttlab pub -p 8883 --cafile certs/ca.crt -u ana -P s3cret -t casa/luz -m ON
              → only TLS records: type, version, length, unreadable bytes; and the
                server name (SNI) of the ClientHello, which TLS does not hide

        Without --show-secrets the password is masked as ••••, like in every trace.
        --trace summary adds the broker's own (decrypted) packet trace next to it.
        It takes every flag of mqttlab broker (-p, -c, --bind, --password-file, TLS flags…).
        """

    @Argument(parsing: .captureForPassthrough, help: "mqttlab broker's flags: see mqttlab sniff --help.")
    var arguments: [String] = []

    func run() throws {
        if arguments.contains("--help") || arguments.contains("-h") {
            print(Self.usage + "\n\n" + BrokerCommand.helpMessage())
            return
        }
        let broker: BrokerCommand
        do {
            broker = try BrokerCommand.parse(["--sniff", "--trace", "off"] + arguments)
        } catch {
            // The broker's own message, pointing at this command's help rather than `broker`'s.
            FileHandle.standardError.write(Data("Error: \(BrokerCommand.message(for: error))\nSee 'mqttlab sniff --help'.\n".utf8))
            throw BrokerCommand.exitCode(for: error)
        }
        try broker.run()
    }
}
