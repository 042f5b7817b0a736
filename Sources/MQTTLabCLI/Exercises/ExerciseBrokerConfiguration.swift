import Foundation
import MQTTBroker
import MQTTBrokerCore
import MQTTCodec
import MQTTLabSecurity

/// `config` exercises: the student's file read exactly as `mqttlab broker -c FILE` reads it (the same
/// parser, the same password_file and allow_anonymous rules), for the engine's checker broker.
enum ExerciseBrokerConfiguration {
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    @Sendable static func load(path: String, language: Language) throws -> BrokerServerConfiguration {
        let file: BrokerConfigFile
        switch BrokerConfigFile.load(path: path) {
        case .success(let loaded): file = loaded
        case .failure(let errors): throw Refused(description: errors.text(language))
        }
        // Parsed like `mqttlab broker -c FILE`, so the file means exactly what it means there.
        let command = try BrokerCommand.parse(["-c", path])
        var configuration = command.serverConfiguration(file: file)
        let allow = file.allowAnonymous ?? true
        if let passwordPath = file.passwordFile {
            do {
                let table = try PasswordTable(contentsOf: passwordPath)
                configuration.engine.authentication = BrokerAuthentication(allowAnonymous: allow, passwords: .init(source: passwordPath) { user, password in
                    guard table.hashes[user] != nil else { return .unknownUser }
                    return table.verify(user: user, password: password) ? .accepted : .wrongPassword
                })
            } catch {
                throw Refused(description: "\(error)" + (file.passwordFileLine.map { " (password_file, \(path):\($0))" } ?? ""))
            }
        } else {
            configuration.engine.authentication = BrokerAuthentication(allowAnonymous: allow)
        }
        return configuration
    }
}
