import CMQTTLabCrypto
import Foundation

/// PEM in and out of libcrypto's objects, through memory BIOs that are freed on every path.
enum PEM {
    /// Runs `write` on a fresh memory BIO and returns what it wrote.
    static func bytes(_ operation: String, _ write: (OpaquePointer) -> Int32) throws -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLError.fromQueue(operation) }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw OpenSSLError.fromQueue(operation) }
        var data: UnsafeMutablePointer<CChar>?
        let length = cmqttlab_BIO_get_mem_data(bio, &data)
        guard let data, length > 0 else { return [] }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }

    static func certificate(_ certificate: OpaquePointer) throws -> [UInt8] {
        try bytes("writing a certificate as PEM") { PEM_write_bio_X509($0, certificate) }
    }

    /// Unencrypted PKCS#8: Mosquitto must read the key without a passphrase.
    static func privateKey(_ key: OpaquePointer) throws -> [UInt8] {
        try bytes("writing a private key as PEM") { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
    }

    /// Runs `read` on a read-only memory BIO over `bytes`.
    static func read<T>(_ bytes: [UInt8], _ read: (OpaquePointer) -> T?) -> T? {
        bytes.withUnsafeBytes { buffer -> T? in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return read(bio)
        }
    }

    /// A certificate (PEM, else DER) from a file; the caller frees it with X509_free.
    static func loadCertificate(path: String) throws -> OpaquePointer {
        guard let data = FileManager.default.contents(atPath: path) else { throw CertificateError.missingFile(path: path) }
        let bytes = [UInt8](data)
        let certificate = read(bytes) { PEM_read_bio_X509($0, nil, nil, nil) } ?? read(bytes) { d2i_X509_bio($0, nil) }
        ERR_clear_error()
        guard let certificate else { throw CertificateError.notACertificate(path: path) }
        return certificate
    }

    /// A private key from a PEM file; the caller frees it with EVP_PKEY_free.
    static func loadPrivateKey(path: String) throws -> OpaquePointer {
        guard let data = FileManager.default.contents(atPath: path) else { throw CertificateError.missingFile(path: path) }
        let key = read([UInt8](data)) { PEM_read_bio_PrivateKey($0, nil, nil, nil) }
        ERR_clear_error()
        guard let key else { throw CertificateError.notAPrivateKey(path: path) }
        return key
    }
}
