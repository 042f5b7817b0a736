import ArgumentParser
import MQTTCodec

/// `mqttlab`: the root command.
public struct MQTTLab: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mqttlab",
        abstract: "Learn MQTT in the terminal: see every byte of every packet, explained.",
        discussion: """
            mqttlab is a kit for learning MQTT in a classroom terminal. Start with the lessons (mqttlab lesson next)
            or by decoding a packet:

              mqttlab decode 30 0a 00 04 43 61 73 61 32 32 2e 35
              mqttlab decode --pcap capture.pcapng
              mqttlab decode --lang es 10 0f 00 04 4d 51 54 54 04 02 00 3c 00 03 61 62 63

            Explanations come in Spanish and English: --lang es|en, or MQTTLAB_LANG, or your locale.
            """,
        version: "0.1.0",
        subcommands: [Home.self, LessonCommand.self, DecodeCommand.self, BrokerCommand.self, BenchCommand.self],
        defaultSubcommand: Home.self
    )

    public init() {}
}

/// What `mqttlab` with no arguments shows: the course map, what to do next, and the first commands.
struct Home: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "home",
        abstract: "Show the course map, what to do next and the first commands to try (the default).",
        shouldDisplay: false
    )

    @OptionGroup var output: OutputOptions
    @OptionGroup var courseOptions: CourseOptions

    func run() throws {
        let terminal = output.terminal
        let style = Style(enabled: terminal.colors)
        let course = try courseOptions.load()
        let progress = StudentState.existingProgress(course: course.source, environment: output.environment)
        let map = CourseMap.make(course: course, progress: progress, language: output.language, style: style,
                                 width: min(terminal.width ?? 100, 100))
        print(HomeScreen.text(language: output.language, style: style, map: map))
    }
}

enum HomeScreen {
    static func text(language: Language, style: Style, map: CourseMap) -> String {
        let lessons = map.lessonLines().joined(separator: "\n")
        let next = map.nextLines().joined(separator: "\n")
        let course = lessons.isEmpty ? next : lessons + "\n\n" + next
        switch language {
        case .en:
            return """
                \(style.bold("mqttlab 0.1")) · learn MQTT 3.1.1 and 5.0 in the terminal

                Every MQTT packet is a handful of bytes. mqttlab shows each one and says what it means.

                \(style.bold("The course")) (mqttlab lesson list · ✓ read · ▸ next)
                \(course)

                Try the tools:
                  \(style.good("mqttlab decode 30 0a 00 04 43 61 73 61 32 32 2e 35"))   a PUBLISH of "22.5" to Casa
                  \(style.good("mqttlab broker"))           a broker that shows every packet it receives and sends, explained
                  \(style.good("mqttlab sub -t 'casa/#' -v"))  subscribe (the flags of mosquitto_sub)
                  \(style.good("mqttlab pub -t casa/luz -m ON"))  publish (the flags of mosquitto_pub)
                  mqttlab inspect FILE     step through captured packets one field at a time
                  mqttlab decode --pcap capture.pcapng   every packet of a capture
                  mqttlab bench decode     how fast the decoder reads a mixed stream
                  mqttlab bench broker     the broker against Mosquitto, measured side by side

                Spanish: mqttlab --lang es (or MQTTLAB_LANG=es). Every command: mqttlab --help.
                """
        case .es:
            return """
                \(style.bold("mqttlab 0.1")) · aprende MQTT 3.1.1 y 5.0 en la terminal

                Cada paquete MQTT son unos pocos bytes. mqttlab los enseña uno a uno y explica qué significan.

                \(style.bold("El curso")) (mqttlab lesson list · ✓ leída · ▸ la siguiente)
                \(course)

                Prueba las herramientas:
                  \(style.good("mqttlab decode 30 0a 00 04 43 61 73 61 32 32 2e 35"))   un PUBLISH de "22.5" en Casa
                  \(style.good("mqttlab broker"))           un broker que enseña y explica cada paquete que recibe y envía
                  \(style.good("mqttlab sub -t 'casa/#' -v"))  suscribirse (las opciones de mosquitto_sub)
                  \(style.good("mqttlab pub -t casa/luz -m ON"))  publicar (las opciones de mosquitto_pub)
                  mqttlab inspect FICHERO  recorre paquetes capturados campo a campo
                  mqttlab decode --pcap captura.pcapng   todos los paquetes de una captura
                  mqttlab bench decode     lo rápido que el decodificador lee un flujo variado
                  mqttlab bench broker     el broker frente a Mosquitto, medidos a la vez

                English: mqttlab --lang en (o MQTTLAB_LANG=en). Todas las órdenes: mqttlab --help.
                """
        }
    }
}
