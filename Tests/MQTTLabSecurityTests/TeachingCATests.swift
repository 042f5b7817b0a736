import Foundation
@testable import MQTTLabSecurity
import XCTest

final class TeachingCATests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("certs-\(UUID().uuidString.prefix(8))")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func mode(_ path: String) throws -> Int {
        try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    func testInitMakesAChainOpenSSLVerifiesWithTheLocalNames() throws {
        let ca = TeachingCA(directory: folder.appendingPathComponent("nested/certs").path)
        let written = try ca.initialize()
        XCTAssertEqual(written.map { ($0 as NSString).lastPathComponent }, ["ca.key", "ca.crt", "server.key", "server.crt"])

        let verify = try OpenSSLCommandLine.run(["verify", "-CAfile", ca.caCertificatePath, ca.serverCertificatePath])
        XCTAssertEqual(verify.status, 0, verify.output)
        XCTAssertTrue(verify.output.contains("server.crt: OK"), verify.output)

        let text = try OpenSSLCommandLine.run(["x509", "-noout", "-text", "-in", ca.serverCertificatePath]).output
        XCTAssertTrue(text.contains("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"), text)
        XCTAssertTrue(text.contains("Version: 3 (0x2)"), text)
        XCTAssertTrue(text.contains("CA:FALSE"), text)
        XCTAssertTrue(text.contains("TLS Web Server Authentication"), text)
        XCTAssertTrue(text.contains("X509v3 Subject Key Identifier"), text)
        XCTAssertTrue(text.contains("X509v3 Authority Key Identifier"), text)
        XCTAssertTrue(text.contains("ASN1 OID: prime256v1"), text)

        let caText = try OpenSSLCommandLine.run(["x509", "-noout", "-text", "-in", ca.caCertificatePath]).output
        XCTAssertTrue(caText.contains("CA:TRUE"), caText)
        XCTAssertTrue(caText.contains("Certificate Sign, CRL Sign"), caText)

        // The private keys parse, and belong to their certificates.
        for (key, certificate) in [(ca.caKeyPath, ca.caCertificatePath), (ca.serverKeyPath, ca.serverCertificatePath)] {
            let fromKey = try OpenSSLCommandLine.run(["pkey", "-in", key, "-pubout"])
            let fromCertificate = try OpenSSLCommandLine.run(["x509", "-in", certificate, "-noout", "-pubkey"])
            XCTAssertEqual(fromKey.status, 0, fromKey.output)
            XCTAssertEqual(fromKey.output, fromCertificate.output)
        }
    }

    func testKeysArePrivateAndCertificatesReadable() throws {
        let ca = TeachingCA(directory: folder.path)
        try ca.initialize()
        let client = try ca.issueClient(name: "alumno1")
        for key in [ca.caKeyPath, ca.serverKeyPath, client.key] { XCTAssertEqual(try mode(key), 0o600, key) }
        for certificate in [ca.caCertificatePath, ca.serverCertificatePath, client.certificate] {
            XCTAssertEqual(try mode(certificate), 0o644, certificate)
        }
        // No temp files are left behind by the atomic writes.
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertEqual(names, ["alumno1.crt", "alumno1.key", "ca.crt", "ca.key", "server.crt", "server.key"])
    }

    func testValidityAndSerialsFollowThePolicy() throws {
        let ca = TeachingCA(directory: folder.path)
        try ca.initialize()
        let authority = try CertificateSummary(contentsOf: ca.caCertificatePath)
        let server = try CertificateSummary(contentsOf: ca.serverCertificatePath)
        XCTAssertEqual(authority.notAfter.timeIntervalSince(authority.notBefore), Double(5 * 365 + 1) * 86400, accuracy: 2)
        XCTAssertEqual(server.notAfter.timeIntervalSince(server.notBefore), 825 * 86400, accuracy: 2)
        XCTAssertTrue(server.isValid(at: Date()))
        XCTAssertTrue(authority.isCertificateAuthority)
        XCTAssertTrue(authority.isSelfSigned)
        XCTAssertFalse(server.isCertificateAuthority)
        XCTAssertEqual(server.issuer, authority.subject)
        XCTAssertEqual(authority.keyType, "EC")
        XCTAssertEqual(authority.curve, "prime256v1")
        XCTAssertEqual(authority.keyBits, 256)
        XCTAssertEqual(server.alternativeNames, SubjectAltName.localDefaults)
        XCTAssertEqual(server.keyUsage, [.digitalSignature])
        XCTAssertEqual(server.extendedKeyUsage, [.serverAuth])
        XCTAssertEqual(authority.keyUsage, [.keyCertSign, .cRLSign])

        let serials = try [ca.caCertificatePath, ca.serverCertificatePath].map {
            try OpenSSLCommandLine.run(["x509", "-noout", "-serial", "-in", $0]).output
        }
        XCTAssertNotEqual(serials[0], serials[1])
        let other = TeachingCA(directory: folder.appendingPathComponent("other").path)
        try other.initialize()
        XCTAssertNotEqual(try OpenSSLCommandLine.run(["x509", "-noout", "-serial", "-in", other.caCertificatePath]).output, serials[0])
    }

    func testExtraHostsBecomeDNSAndIPEntries() throws {
        let ca = TeachingCA(directory: folder.path)
        try ca.initialize(extraHosts: [try SubjectAltName(host: "Aula3-PC07.local"), try SubjectAltName(host: "192.168.1.20"),
                                       try SubjectAltName(host: "localhost")])
        let summary = try CertificateSummary(contentsOf: ca.serverCertificatePath)
        XCTAssertEqual(summary.alternativeNames, SubjectAltName.localDefaults + [.dns("aula3-pc07.local"), .ip("192.168.1.20")])
        let text = try OpenSSLCommandLine.run(["x509", "-noout", "-ext", "subjectAltName", "-in", ca.serverCertificatePath]).output
        XCTAssertTrue(text.contains("DNS:aula3-pc07.local, IP Address:192.168.1.20"), text)
    }

    func testBadHostsAndClientNamesAreRefused() {
        for host in ["", "a,b", "DNS:x", "-x", "a..b", "aula 3"] {
            XCTAssertThrowsError(try SubjectAltName(host: host), host) { XCTAssertEqual($0 as? CertificateError, .invalidHost(host)) }
        }
        XCTAssertEqual(try SubjectAltName(host: "fe80::1"), .ip("fe80::1"))
        for name in ["", "../x", ".hidden", "ca", "server", "a/b", String(repeating: "x", count: 65)] {
            XCTAssertThrowsError(try TeachingCA.validateClientName(name), name)
        }
    }

    func testAnExistingCAIsKeptUnlessForced() throws {
        let ca = TeachingCA(directory: folder.path)
        try ca.initialize()
        let before = try Data(contentsOf: URL(fileURLWithPath: ca.caCertificatePath))
        XCTAssertThrowsError(try ca.initialize()) { XCTAssertEqual($0 as? CertificateError, .caAlreadyExists(path: ca.caKeyPath)) }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: ca.caCertificatePath)), before)
        try ca.initialize(force: true)
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: ca.caCertificatePath)), before)
        XCTAssertEqual(try mode(ca.caKeyPath), 0o600)
    }

    func testClientCertificateIsSignedByTheCAForClientAuth() throws {
        let ca = TeachingCA(directory: folder.path)
        try ca.initialize()
        let client = try ca.issueClient(name: "alumno1")
        let verify = try OpenSSLCommandLine.run(["verify", "-CAfile", ca.caCertificatePath, "-purpose", "sslclient", client.certificate])
        XCTAssertEqual(verify.status, 0, verify.output)
        let summary = try CertificateSummary(contentsOf: client.certificate)
        XCTAssertEqual(summary.subject, "O=mqttlab classroom, CN=alumno1")
        XCTAssertEqual(summary.extendedKeyUsage, [.clientAuth])
        XCTAssertEqual(summary.keyUsage, [.digitalSignature])
        XCTAssertFalse(summary.isCertificateAuthority)
        // The server certificate is not a client certificate.
        let asClient = try OpenSSLCommandLine.run(["verify", "-CAfile", ca.caCertificatePath, "-purpose", "sslclient", ca.serverCertificatePath])
        XCTAssertNotEqual(asClient.status, 0, asClient.output)
    }

    func testAClientNeedsAnExistingCA() {
        let ca = TeachingCA(directory: folder.path)
        XCTAssertThrowsError(try ca.issueClient(name: "alumno1")) { XCTAssertEqual($0 as? CertificateError, .missingFile(path: ca.caKeyPath)) }
    }

    func testMissingAndMalformedFilesAreNamed() throws {
        let missing = folder.appendingPathComponent("nope.crt").path
        XCTAssertThrowsError(try CertificateSummary(contentsOf: missing)) { XCTAssertEqual($0 as? CertificateError, .missingFile(path: missing)) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let garbage = folder.appendingPathComponent("garbage.crt")
        try Data("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".utf8).write(to: garbage)
        XCTAssertThrowsError(try CertificateSummary(contentsOf: garbage.path)) {
            XCTAssertEqual($0 as? CertificateError, .notACertificate(path: garbage.path))
        }
    }

    func testDERCertificatesAreReadToo() throws {
        let ca = TeachingCA(directory: folder.path)
        try ca.initialize()
        let der = folder.appendingPathComponent("server.der").path
        let converted = try OpenSSLCommandLine.run(["x509", "-in", ca.serverCertificatePath, "-outform", "DER", "-out", der])
        XCTAssertEqual(converted.status, 0, converted.output)
        XCTAssertEqual(try CertificateSummary(contentsOf: der), try CertificateSummary(contentsOf: ca.serverCertificatePath))
        let fingerprint = try OpenSSLCommandLine.run(["x509", "-noout", "-fingerprint", "-sha256", "-in", ca.serverCertificatePath]).output
        XCTAssertTrue(fingerprint.contains(try CertificateSummary(contentsOf: der).sha256Fingerprint), fingerprint)
    }
}
