import ArgumentParser
import Foundation
import MQTTBrokerCore
import MQTTCodec
import MQTTLabSecurity

extension BrokerCommand {
    /// Who may connect: `--password-file` / `--allow-anonymous`, else the `-c` file's `password_file` /
    /// `allow_anonymous`. When neither says, anonymous clients are refused as soon as there is a password
    /// file (Mosquitto 2.0.11 does so, measured) and allowed otherwise (Mosquitto 2.0 also refuses them when
    /// a file declares a listener without `allow_anonymous`; mqttlab keeps them in for a first classroom).
    /// A password file that cannot be read or has a bad line stops the broker with file:line (exit 78).
    func authentication(file: BrokerConfigFile?, language: Language) throws -> BrokerAuthentication {
        let path = passwordFile ?? file?.passwordFile
        let allow = allowAnonymous ?? file?.allowAnonymous ?? (path == nil)
        guard let path else { return BrokerAuthentication(allowAnonymous: allow) }
        do {
            let table = try PasswordTable(contentsOf: path)
            return BrokerAuthentication(allowAnonymous: allow, passwords: .init(source: path) { user, password in
                guard table.hashes[user] != nil else { return .unknownUser }
                return table.verify(user: user, password: password) ? .accepted : .wrongPassword
            })
        } catch {
            var message = "mqttlab broker: \(error)"
            if passwordFile == nil, let config, let line = file?.passwordFileLine {
                message += LocalizedText(en: " (password_file at \(config):\(line))", es: " (password_file en \(config):\(line))").text(language)
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
    }
}
