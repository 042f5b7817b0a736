import Foundation
import MQTTBroker
import MQTTBrokerCore
import MQTTCodec

/// `config` exercises: the student's file read exactly as `mqttlab broker -c FILE` reads it (the same
/// parser, the same password_file, allow_anonymous and acl_file rules), for the engine's checker broker.
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
        do {
            _ = try command.applySecurity(file: file, to: &configuration, language: language)
        } catch {
            throw Refused(description: error.message)
        }
        return configuration
    }
}
