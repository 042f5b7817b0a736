import CMQTTLabCrypto
import Foundation

/// The classroom's certificate authority in one folder: `ca.key`/`ca.crt`, the broker's
/// `server.key`/`server.crt`, and one `NAME.key`/`NAME.crt` per client. Keys are EC P-256 (small, fast, and
/// accepted by every TLS 1.2/1.3 stack Mosquitto and paho use), written 0600; certificates 0644.
public struct TeachingCA: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public var caKeyPath: String { path("ca.key") }
    public var caCertificatePath: String { path("ca.crt") }
    public var serverKeyPath: String { path("server.key") }
    public var serverCertificatePath: String { path("server.crt") }

    public func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    /// Creates the CA and a server certificate for `localhost`, 127.0.0.1, ::1 and `extraHosts`. Refuses to
    /// replace an existing CA unless `force`: every certificate it signed would stop being trusted.
    /// Returns the files written.
    @discardableResult
    public func initialize(extraHosts: [SubjectAltName] = [], force: Bool = false, serverValidity: CertificateValidity? = nil) throws -> [String] {
        if !force {
            for existing in [caKeyPath, caCertificatePath] where FileManager.default.fileExists(atPath: existing) {
                throw CertificateError.caAlreadyExists(path: existing)
            }
        }
        try createDirectory()
        var names = SubjectAltName.localDefaults
        for host in extraHosts where !names.contains(host) { names.append(host) }

        let caKey = try Self.newKey()
        defer { EVP_PKEY_free(caKey) }
        let caCertificate = try CertificateBuilder.make(role: .authority, commonName: "mqttlab teaching CA",
                                                        subjectKey: caKey, issuer: nil, issuerKey: caKey)
        defer { X509_free(caCertificate) }
        let serverKey = try Self.newKey()
        defer { EVP_PKEY_free(serverKey) }
        // Clients check the subjectAltName list, not the CN; the CN is only what people read.
        let serverCertificate = try CertificateBuilder.make(role: .server(names: names), commonName: "localhost",
                                                            subjectKey: serverKey, issuer: caCertificate, issuerKey: caKey,
                                                            validity: serverValidity)
        defer { X509_free(serverCertificate) }

        try Self.write(PEM.privateKey(caKey), to: caKeyPath, mode: 0o600)
        try Self.write(PEM.certificate(caCertificate), to: caCertificatePath, mode: 0o644)
        try Self.write(PEM.privateKey(serverKey), to: serverKeyPath, mode: 0o600)
        try Self.write(PEM.certificate(serverCertificate), to: serverCertificatePath, mode: 0o644)
        return [caKeyPath, caCertificatePath, serverKeyPath, serverCertificatePath]
    }

    /// Issues `NAME.crt`/`NAME.key` for a client (CN=NAME, extendedKeyUsage clientAuth), signed by the CA
    /// in this folder. Returns (certificate, key) paths.
    @discardableResult
    public func issueClient(name: String) throws -> (certificate: String, key: String) {
        try Self.validateClientName(name)
        let caKey = try PEM.loadPrivateKey(path: caKeyPath)
        defer { EVP_PKEY_free(caKey) }
        let caCertificate = try PEM.loadCertificate(path: caCertificatePath)
        defer { X509_free(caCertificate) }
        let key = try Self.newKey()
        defer { EVP_PKEY_free(key) }
        let certificate = try CertificateBuilder.make(role: .client, commonName: name, subjectKey: key,
                                                      issuer: caCertificate, issuerKey: caKey)
        defer { X509_free(certificate) }
        let keyPath = path("\(name).key")
        let certificatePath = path("\(name).crt")
        try Self.write(PEM.privateKey(key), to: keyPath, mode: 0o600)
        try Self.write(PEM.certificate(certificate), to: certificatePath, mode: 0o644)
        return (certificatePath, keyPath)
    }

    /// The name is also a file name: letters, digits, '.', '_' and '-', not starting with '.', and not one
    /// of the CA's or server's own names.
    static func validateClientName(_ name: String) throws {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F
        }
        guard allowed, !name.isEmpty, name.utf8.count <= 64, !name.hasPrefix("."), !["ca", "server"].contains(name) else {
            throw CertificateError.invalidName(name)
        }
    }

    /// An atomic write whose failure names the file, as a certificate error.
    private static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws(CertificateError) {
        do {
            try AtomicFileWriter.write(bytes, to: path, mode: mode)
        } catch {
            throw .cannotWrite(path: path, reason: error.reason)
        }
    }

    private func createDirectory() throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CertificateError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
    }

    private static func newKey() throws -> OpaquePointer {
        guard let key = cmqttlab_generate_p256_key() else { throw OpenSSLError.fromQueue("generating an EC P-256 key") }
        return key
    }
}
