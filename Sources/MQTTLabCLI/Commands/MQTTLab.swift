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
        subcommands: [Home.self, LessonCommand.self, ExerciseCommand.self, DecodeCommand.self, InspectCommand.self, BrokerCommand.self, PubCommand.self, SubCommand.self, RRCommand.self, BenchCommand.self, CertsCommand.self, PasswdCommand.self, StudentCommand.self, ProgressCommand.self, GradeCommand.self, SniffCommand.self, DatabaseWriterCommand.self],
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
        let progress = StudentState.existingProgress(course: course.source, environment: output.environment, language: output.language)
        let map = CourseMap.make(course: course, progress: progress, language: output.language, style: style,
                                 width: min(terminal.width ?? 100, 100))
        print(HomeScreen.text(language: output.language, style: style, map: map))
    }
}

enum HomeScreen {
    /// The first commands to try, in a column, with what each does.
    static let toolRows: [(command: String, highlighted: Bool, text: LocalizedText)] = [
        ("mqttlab decode 30 0a 00 04 43 61 73 61 32 32 2e 35", true,
         LocalizedText(en: "a PUBLISH of \"22.5\" to Casa", es: "un PUBLISH de \"22.5\" en Casa")),
        ("mqttlab broker", true,
         LocalizedText(en: "a broker that shows and explains every packet", es: "un broker que enseña y explica cada paquete")),
        ("mqttlab sub -t 'casa/#' -v", true,
         LocalizedText(en: "subscribe (the flags of mosquitto_sub)", es: "suscribirse (las opciones de mosquitto_sub)")),
        ("mqttlab pub -t casa/luz -m ON", true,
         LocalizedText(en: "publish (the flags of mosquitto_pub)", es: "publicar (las opciones de mosquitto_pub)")),
        ("mqttlab exercise list", true,
         LocalizedText(en: "exercises that mqttlab checks by itself", es: "ejercicios que mqttlab corrige solo")),
        ("mqttlab progress", false,
         LocalizedText(en: "your lessons, exercises and points", es: "tus lecciones, ejercicios y puntos")),
        ("mqttlab sniff --show-secrets", false,
         LocalizedText(en: "the bytes an eavesdropper sees on the network", es: "los bytes que ve quien escucha la red")),
        ("mqttlab inspect FILE", false,
         LocalizedText(en: "step through captured packets one field at a time", es: "recorre paquetes capturados campo a campo")),
        ("mqttlab bench broker", false,
         LocalizedText(en: "the broker against Mosquitto, measured side by side", es: "el broker frente a Mosquitto, medidos a la vez")),
    ]

    static func tools(language: Language, style: Style) -> String {
        let column = (toolRows.map(\.command.count).max() ?? 0) + 3
        return toolRows.map { row in
            let padded = row.command + String(repeating: " ", count: column - row.command.count)
            return "  " + (row.highlighted ? style.good(row.command) + String(padded.dropFirst(row.command.count)) : padded) + row.text.text(language)
        }.joined(separator: "\n")
    }

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
                \(tools(language: .en, style: style))

                Spanish: mqttlab --lang es (or MQTTLAB_LANG=es). Every command: mqttlab --help.
                """
        case .es:
            return """
                \(style.bold("mqttlab 0.1")) · aprende MQTT 3.1.1 y 5.0 en la terminal

                Cada paquete MQTT son unos pocos bytes. mqttlab los enseña uno a uno y explica qué significan.

                \(style.bold("El curso")) (mqttlab lesson list · ✓ leída · ▸ la siguiente)
                \(course)

                Prueba las herramientas:
                \(tools(language: .es, style: style))

                English: mqttlab --lang en (o MQTTLAB_LANG=en). Todas las órdenes: mqttlab --help.
                """
        }
    }
}
