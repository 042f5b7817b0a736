import ArgumentParser
import Foundation
import MQTTBrokerCore
import MQTTCodec

extension BrokerCommand {
    /// `--acl-file`, else the `-c` file's `acl_file`: read and parsed at start. Like Mosquitto, a file that
    /// cannot be read or has a bad line stops the broker; every bad line is named as path:line.
    /// Warnings (a `pattern` without `%c` or `%u`) are returned for the start-up notes.
    func accessControl(file: BrokerConfigFile?, language: Language) throws(BrokerSecurityFileError) -> (list: AccessControlList?, warnings: [String]) {
        guard let path = aclFile ?? file?.aclFile else { return (nil, []) }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            var message = LocalizedText(en: "mqttlab broker: cannot read the ACL file \(path)", es: "mqttlab broker: no se puede leer el fichero de ACL \(path)")
                .text(language)
            if aclFile == nil, let config, let line = file?.aclFileLine {
                message += LocalizedText(en: " (acl_file at \(config):\(line))", es: " (acl_file en \(config):\(line))").text(language)
            }
            throw BrokerSecurityFileError(message: message)
        }
        switch AccessControlListParser(source: path).parse(text) {
        case .success(let parsed):
            return (parsed.list, parsed.warnings.map { $0.message.text(language) })
        case .failure(let errors):
            throw BrokerSecurityFileError(message: errors.text(language))
        }
    }
}
