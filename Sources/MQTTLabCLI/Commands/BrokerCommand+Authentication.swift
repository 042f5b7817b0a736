import ArgumentParser
import Foundation
import MQTTBroker
import MQTTBrokerCore
import MQTTCodec
import MQTTLabSecurity

extension BrokerCommand {
    /// Who may connect: `--password-file` / `--allow-anonymous`, else the `-c` file's `password_file` /
    /// `allow_anonymous`. When neither says, anonymous clients are refused as soon as there is a password
    /// file (Mosquitto 2.0.11 does so, measured) and allowed otherwise (Mosquitto 2.0 also refuses them when
    /// a file declares a listener without `allow_anonymous`; mqttlab keeps them in for a first classroom).
    /// A password file that cannot be read or has a bad line is a `BrokerSecurityFileError` naming the
    /// file and line (`run` prints it and exits 78).
    func authentication(file: BrokerConfigFile?, language: Language) throws(BrokerSecurityFileError) -> BrokerAuthentication {
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
            throw BrokerSecurityFileError(message: message)
        }
    }

    /// Who may connect and what they may do, as `run` sets them: `authentication(file:)` and
    /// `accessControl(file:)` in one place, also for the exercises' checker broker, so a file means there
    /// exactly what it means to `mqttlab broker -c FILE`.
    func applySecurity(file: BrokerConfigFile?, to configuration: inout BrokerServerConfiguration,
                       language: Language) throws(BrokerSecurityFileError) -> [String] {
        configuration.engine.authentication = try authentication(file: file, language: language)
        let acl = try accessControl(file: file, language: language)
        configuration.engine.accessControl = acl.list
        return acl.warnings
    }
}

/// A password or ACL file the broker cannot use: the message names the file (and line); the broker does
/// not start (exit 78, EX_CONFIG, like Mosquitto).
struct BrokerSecurityFileError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
