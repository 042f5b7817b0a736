#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One subjectAltName entry: the names a TLS client may use to reach the server and still trust it.
public enum SubjectAltName: Equatable, Sendable, CustomStringConvertible {
    case dns(String)
    case ip(String)

    /// The three names every classroom machine answers to.
    public static let localDefaults: [SubjectAltName] = [.dns("localhost"), .ip("127.0.0.1"), .ip("::1")]

    /// An IPv4/IPv6 address becomes an IP entry, a host name a DNS entry; anything else is refused
    /// (it would also be unsafe in OpenSSL's comma-separated extension syntax).
    public init(host: String) throws {
        if SubjectAltName.isIPAddress(host) {
            self = .ip(host)
            return
        }
        let allowed = host.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x2E
        }
        guard !host.isEmpty, host.utf8.count <= 253, allowed, !host.hasPrefix("."), !host.hasPrefix("-"), !host.contains("..") else {
            throw CertificateError.invalidHost(host)
        }
        self = .dns(host.lowercased())
    }

    static func isIPAddress(_ text: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }

    /// OpenSSL's configuration syntax, e.g. `DNS:localhost` or `IP:::1`.
    var configValue: String {
        switch self {
        case .dns(let name): return "DNS:\(name)"
        case .ip(let address): return "IP:\(address)"
        }
    }

    public var description: String {
        switch self {
        case .dns(let name): return "DNS \(name)"
        case .ip(let address): return "IP \(address)"
        }
    }
}
