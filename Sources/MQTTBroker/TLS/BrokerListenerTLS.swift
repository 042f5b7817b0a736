import Foundation
import NIOSSL

/// A listener's TLS settings, as Mosquitto's per-listener keys name them (`certfile`, `keyfile`, `cafile`,
/// `capath`, `require_certificate`, `use_identity_as_username`, `tls_version`). A listener with these
/// settings speaks MQTT inside TLS (port 8883 by convention); without them, plain MQTT over TCP.
public struct BrokerListenerTLS: Sendable, Equatable {
    /// The lowest TLS version the listener accepts. Older versions (1.0, 1.1) are broken and never offered.
    public enum MinimumVersion: String, Sendable, Equatable, CaseIterable {
        case tls1_2 = "tlsv1.2"
        case tls1_3 = "tlsv1.3"
    }

    /// PEM certificate the broker presents (`certfile`), and its private key (`keyfile`).
    public var certificateFile: String
    public var keyFile: String
    /// PEM file (`cafile`) or folder (`capath`) of the CAs whose client certificates are accepted.
    public var caFile: String?
    public var caPath: String?
    /// Clients must present a certificate signed by `caFile`/`caPath` (`require_certificate true`). Without
    /// it, as in Mosquitto, client certificates are not asked for at all.
    public var requireCertificate: Bool
    /// The client certificate's Common Name is the MQTT user name; the CONNECT's user name and password are
    /// ignored and the password file is not consulted (`use_identity_as_username true`).
    public var useIdentityAsUsername: Bool
    /// `tls_version` (in Mosquitto 2.x a minimum).
    public var minimumVersion: MinimumVersion

    public init(certificateFile: String, keyFile: String, caFile: String? = nil, caPath: String? = nil,
                requireCertificate: Bool = false, useIdentityAsUsername: Bool = false, minimumVersion: MinimumVersion = .tls1_2) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.caFile = caFile
        self.caPath = caPath
        self.requireCertificate = requireCertificate
        self.useIdentityAsUsername = useIdentityAsUsername
        self.minimumVersion = minimumVersion
    }

    /// Reads the files and builds the TLS context, before anything listens: every problem names its file.
    func makeContext() throws(BrokerTLSError) -> BrokerTLSContext {
        try Self.checkReadable(certificateFile, role: .certificate)
        try Self.checkReadable(keyFile, role: .key)
        if let caFile { try Self.checkReadable(caFile, role: .caFile) }
        if let caPath, !Self.isDirectory(caPath) { throw .missing(path: caPath, role: .caPath) }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        } catch {
            throw .notACertificate(path: certificateFile, role: .certificate)
        }
        guard let leaf = chain.first else { throw .notACertificate(path: certificateFile, role: .certificate) }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw .notAKey(path: keyFile)
        }
        if let caFile {
            do {
                _ = try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw .notACertificate(path: caFile, role: .caFile)
            }
        }
        // An expired certificate is served anyway (the CLI warns): seeing clients refuse it is a lesson.

        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = minimumVersion == .tls1_3 ? .tlsv13 : .tlsv12
        if requireCertificate, let trusted = caFile ?? caPath {
            configuration.trustRoots = .file(trusted)
            // A server never checks a client's host name; the chain is checked against the CA.
            configuration.certificateVerification = .noHostnameVerification
            configuration.sendCANameList = true
        } else {
            // As Mosquitto (SSL_VERIFY_NONE without require_certificate): no client certificate is asked
            // for, so `use_identity_as_username` alone refuses every client.
            configuration.certificateVerification = .none
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            // The files were each readable, so what is left is that they do not belong together.
            throw .keyDoesNotMatch(certificate: certificateFile, key: keyFile, reason: "\(error)")
        }
        return BrokerTLSContext(context: context, serverSubject: Self.subjectText(leaf.subjectName), settings: self)
    }

    /// When the broker's certificate stops being valid (seconds since 1970), or nil if it cannot be read.
    public func certificateNotAfter() -> Int? {
        (try? NIOSSLCertificate.fromPEMFile(certificateFile))?.first.map { Int($0.notValidAfter) }
    }

    /// "CN=localhost, O=…" from the names swift-nio-ssl reads out of a certificate.
    static func subjectText(_ names: [SSLCertificateName]) -> String {
        names.map { name in
            let label: String
            switch name.type {
            case .commonName: label = "CN"
            case .organization: label = "O"
            case .organizationalUnit: label = "OU"
            case .country: label = "C"
            case .state: label = "ST"
            case .city: label = "L"
            case .emailAddress: label = "emailAddress"
            case .userId: label = "UID"
            default: label = "?"
            }
            return "\(label)=\(name.value)"
        }.joined(separator: ", ")
    }

    /// The Common Name, for `use_identity_as_username`.
    static func commonName(_ names: [SSLCertificateName]) -> String? {
        names.last { $0.type == .commonName }?.value
    }

    private static func checkReadable(_ path: String, role: BrokerTLSError.Role) throws(BrokerTLSError) {
        guard FileManager.default.fileExists(atPath: path) else { throw .missing(path: path, role: role) }
        guard !isDirectory(path) else { throw .notAFile(path: path, role: role) }
        guard FileManager.default.isReadableFile(atPath: path) else { throw .unreadable(path: path, role: role) }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}

/// A listener's ready TLS context, built once at start and shared by its connections.
struct BrokerTLSContext: Sendable {
    let context: NIOSSLContext
    /// The broker certificate's subject, for the trace.
    let serverSubject: String
    let settings: BrokerListenerTLS
}

/// A TLS file the broker cannot use. Each names the file; the CLI words it for learners.
public enum BrokerTLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which setting named the file.
    public enum Role: String, Sendable, Equatable {
        case certificate = "certfile"
        case key = "keyfile"
        case caFile = "cafile"
        case caPath = "capath"
    }

    case missing(path: String, role: Role)
    case notAFile(path: String, role: Role)
    case unreadable(path: String, role: Role)
    case notACertificate(path: String, role: Role)
    case notAKey(path: String)
    case keyDoesNotMatch(certificate: String, key: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let path, let role): "\(role.rawValue) \(path): no such file"
        case .notAFile(let path, let role): "\(role.rawValue) \(path): is a folder, not a file"
        case .unreadable(let path, let role): "\(role.rawValue) \(path): cannot be read (permissions?)"
        case .notACertificate(let path, let role): "\(role.rawValue) \(path): not a PEM certificate"
        case .notAKey(let path): "keyfile \(path): not a PEM private key"
        case .keyDoesNotMatch(let certificate, let key, _): "keyfile \(key) is not the private key of certfile \(certificate)"
        }
    }
}
