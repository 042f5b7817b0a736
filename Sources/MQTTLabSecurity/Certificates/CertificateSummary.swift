import CMQTTLabCrypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a certificate says, read out of an X.509 file into plain values for `mqttlab certs show`.
public struct CertificateSummary: Equatable, Sendable {
    public enum KeyUsage: String, Sendable, CaseIterable {
        case digitalSignature, keyEncipherment, keyCertSign, cRLSign
    }

    public enum ExtendedKeyUsage: String, Sendable, CaseIterable {
        case serverAuth, clientAuth
    }

    public var version: Int
    /// "O=…, CN=…", in the order of the certificate.
    public var subject: String
    public var issuer: String
    public var notBefore: Date
    public var notAfter: Date
    public var alternativeNames: [SubjectAltName]
    /// "EC" (with `curve`) or "RSA".
    public var keyType: String
    public var keyBits: Int
    public var curve: String?
    public var isCertificateAuthority: Bool
    public var isSelfSigned: Bool
    public var keyUsage: [KeyUsage]
    public var extendedKeyUsage: [ExtendedKeyUsage]
    /// SHA-256 of the DER certificate, "AB:CD:…".
    public var sha256Fingerprint: String

    public func isValid(at date: Date) -> Bool { notBefore <= date && date <= notAfter }

    /// Reads a PEM or DER certificate file.
    public init(contentsOf path: String) throws {
        let certificate = try PEM.loadCertificate(path: path)
        defer { X509_free(certificate) }
        try self.init(certificate: certificate)
    }

    init(certificate: OpaquePointer) throws {
        version = Int(X509_get_version(certificate)) + 1
        subject = Self.text(of: X509_get_subject_name(certificate))
        issuer = Self.text(of: X509_get_issuer_name(certificate))
        notBefore = Self.date(X509_get0_notBefore(certificate))
        notAfter = Self.date(X509_get0_notAfter(certificate))
        alternativeNames = Self.alternativeNames(certificate)

        guard let key = X509_get0_pubkey(certificate) else { throw OpenSSLError.fromQueue("reading the public key") }
        keyBits = Int(EVP_PKEY_get_bits(key))
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_EC:
            keyType = "EC"
            var buffer = [CChar](repeating: 0, count: 80)
            var length = 0
            curve = EVP_PKEY_get_group_name(key, &buffer, buffer.count, &length) == 1
                ? String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
        case EVP_PKEY_RSA: keyType = "RSA"; curve = nil
        case let other: keyType = String(cString: OBJ_nid2sn(other)); curve = nil
        }

        // X509_get_extension_flags also computes the cached extension values the calls below read.
        let flags = X509_get_extension_flags(certificate)
        isCertificateAuthority = flags & UInt32(EXFLAG_CA) != 0
        isSelfSigned = flags & UInt32(EXFLAG_SS) != 0
        let usage = flags & UInt32(EXFLAG_KUSAGE) != 0 ? X509_get_key_usage(certificate) : 0
        let usageBits: [(KeyUsage, Int32)] = [(.digitalSignature, KU_DIGITAL_SIGNATURE), (.keyEncipherment, KU_KEY_ENCIPHERMENT),
                                              (.keyCertSign, KU_KEY_CERT_SIGN), (.cRLSign, KU_CRL_SIGN)]
        keyUsage = usageBits.filter { usage & UInt32($0.1) != 0 }.map(\.0)
        let extended = flags & UInt32(EXFLAG_XKUSAGE) != 0 ? X509_get_extended_key_usage(certificate) : 0
        let extendedBits: [(ExtendedKeyUsage, Int32)] = [(.serverAuth, XKU_SSL_SERVER), (.clientAuth, XKU_SSL_CLIENT)]
        extendedKeyUsage = extendedBits.filter { extended & UInt32($0.1) != 0 }.map(\.0)

        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var digestLength: UInt32 = 0
        guard X509_digest(certificate, EVP_sha256(), &digest, &digestLength) == 1 else {
            throw OpenSSLError.fromQueue("computing the SHA-256 fingerprint")
        }
        sha256Fingerprint = digest.prefix(Int(digestLength)).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// "O=mqttlab classroom, CN=localhost", each value as UTF-8.
    private static func text(of name: OpaquePointer?) -> String {
        guard let name else { return "" }
        var parts: [String] = []
        for index in 0..<X509_NAME_entry_count(name) {
            guard let entry = X509_NAME_get_entry(name, index) else { continue }
            let field = String(cString: OBJ_nid2sn(OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry))))
            var utf8: UnsafeMutablePointer<UInt8>?
            let length = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry))
            guard length >= 0, let utf8 else { continue }
            defer { CRYPTO_free(utf8, #fileID, #line) }
            parts.append("\(field)=\(String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self))")
        }
        return parts.joined(separator: ", ")
    }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return Date(timeIntervalSince1970: 0) }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    private static func alternativeNames(_ certificate: OpaquePointer) -> [SubjectAltName] {
        guard let raw = X509_get_ext_d2i(certificate, NID_subject_alt_name, nil, nil) else { return [] }
        let names = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(names) }
        var result: [SubjectAltName] = []
        for index in 0..<cmqttlab_general_names_count(names) {
            guard let name = cmqttlab_general_names_value(names, index) else { continue }
            if let dns = cmqttlab_general_name_dns(name) {
                result.append(.dns(String(decoding: bytes(dns), as: UTF8.self)))
            } else if let ip = cmqttlab_general_name_ip(name) {
                let address = bytes(ip)
                var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                let family = address.count == 4 ? AF_INET : AF_INET6
                guard address.count == 4 || address.count == 16,
                      inet_ntop(family, address, &text, socklen_t(text.count)) != nil else { continue }
                result.append(.ip(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))
            }
        }
        return result
    }

    private static func bytes(_ string: UnsafePointer<ASN1_STRING>) -> [UInt8] {
        guard let data = ASN1_STRING_get0_data(string) else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(string))))
    }
}
