import NIOSSL

/// TLS settings, as `mosquitto_pub`/`mosquitto_sub` take them.
public struct MQTTClientTLS: Sendable, Equatable {
    /// PEM file of the CA certificates that may sign the broker's certificate (`--cafile`).
    public var caFile: String?
    /// Directory of PEM CA certificates, named by hash as OpenSSL expects (`--capath`).
    public var caPath: String?
    /// The client's certificate (`--cert`) and its private key (`--key`), for brokers that require one.
    public var certificateFile: String?
    public var keyFile: String?
    /// Accept a broker certificate whose name does not match the host (`--insecure`); the chain is still
    /// checked against the CA.
    public var skipHostnameVerification: Bool

    public init(caFile: String? = nil, caPath: String? = nil, certificateFile: String? = nil, keyFile: String? = nil,
                skipHostnameVerification: Bool = false) {
        self.caFile = caFile
        self.caPath = caPath
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.skipHostnameVerification = skipHostnameVerification
    }

    /// Builds the NIOSSL context; errors name the file that could not be used.
    func makeContext() throws(MQTTClientError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            configuration.trustRoots = .file(caFile)
        } else if let caPath {
            configuration.trustRoots = .file(caPath)
        }
        if skipHostnameVerification { configuration.certificateVerification = .noHostnameVerification }
        if let certificateFile {
            do {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
            } catch {
                throw .tls("cannot read certificate \(certificateFile): \(error)")
            }
        }
        if let keyFile {
            do {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            } catch {
                throw .tls("cannot read key \(keyFile): \(error)")
            }
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .tls("\(error)")
        }
    }
}
