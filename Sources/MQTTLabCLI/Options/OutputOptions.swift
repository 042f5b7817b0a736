import ArgumentParser
import MQTTCodec

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Options every command that prints for people shares.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Language of the explanations: es or en.",
        discussion: "Default: $MQTTLAB_LANG, then the locale (LC_ALL, LC_MESSAGES, LANG); Spanish for a Spanish locale, else English.",
        valueName: "es|en"))
    var lang: String?

    @Option(name: .long, help: ArgumentHelp("Colors: auto (on a terminal, unless NO_COLOR is set), always or never.", valueName: "when"))
    var color: ColorChoiceArgument = .auto

    func validate() throws {
        if let lang, Language(code: lang) == nil {
            throw ValidationError("--lang takes es or en, not '\(lang)'")
        }
    }

    var environment: [String: String] { ProcessEnvironment.current }

    var language: Language { Language.resolve(explicit: lang, environment: environment) }

    var terminal: Terminal { Terminal.detect(choice: color.choice, environment: environment) }
}

enum ColorChoiceArgument: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    var choice: ColorChoice { ColorChoice(rawValue: rawValue) ?? .auto }
}

/// The process environment as a dictionary, read once.
enum ProcessEnvironment {
    static var current: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
