import Foundation
import MQTTCodec
@testable import MQTTLabCLI
import MQTTLabSecurity
import XCTest

/// `mqttlab certs show` on a fixed certificate (made once with
/// `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 3650 -subj "/O=mqttlab classroom/CN=localhost"
/// -addext subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1 …`), at a fixed "now", in both languages.
final class CertsShowTests: XCTestCase {
    static let fixedCertificate = """
        -----BEGIN CERTIFICATE-----
        MIICBzCCAa2gAwIBAgIUN2O3vQw6QI6t4XZG/t+YX/bHOGcwCgYIKoZIzj0EAwIw
        MDEaMBgGA1UECgwRbXF0dGxhYiBjbGFzc3Jvb20xEjAQBgNVBAMMCWxvY2FsaG9z
        dDAeFw0yNjEyMDcyMDI4MTZaFw0zNjEyMDQyMDI4MTZaMDAxGjAYBgNVBAoMEW1x
        dHRsYWIgY2xhc3Nyb29tMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIB
        BggqhkjOPQMBBwNCAASpEtLjvdp6CrKtfb/gfPKAkkleoDNzNT7I06ItJ9oEnWYu
        iIfGyJMxt5wuY4vUg1Vz0Wj9Qzz4zDLVzwO6ZXSto4GkMIGhMB0GA1UdDgQWBBSQ
        1xYiF2L4ruP2YMjRg9elgwy8VDAfBgNVHSMEGDAWgBSQ1xYiF2L4ruP2YMjRg9el
        gwy8VDAsBgNVHREEJTAjgglsb2NhbGhvc3SHBH8AAAGHEAAAAAAAAAAAAAAAAAAA
        AAEwDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCB4AwEwYDVR0lBAwwCgYIKwYB
        BQUHAwEwCgYIKoZIzj0EAwIDSAAwRQIhANrDQdWnWlzeUykW5wwzZ/h68bSRO8iU
        6cXpzkGuuhXSAiAMU5+ZV+Uk4o4+w1GHOg3CK4c+hj8WWfb/aZge9FjORQ==
        -----END CERTIFICATE-----

        """

    /// From `openssl x509 -noout -fingerprint -sha256`.
    static let fingerprint = "26:CD:49:85:29:6A:B4:9F:66:AF:B6:7D:D6:71:77:3D:27:34:E0:27:68:5C:11:FD:1E:AE:7A:25:9E:5D:5C:3D"

    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("certs-show-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.fixedCertificate.write(to: folder.appendingPathComponent("fixed.crt"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func explain(_ language: Language, now: String = "2030-01-01T00:00:00Z") throws -> String {
        let summary = try CertificateSummary(contentsOf: folder.appendingPathComponent("fixed.crt").path)
        let date = try XCTUnwrap(ISO8601DateFormatter().date(from: now))
        return CertificateExplanation.text(file: "fixed.crt", summary: summary, now: date, language: language)
    }

    func testShowInEnglish() throws {
        XCTAssertEqual(try explain(.en), """
            Certificate fixed.crt (X.509 v3)
              Subject (whom it names):     O=mqttlab classroom, CN=localhost
              Issuer (who signed it):      O=mqttlab classroom, CN=localhost
              Valid:                       from 2026-12-07 20:28:16 UTC to 2036-12-04 20:28:16 UTC: valid now
              Names (subjectAltName):      DNS localhost, IP 127.0.0.1, IP ::1
              Public key:                  EC prime256v1, 256 bits
              Certificate authority:       no, an end certificate (a server or a client): it cannot sign others
              Key usage:                   digitalSignature
              Extended key usage:          serverAuth (a TLS server, e.g. the broker)
              SHA-256 fingerprint:         \(Self.fingerprint)

            A client trusts the broker when the broker's certificate was signed by a CA it trusts (--cafile), is valid now,
            and lists the host name or IP address the client connected to.
            """)
    }

    func testShowInSpanish() throws {
        XCTAssertEqual(try explain(.es), """
            Certificado fixed.crt (X.509 v3)
              Sujeto (a quién nombra):     O=mqttlab classroom, CN=localhost
              Emisor (quién lo firmó):     O=mqttlab classroom, CN=localhost
              Validez:                     desde 2026-12-07 20:28:16 UTC hasta 2036-12-04 20:28:16 UTC: válido ahora
              Nombres (subjectAltName):    DNS localhost, IP 127.0.0.1, IP ::1
              Clave pública:               EC prime256v1, 256 bits
              Autoridad de certificación:  no, un certificado final (de servidor o de cliente): no puede firmar otros
              Uso de la clave:             digitalSignature
              Uso extendido:               serverAuth (un servidor TLS, p. ej. el broker)
              Huella SHA-256:              \(Self.fingerprint)

            Un cliente confía en el broker si su certificado lo firmó una CA en la que confía (--cafile), es válido ahora
            y contiene el nombre o la dirección IP a la que se conectó.
            """)
    }

    func testValidityIsJudgedAgainstNow() throws {
        XCTAssertTrue(try explain(.en, now: "2040-01-01T00:00:00Z").contains("20:28:16 UTC: EXPIRED"))
        XCTAssertTrue(try explain(.en, now: "2026-01-01T00:00:00Z").contains("20:28:16 UTC: NOT valid yet"))
        XCTAssertTrue(try explain(.es, now: "2040-01-01T00:00:00Z").contains("20:28:16 UTC: CADUCADO"))
    }

    func testTheCAOfInitIsExplainedAsARootCA() throws {
        let ca = TeachingCA(directory: folder.appendingPathComponent("ca").path)
        try ca.initialize()
        let text = CertificateExplanation.text(file: "ca.crt", summary: try CertificateSummary(contentsOf: ca.caCertificatePath),
                                               now: Date(), language: .en)
        XCTAssertTrue(text.contains("Certificate authority:       yes, a root CA (self-signed)"), text)
        XCTAssertTrue(text.contains("Key usage:                   keyCertSign, cRLSign"), text)
        XCTAssertTrue(text.contains(": valid now"), text)
        XCTAssertTrue(text.contains("Names (subjectAltName):      none"), text)
    }
}
