import CMQTTLabCrypto

/// When a certificate is valid: from `startDays` after now (negative: in the past) for `days` days. The
/// default is now and `CertificateBuilder`'s lifetimes; tests use a window in the past for an expired one.
public struct CertificateValidity: Sendable, Equatable {
    public var startDays: Int
    public var days: Int

    public init(startDays: Int, days: Int) {
        self.startDays = startDays
        self.days = days
    }
}

/// Builds and signs one X.509 v3 certificate with libcrypto. Every OpenSSL object made here is freed
/// before returning, on success and on every error path; the returned certificate belongs to the caller.
enum CertificateBuilder {
    enum Role {
        /// The teaching CA: self-signed, CA:TRUE, may only sign certificates and revocation lists.
        case authority
        case server(names: [SubjectAltName])
        case client
    }

    /// Days of validity: 5 years for the CA, 825 days for leaves (the most browsers and Apple accept).
    static let authorityDays = 5 * 365 + 1
    static let leafDays = 825

    /// Makes a certificate for `subjectKey` named `commonName`, signed by `issuerKey`; `issuer` is the CA
    /// certificate, or nil for the self-signed CA itself. The caller frees the result with X509_free.
    static func make(role: Role, commonName: String, subjectKey: OpaquePointer, issuer: OpaquePointer?,
                     issuerKey: OpaquePointer, validity: CertificateValidity? = nil) throws -> OpaquePointer {
        guard let certificate = X509_new() else { throw OpenSSLError.fromQueue("creating a certificate") }
        var handedOver = false
        defer { if !handedOver { X509_free(certificate) } }

        guard X509_set_version(certificate, 2) == 1 else { throw OpenSSLError.fromQueue("setting X.509 version 3") }
        try setRandomSerial(certificate)
        var days = leafDays
        if case .authority = role { days = authorityDays }
        let start = validity?.startDays ?? 0
        if let validity { days = validity.days }
        guard X509_time_adj_ex(X509_getm_notBefore(certificate), Int32(start), 0, nil) != nil,
              X509_time_adj_ex(X509_getm_notAfter(certificate), Int32(start + days), 0, nil) != nil
        else { throw OpenSSLError.fromQueue("setting the validity dates") }

        try setSubject(certificate, commonName: commonName)
        let issuerName = issuer.map { X509_get_subject_name($0) } ?? X509_get_subject_name(certificate)
        guard X509_set_issuer_name(certificate, issuerName) == 1, X509_set_pubkey(certificate, subjectKey) == 1 else {
            throw OpenSSLError.fromQueue("setting the issuer and public key")
        }

        // The subject key identifier must exist before the authority key identifier of a self-signed CA
        // can point at it.
        var extensions: [(Int32, String)] = []
        switch role {
        case .authority:
            extensions = [(NID_basic_constraints, "critical,CA:TRUE,pathlen:0"), (NID_key_usage, "critical,keyCertSign,cRLSign")]
        case .server(let names):
            // EC keys sign (ECDHE) and never encrypt, so no keyEncipherment (RFC 5480, section 3).
            extensions = [(NID_basic_constraints, "critical,CA:FALSE"), (NID_key_usage, "critical,digitalSignature"),
                          (NID_ext_key_usage, "serverAuth"),
                          (NID_subject_alt_name, names.map(\.configValue).joined(separator: ","))]
        case .client:
            extensions = [(NID_basic_constraints, "critical,CA:FALSE"), (NID_key_usage, "critical,digitalSignature"),
                          (NID_ext_key_usage, "clientAuth")]
        }
        extensions += [(NID_subject_key_identifier, "hash"), (NID_authority_key_identifier, "keyid:always")]
        for (nid, value) in extensions {
            try addExtension(certificate, issuer: issuer ?? certificate, nid: nid, value: value)
        }

        guard X509_sign(certificate, issuerKey, EVP_sha256()) > 0 else { throw OpenSSLError.fromQueue("signing the certificate") }
        handedOver = true
        return certificate
    }

    /// 159 random bits: positive, unique in practice, and within the 20 octets RFC 5280 allows.
    private static func setRandomSerial(_ certificate: OpaquePointer) throws {
        guard let number = BN_new() else { throw OpenSSLError.fromQueue("creating a serial number") }
        defer { BN_free(number) }
        guard BN_rand(number, 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1,
              BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate)) != nil
        else { throw OpenSSLError.fromQueue("setting a random serial number") }
    }

    private static func setSubject(_ certificate: OpaquePointer, commonName: String) throws {
        guard let name = X509_get_subject_name(certificate) else { throw OpenSSLError.fromQueue("reading the subject") }
        for (field, value) in [("O", "mqttlab classroom"), ("CN", commonName)] {
            let added = Array(value.utf8).withUnsafeBufferPointer {
                X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, $0.baseAddress, Int32($0.count), -1, 0)
            }
            guard added == 1 else { throw OpenSSLError.fromQueue("setting the subject \(field)") }
        }
    }

    private static func addExtension(_ certificate: OpaquePointer, issuer: OpaquePointer, nid: Int32, value: String) throws {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer, certificate, nil, nil, 0)
        guard let created = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
            throw OpenSSLError.fromQueue("adding the extension \(String(cString: OBJ_nid2sn(nid)))=\(value)")
        }
        defer { X509_EXTENSION_free(created) }
        guard X509_add_ext(certificate, created, -1) == 1 else { throw OpenSSLError.fromQueue("adding an extension") }
    }
}
