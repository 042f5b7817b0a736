import Foundation
import MQTTCodec

/// Asks for a password on the terminal without echoing it (termios), twice, like mosquitto_passwd.
/// When standard input is not a terminal (a script or a test piping two lines), the lines are read as they
/// come, with no prompt echo to turn off.
enum PasswordPrompt {
    enum Failure: Error {
        case mismatch
        case endOfInput
    }

    static func askTwice(language: Language) throws -> String {
        let first = try ask(prompt: LocalizedText(en: "Password: ", es: "Contraseña: ").text(language))
        let second = try ask(prompt: LocalizedText(en: "Reenter password: ", es: "Repite la contraseña: ").text(language))
        guard first == second else { throw Failure.mismatch }
        return first
    }

    private static func ask(prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        let isTerminal = isatty(STDIN_FILENO) == 1
        var saved = termios()
        if isTerminal, tcgetattr(STDIN_FILENO, &saved) == 0 {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ECHONL)
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer { if isTerminal { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) } }
        guard let line = readLine(strippingNewline: true) else { throw Failure.endOfInput }
        return line
    }
}
