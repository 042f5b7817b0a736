import ArgumentParser
import MQTTBroker

/// `mqttlab broker`'s TLS flags: a second listener that speaks MQTT inside TLS, for the common case. The
/// names are Mosquitto's configuration keys with dashes, so a learner who knows one knows the other.
/// Several TLS listeners, or different settings per listener, take a `-c` file (`listener` + the keys).
struct BrokerTLSOptions: ParsableArguments {
    @Option(name: .customLong("tls-port"), help: ArgumentHelp(
        "Also listen for MQTT over TLS on this port (8883 by convention; 0 picks a free one). Needs --certfile and --keyfile.",
        valueName: "port"))
    var tlsPort: Int?

    @Option(name: .long, help: ArgumentHelp("The broker's certificate, PEM (mqttlab certs init makes server.crt).", valueName: "file"))
    var certfile: String?

    @Option(name: .long, help: ArgumentHelp("The certificate's private key, PEM (server.key).", valueName: "file"))
    var keyfile: String?

    @Option(name: .long, help: ArgumentHelp("CA certificates that sign the client certificates accepted (ca.crt).", valueName: "file"))
    var cafile: String?

    @Option(name: .long, help: ArgumentHelp("A folder of CA certificates named by hash, instead of --cafile.", valueName: "folder"))
    var capath: String?

    @Flag(name: .long, help: "Clients must present a certificate signed by --cafile (mutual TLS).")
    var requireCertificate = false

    @Flag(name: .long, help: "The client certificate's Common Name is the user name; no password is asked.")
    var useIdentityAsUsername = false

    @Option(name: .long, help: ArgumentHelp("The lowest TLS version accepted: tlsv1.2 (default) or tlsv1.3. Older ones are always refused.",
                                            valueName: "version"))
    var tlsVersion: BrokerListenerTLS.MinimumVersion?

    func validate() throws {
        if let tlsPort, !(0...65_535).contains(tlsPort) { throw ValidationError("--tls-port takes a port from 0 to 65535, not \(tlsPort)") }
        let tlsOnly: [(String, Bool)] = [("--certfile", certfile != nil), ("--keyfile", keyfile != nil), ("--cafile", cafile != nil),
                                         ("--capath", capath != nil), ("--require-certificate", requireCertificate),
                                         ("--use-identity-as-username", useIdentityAsUsername), ("--tls-version", tlsVersion != nil)]
        if tlsPort == nil, let given = tlsOnly.first(where: { $0.1 }) {
            throw ValidationError("\(given.0) configures the TLS listener: add --tls-port 8883 (or a -c file with listener 8883 and certfile/keyfile)")
        }
        guard tlsPort != nil else { return }
        if certfile == nil || keyfile == nil {
            throw ValidationError("--tls-port needs --certfile and --keyfile (make them with: mqttlab certs init certs)")
        }
        if requireCertificate && cafile == nil && capath == nil {
            throw ValidationError("--require-certificate needs --cafile (or --capath): the CA that signs the client certificates")
        }
    }

    /// The TLS listener the flags describe, on `host`; nil without `--tls-port`.
    func listener(host: String) -> BrokerListenerAddress? {
        guard let tlsPort, let certfile, let keyfile else { return nil }
        return BrokerListenerAddress(host: host, port: tlsPort, tls: BrokerListenerTLS(
            certificateFile: certfile, keyFile: keyfile, caFile: cafile, caPath: capath, requireCertificate: requireCertificate,
            useIdentityAsUsername: useIdentityAsUsername, minimumVersion: tlsVersion ?? .tls1_2))
    }
}

extension BrokerListenerTLS.MinimumVersion: ExpressibleByArgument {}

extension BrokerConfigFile.TLSKeys {
    /// The broker's TLS settings for a listener of the file (validated by the parser: certfile and keyfile
    /// are there, tls_version is one of the two words).
    var listenerTLS: BrokerListenerTLS? {
        guard let certfile, let keyfile else { return nil }
        return BrokerListenerTLS(
            certificateFile: certfile, keyFile: keyfile, caFile: cafile, caPath: capath, requireCertificate: requireCertificate,
            useIdentityAsUsername: useIdentityAsUsername, minimumVersion: tlsVersion.flatMap(BrokerListenerTLS.MinimumVersion.init(rawValue:)) ?? .tls1_2)
    }
}
