import CMQTTLabCrypto

/// The three libcrypto primitives Mosquitto's password hashes need, wrapped once so the rest of the
/// password code never touches pointers.
enum PasswordCrypto {
    /// `count` bytes from OpenSSL's CSPRNG (for salts).
    static func randomBytes(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { throw OpenSSLError.fromQueue("RAND_bytes") }
        return bytes
    }

    /// PBKDF2-HMAC-SHA512 (Mosquitto's `$7$`).
    static func pbkdf2SHA512(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: length)
        let status = password.withUnsafeBytes { passwordBytes in
            PKCS5_PBKDF2_HMAC(passwordBytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(password.count),
                              salt, Int32(salt.count), Int32(iterations), EVP_sha512(), Int32(length), &output)
        }
        guard status == 1 else { throw OpenSSLError.fromQueue("PKCS5_PBKDF2_HMAC") }
        return output
    }

    /// One SHA-512 over `bytes` (Mosquitto 1.6's `$6$` hashes password ‖ salt).
    static func sha512(_ bytes: [UInt8]) throws -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let status = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_sha512(), nil)
        }
        guard status == 1 else { throw OpenSSLError.fromQueue("EVP_Digest") }
        return Array(digest.prefix(Int(length)))
    }

    /// Compares without stopping at the first difference, so the time taken says nothing about how much
    /// of a guess was right.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
