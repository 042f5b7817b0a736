import MQTTBroker
import MQTTCodec

extension BrokerCommand {
    /// A TLS file the broker cannot use, in the learner's language, with the file's path and, when it came
    /// from `-c`, the line of the listener that names it.
    static func tlsError(_ error: BrokerTLSError, language: Language, config: String?, file: BrokerConfigFile?) -> String {
        let text: LocalizedText
        switch error {
        case .missing(let path, let role):
            text = LocalizedText(en: "\(role.rawValue) \(path): no such file (make the files with: mqttlab certs init certs)",
                                 es: "\(role.rawValue) \(path): no existe el fichero (crea los ficheros con: mqttlab certs init certs)")
        case .notAFile(let path, let role):
            text = LocalizedText(en: "\(role.rawValue) \(path): is a folder, not a file", es: "\(role.rawValue) \(path): es una carpeta, no un fichero")
        case .unreadable(let path, let role):
            text = LocalizedText(en: "\(role.rawValue) \(path): cannot be read (check its permissions)",
                                 es: "\(role.rawValue) \(path): no se puede leer (revisa sus permisos)")
        case .notACertificate(let path, let role):
            text = LocalizedText(en: "\(role.rawValue) \(path): not a PEM certificate (-----BEGIN CERTIFICATE-----)",
                                 es: "\(role.rawValue) \(path): no es un certificado PEM (-----BEGIN CERTIFICATE-----)")
        case .notAKey(let path):
            text = LocalizedText(en: "keyfile \(path): not a PEM private key (did you swap --certfile and --keyfile?)",
                                 es: "keyfile \(path): no es una clave privada PEM (¿intercambiaste --certfile y --keyfile?)")
        case .keyDoesNotMatch(let certificate, let key, _):
            text = LocalizedText(en: "keyfile \(key) is not the private key of certfile \(certificate): use the pair made together (server.crt with server.key)",
                                 es: "keyfile \(key) no es la clave privada de certfile \(certificate): usa la pareja creada junta (server.crt con server.key)")
        }
        var message = text.text(language)
        if let config, let line = listenerLine(naming: error, in: file) {
            message += LocalizedText(en: " (listener at \(config):\(line))", es: " (listener en \(config):\(line))").text(language)
        }
        return message
    }

    /// Warnings printed under the banner: a TLS listener whose certificate has expired still starts (so the
    /// refusals can be seen), but says so.
    static func tlsWarnings(_ listeners: [BrokerListenerAddress], language: Language, now: Int) -> [String] {
        listeners.compactMap { listener in
            guard let tls = listener.tls, let notAfter = tls.certificateNotAfter(), notAfter < now else { return nil }
            return LocalizedText(
                en: "certfile \(tls.certificateFile) has expired: clients will refuse the TLS listener on port \(listener.port) (--insecure skips only the host name check, not this)",
                es: "certfile \(tls.certificateFile) ha caducado: los clientes rechazarán el listener TLS del puerto \(listener.port) (--insecure solo omite la comprobación del nombre, no esta)"
            ).text(language)
        }
    }

    private static func listenerLine(naming error: BrokerTLSError, in file: BrokerConfigFile?) -> Int? {
        let path: String
        switch error {
        case .missing(let p, _), .notAFile(let p, _), .unreadable(let p, _), .notACertificate(let p, _): path = p
        case .notAKey(let p): path = p
        case .keyDoesNotMatch(let certificate, _, _): path = certificate
        }
        return file?.listeners.first { listener in
            guard let tls = listener.tls else { return false }
            return [tls.certfile, tls.keyfile, tls.cafile, tls.capath].contains(path)
        }?.line
    }
}
