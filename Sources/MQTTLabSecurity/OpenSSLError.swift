import CMQTTLabCrypto

/// A libcrypto call failed: what mqttlab was doing, and OpenSSL's own reason from its error queue.
public struct OpenSSLError: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var reason: String

    public var description: String { "\(operation) failed: \(reason)" }

    /// Drains libcrypto's thread-local error queue into one error, so a later call does not report a
    /// stale reason.
    public static func fromQueue(_ operation: String) -> OpenSSLError {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return OpenSSLError(operation: operation, reason: reasons.isEmpty ? "no reason given by OpenSSL" : reasons.joined(separator: "; "))
    }
}

/// The version of the system OpenSSL mqttlab is linked with ("OpenSSL 3.0.x …"), for `--version` and
/// error reports.
public enum SystemOpenSSL {
    public static var version: String { String(cString: OpenSSL_version(OPENSSL_VERSION)) }
}
