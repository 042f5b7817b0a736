import ArgumentParser
import Foundation
import MQTTCodec
import MQTTLabCourse
import MQTTLabSecurity

/// `mqttlab certs`: a teaching certificate authority for the classroom's TLS listeners.
struct CertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certs",
        abstract: "Make a teaching CA and certificates for TLS (mqttlab certs init, client NAME, show FILE).",
        discussion: """
            TLS encrypts MQTT (port 8883) and lets a client check that it reached
            the real broker. The broker shows a certificate: its public key and
            its names (localhost, 127.0.0.1, ...), signed by a certificate
            authority (CA). A client trusts the broker when it trusts the CA
            that signed it (mosquitto_pub --cafile ca.crt).

            A CA is just a key pair whose certificate says CA:TRUE. Whoever holds
            ca.key can sign certificates that everyone who trusts ca.crt accepts:
            ca.key stays private (mode 0600), only ca.crt is handed out.

              mqttlab certs init                    CA + server certificate
              mqttlab certs init --host aula3-pc07  ... also valid as aula3-pc07
              mqttlab certs client alumno1          a client certificate
              mqttlab certs show server.crt         a certificate in plain words

            Files go to $MQTTLAB_HOME/certs, else $XDG_DATA_HOME/mqttlab/certs,
            else ~/.local/share/mqttlab/certs. In mosquitto.conf: cafile ca.crt,
            certfile server.crt, keyfile server.key (Docs/CERTIFICATES.md).
            """,
        subcommands: [CertsInit.self, CertsClient.self, CertsShow.self]
    )

    /// `$MQTTLAB_HOME/certs`, else `$XDG_DATA_HOME/mqttlab/certs`, else `~/.local/share/mqttlab/certs`.
    static func defaultDirectory(environment: [String: String]) -> String {
        (StudentHome.folder(environment: environment) as NSString).appendingPathComponent("certs")
    }

    /// Runs `body`, turning a certificate error into a worded message on stderr and an exit status.
    static func reporting(_ language: Language, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as CertificateError {
            FileHandle.standardError.write(Data(("mqttlab certs: " + CertificateExplanation.error(error, language: language) + "\n").utf8))
            switch error {
            case .missingFile: throw ExitCode(66)  // EX_NOINPUT
            case .notACertificate, .notAPrivateKey: throw ExitCode(65)  // EX_DATAERR
            case .invalidHost, .invalidName: throw ExitCode(64)  // EX_USAGE
            case .caAlreadyExists, .cannotWrite: throw ExitCode(73)  // EX_CANTCREAT
            }
        } catch let error as OpenSSLError {
            FileHandle.standardError.write(Data("mqttlab certs: \(error)\n".utf8))
            throw ExitCode(70)  // EX_SOFTWARE
        }
    }
}

/// `mqttlab certs init [DIR]`.
struct CertsInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the teaching CA (ca.key, ca.crt) and a server certificate (server.key, server.crt).",
        discussion: """
            The server certificate is valid for localhost, 127.0.0.1 and ::1,
            plus every --host. A client checks that the name it connected to is
            in this list, so add the name or IP address the students will type
            (mosquitto_pub -h NAME). Keys: EC P-256. The CA is valid 5 years,
            the server certificate 825 days.
            """
    )

    @Argument(help: ArgumentHelp("Folder for the files. Default: $MQTTLAB_HOME/certs (see mqttlab certs --help).", valueName: "DIR"))
    var directory: String?

    @Option(name: .long, help: ArgumentHelp("Another name or IP address of the broker's machine (repeatable).", valueName: "NAME"))
    var host: [String] = []

    @Flag(name: .long, help: "Replace an existing CA (every certificate it signed stops being trusted).")
    var force = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        let language = output.language
        try CertsCommand.reporting(language) {
            let folder = directory ?? CertsCommand.defaultDirectory(environment: output.environment)
            let hosts = try host.map(SubjectAltName.init(host:))
            let ca = TeachingCA(directory: folder)
            try ca.initialize(extraHosts: hosts, force: force)
            let names = (SubjectAltName.localDefaults + hosts).map(\.description)
            var seen = Set<String>()
            let unique = names.filter { seen.insert($0).inserted }.joined(separator: ", ")
            print(LocalizedText(
                en: """
                    Created in \(folder):
                      ca.crt       the CA certificate: give it to every client (--cafile ca.crt)
                      ca.key       the CA private key (0600): keep it secret, it signs certificates
                      server.crt   the broker's certificate, valid for \(unique)
                      server.key   the broker's private key (0600)
                    In mosquitto.conf: listener 8883 / cafile \(ca.caCertificatePath) / certfile \(ca.serverCertificatePath) / keyfile \(ca.serverKeyPath)
                    Try: mosquitto_pub --cafile \(ca.caCertificatePath) -h localhost -p 8883 -t test -m hola
                    """,
                es: """
                    Creados en \(folder):
                      ca.crt       el certificado de la CA: dáselo a cada cliente (--cafile ca.crt)
                      ca.key       la clave privada de la CA (0600): guárdala en secreto, firma certificados
                      server.crt   el certificado del broker, válido para \(unique)
                      server.key   la clave privada del broker (0600)
                    En mosquitto.conf: listener 8883 / cafile \(ca.caCertificatePath) / certfile \(ca.serverCertificatePath) / keyfile \(ca.serverKeyPath)
                    Prueba: mosquitto_pub --cafile \(ca.caCertificatePath) -h localhost -p 8883 -t test -m hola
                    """
            ).text(language))
        }
    }
}

/// `mqttlab certs client NAME`.
struct CertsClient: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "Issue a client certificate NAME.crt/NAME.key signed by the teaching CA.",
        discussion: """
            With require_certificate true the broker asks each client for a
            certificate signed by its CA: the client proves who it is with a key
            only it has, not with a password.
              mosquitto_pub --cafile ca.crt --cert NAME.crt --key NAME.key \\
                            -h localhost -p 8883 -t test -m hola
            """
    )

    @Argument(help: ArgumentHelp("The client's name (CN=NAME; also the file name).", valueName: "NAME"))
    var name: String

    @Option(name: .long, help: ArgumentHelp("The CA's folder (made by mqttlab certs init). Default: $MQTTLAB_HOME/certs.", valueName: "DIR"))
    var dir: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        let language = output.language
        try CertsCommand.reporting(language) {
            let ca = TeachingCA(directory: dir ?? CertsCommand.defaultDirectory(environment: output.environment))
            let files = try ca.issueClient(name: name)
            print(LocalizedText(
                en: "Created \(files.certificate) (CN=\(name), clientAuth, 825 days) and its private key \(files.key) (0600).",
                es: "Creados \(files.certificate) (CN=\(name), clientAuth, 825 días) y su clave privada \(files.key) (0600)."
            ).text(language))
        }
    }
}

/// `mqttlab certs show FILE`.
struct CertsShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Explain a certificate (PEM or DER) in plain words: names, validity, key, CA or not, fingerprint."
    )

    @Argument(help: ArgumentHelp("The certificate file (ca.crt, server.crt, …).", valueName: "FILE"))
    var file: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        let language = output.language
        try CertsCommand.reporting(language) {
            let summary = try CertificateSummary(contentsOf: file)
            print(CertificateExplanation.text(file: file, summary: summary, now: Date(), language: language))
        }
    }
}
