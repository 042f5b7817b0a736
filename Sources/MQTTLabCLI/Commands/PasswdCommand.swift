import ArgumentParser
import Foundation
import MQTTCodec
import MQTTLabSecurity

/// `mqttlab passwd`: writes Mosquitto password files (the flags of mosquitto_passwd).
struct PasswdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Manage password files for the broker (the flags and format of mosquitto_passwd).",
        discussion: """
            A password file has one line per user, user:$7$101$<salt>$<hash>: a
            PBKDF2-HMAC-SHA512 hash (101 iterations, 12-byte random salt) in
            base64. mqttlab broker and Mosquitto both read it (password_file);
            the password itself is never stored.

              mqttlab passwd -c pw.txt alice         create pw.txt with alice
                                                     (asks twice, no echo)
              mqttlab passwd pw.txt bob              add bob or change his password
              mqttlab passwd -b pw.txt carol s3cret  password on the command line
                                                     (kept in the shell history)
              mqttlab passwd -D pw.txt bob           delete bob
              mqttlab passwd -U plain.txt            hash plain user:password lines

            Then: mqttlab broker --password-file pw.txt --allow-anonymous false

            The file is rewritten atomically with mode 0600. Exit status: 0 done;
            1 the file is malformed (file:line says where), the user is unknown
            (-D) or the passwords differ; 64 usage; 66 the file cannot be read.
            """
    )

    @Flag(name: .customShort("c"), help: "Create the file, overwriting it if it exists.")
    var create = false

    @Flag(name: .customShort("b"), help: "Batch mode: take the password from the command line.")
    var batch = false

    @Flag(name: .customShort("D"), help: "Delete the user instead of setting a password.")
    var delete = false

    @Flag(name: .customShort("U"), help: "Upgrade a plain-text file (user:password lines) to hashed passwords.")
    var upgrade = false

    @Argument(help: ArgumentHelp("FILE USER [PASSWORD] (PASSWORD only with -b; only FILE with -U).", valueName: "args"))
    var arguments: [String] = []

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if [create, delete, upgrade].filter({ $0 }).count > 1 { throw ValidationError("-c, -D and -U cannot be combined") }
        if upgrade {
            guard arguments.count == 1 && !batch else { throw ValidationError("-U takes only the file: mqttlab passwd -U FILE") }
            return
        }
        if delete {
            guard arguments.count == 2 && !batch else { throw ValidationError("-D takes the file and the user: mqttlab passwd -D FILE USER") }
        } else if batch {
            guard arguments.count == 3 else { throw ValidationError("-b takes the file, the user and the password: mqttlab passwd -b FILE USER PASSWORD") }
        } else {
            guard arguments.count == 2 else { throw ValidationError("give the file and the user: mqttlab passwd [-c] FILE USER (the password is asked for)") }
        }
        let user = arguments[1]
        if user.isEmpty { throw ValidationError("the user name is empty") }
        if user.contains(":") || user.contains("\n") { throw ValidationError("a user name cannot contain ':' or a newline (':' separates it from the hash)") }
    }

    func run() throws {
        let language = output.language
        let path = arguments[0]
        do {
            if upgrade { return try upgradeFile(at: path, language: language) }
            var file = create ? PasswordFile() : try PasswordFile(contentsOf: path)
            let user = arguments[1]
            if delete {
                guard file.delete(user: user) else {
                    throw failure(LocalizedText(en: "user \(user) is not in \(path)", es: "el usuario \(user) no está en \(path)").text(language))
                }
            } else {
                let password = try batch ? arguments[2] : askPassword(language: language)
                if password.contains("\n") { throw failure("the password cannot contain a newline") }
                file.set(user: user, secret: try PasswordHash.make(password: password).encoded)
            }
            try file.write(to: path)
        } catch let error as PasswordFileError {
            if error.line == nil && !FileManager.default.fileExists(atPath: error.path) {
                throw InputError(message: "\(error) " + LocalizedText(en: "(create it with -c)", es: "(créalo con -c)").text(language))
            }
            throw failure(error.description)
        }
    }

    private func upgradeFile(at path: String, language: Language) throws {
        var file = try PasswordFile(contentsOf: path)
        for line in file.lines {
            guard case let .entry(user, secret) = line, (try? PasswordHash(encoded: secret)) == nil else { continue }
            file.set(user: user, secret: try PasswordHash.make(password: secret).encoded)
        }
        try file.write(to: path)
    }

    private func askPassword(language: Language) throws -> String {
        do {
            return try PasswordPrompt.askTwice(language: language)
        } catch PasswordPrompt.Failure.mismatch {
            throw failure(LocalizedText(en: "the passwords do not match; nothing changed", es: "las contraseñas no coinciden; no se ha cambiado nada").text(language))
        } catch {
            throw failure(LocalizedText(en: "no password given; nothing changed", es: "no se ha dado ninguna contraseña; no se ha cambiado nada").text(language))
        }
    }

    /// Prints the reason and gives exit status 1.
    private func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("mqttlab passwd: \(message)\n".utf8))
        return ExitCode(1)
    }
}
