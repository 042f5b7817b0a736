import ArgumentParser
import MQTTCodec

/// `mqttlab`: the root command.
public struct MQTTLab: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mqttlab",
        abstract: "Learn MQTT in the terminal: see every byte of every packet, explained.",
        discussion: """
            mqttlab is a kit for learning MQTT in a classroom terminal. Start by decoding a packet:

              mqttlab decode 30 0a 00 04 43 61 73 61 32 32 2e 35
              mqttlab decode --pcap capture.pcapng
              mqttlab decode --lang es 10 0f 00 04 4d 51 54 54 04 02 00 3c 00 03 61 62 63

            Explanations come in Spanish and English: --lang es|en, or MQTTLAB_LANG, or your locale.
            """,
        version: "0.1.0",
        subcommands: [Home.self, DecodeCommand.self, InspectCommand.self, BrokerCommand.self, PubCommand.self, SubCommand.self, RRCommand.self, BenchCommand.self],
        defaultSubcommand: Home.self
    )

    public init() {}
}

/// What `mqttlab` with no arguments shows: what the kit is and the first commands to try.
struct Home: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "home",
        abstract: "Show what mqttlab can do and what to try first (the default).",
        shouldDisplay: false
    )

    @OptionGroup var output: OutputOptions

    func run() throws {
        let style = Style(enabled: output.terminal.colors)
        print(HomeScreen.text(language: output.language, style: style))
    }
}

enum HomeScreen {
    static func text(language: Language, style: Style) -> String {
        switch language {
        case .en:
            return """
                \(style.bold("mqttlab 0.1")) · learn MQTT 3.1.1 and 5.0 in the terminal

                Every MQTT packet is a handful of bytes. mqttlab shows each one and says what it means.

                Try it:
                  \(style.good("mqttlab decode 30 0a 00 04 43 61 73 61 32 32 2e 35"))   a PUBLISH of "22.5" to Casa
                  \(style.good("mqttlab decode --pcap capture.pcapng"))                every packet of a capture
                  \(style.good("mqttlab decode --help"))                               all the ways to give bytes

                Other commands:
                  mqttlab broker           a broker that shows every packet it receives and sends, explained
                  mqttlab bench decode     how fast the decoder reads a mixed stream
                  mqttlab bench broker     the broker against Mosquitto, measured side by side

                Coming next: pub/sub clients, lessons and exercises.
                Spanish: mqttlab --lang es (or MQTTLAB_LANG=es).
                """
        case .es:
            return """
                \(style.bold("mqttlab 0.1")) · aprende MQTT 3.1.1 y 5.0 en la terminal

                Cada paquete MQTT son unos pocos bytes. mqttlab los enseña uno a uno y explica qué significan.

                Pruébalo:
                  \(style.good("mqttlab decode 30 0a 00 04 43 61 73 61 32 32 2e 35"))   un PUBLISH de "22.5" en Casa
                  \(style.good("mqttlab decode --pcap captura.pcapng"))                todos los paquetes de una captura
                  \(style.good("mqttlab decode --help"))                               todas las formas de dar bytes

                Otros comandos:
                  mqttlab broker           un broker que enseña y explica cada paquete que recibe y envía
                  mqttlab bench decode     lo rápido que el decodificador lee un flujo variado
                  mqttlab bench broker     el broker frente a Mosquitto, medidos a la vez

                Próximamente: clientes pub/sub, lecciones y ejercicios.
                English: mqttlab --lang en (o MQTTLAB_LANG=en).
                """
        }
    }
}
