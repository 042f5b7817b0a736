/// What can go wrong with the teaching CA's files, with the file named. The CLI words these for students.
public enum CertificateError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingFile(path: String)
    case notACertificate(path: String)
    case notAPrivateKey(path: String)
    case caAlreadyExists(path: String)
    case invalidHost(String)
    case invalidName(String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .missingFile(let path): return "\(path): no such file"
        case .notACertificate(let path): return "\(path): not a certificate (expected PEM '-----BEGIN CERTIFICATE-----' or DER)"
        case .notAPrivateKey(let path): return "\(path): not a private key in PEM"
        case .caAlreadyExists(let path): return "\(path): a CA already exists here (use --force to replace it)"
        case .invalidHost(let host): return "'\(host)' is not a host name or an IP address"
        case .invalidName(let name): return "'\(name)' cannot be a certificate name (1-64 characters, no control characters or commas)"
        case .cannotWrite(let path, let reason): return "\(path): cannot write (\(reason))"
        }
    }
}
