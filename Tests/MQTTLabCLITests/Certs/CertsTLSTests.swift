import Foundation
import XCTest

/// `mqttlab certs init` / `client` end to end: the files they write configure a real Mosquitto TLS listener,
/// and mosquitto_pub and `openssl s_client` trust it by name and by IP address.
final class CertsTLSTests: ClientInteropTestCase {
    private func certsFolder() throws -> URL { try directory().appendingPathComponent("certs") }

    private func initialize(_ extra: [String] = []) throws -> URL {
        let folder = try certsFolder()
        let made = try lab(["certs", "init", folder.path, "--lang", "en"] + extra)
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertTrue(made.stdoutText.contains("server.crt   the broker's certificate, valid for DNS localhost, IP 127.0.0.1, IP ::1"),
                      made.stdoutText)
        return folder
    }

    private func tlsListener(_ folder: URL, requireCertificate: Bool = false) throws -> Int {
        var config = ["cafile \(folder.appendingPathComponent("ca.crt").path)", "certfile \(folder.appendingPathComponent("server.crt").path)",
                      "keyfile \(folder.appendingPathComponent("server.key").path)"]
        if requireCertificate { config.append("require_certificate true") }
        return try start(.mosquitto, extraConfig: config)
    }

    func testMosquittoServesTheCertificateByNameAndAddress() throws {
        let folder = try initialize()
        let port = try tlsListener(folder)
        let ca = folder.appendingPathComponent("ca.crt").path
        for host in ["localhost", "127.0.0.1"] {
            let published = try mosquitto("mosquitto_pub", ["--cafile", ca, "-h", host, "-p", "\(port)", "-t", "certs/a", "-m", "hola"])
            XCTAssertEqual(published.status, 0, "mosquitto_pub -h \(host): \(published.stderr)")
        }
        let handshake = try mosquitto("openssl", ["s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", ca, "-verify_return_error",
                                                  "-verify_ip", "127.0.0.1"], stdin: "")
        XCTAssertEqual(handshake.status, 0, handshake.stderr)
        XCTAssertTrue(handshake.stdoutText.contains("Verify return code: 0 (ok)"), handshake.stdoutText)

        // A CA that did not sign the broker's certificate is not trusted.
        let other = try directory().appendingPathComponent("other")
        XCTAssertEqual(try lab(["certs", "init", other.path]).status, 0)
        let refused = try mosquitto("mosquitto_pub", ["--cafile", other.appendingPathComponent("ca.crt").path, "-h", "localhost",
                                                      "-p", "\(port)", "-t", "certs/a", "-m", "hola"])
        XCTAssertNotEqual(refused.status, 0, "a certificate from another CA must be refused")
        let refusedHandshake = try mosquitto("openssl", ["s_client", "-connect", "127.0.0.1:\(port)", "-CAfile",
                                                         other.appendingPathComponent("ca.crt").path, "-verify_return_error"], stdin: "")
        XCTAssertNotEqual(refusedHandshake.status, 0, refusedHandshake.stdoutText)
    }

    func testAClassroomHostIsAddedToTheCertificate() throws {
        let folder = try initialize(["--host", "aula3-pc07", "--host", "10.0.0.7"])
        let text = try mosquitto("openssl", ["x509", "-noout", "-text", "-in", folder.appendingPathComponent("server.crt").path])
        XCTAssertTrue(text.stdoutText.contains("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:aula3-pc07, IP Address:10.0.0.7"),
                      text.stdoutText)
        let verify = try mosquitto("openssl", ["verify", "-CAfile", folder.appendingPathComponent("ca.crt").path,
                                               folder.appendingPathComponent("server.crt").path])
        XCTAssertEqual(verify.status, 0, verify.stdoutText + verify.stderr)
    }

    func testRequiredClientCertificatesFromCertsClient() throws {
        let folder = try initialize()
        let issued = try lab(["certs", "client", "alumno1", "--dir", folder.path, "--lang", "es"])
        XCTAssertEqual(issued.status, 0, issued.stderr)
        XCTAssertTrue(issued.stdoutText.hasPrefix("Creados \(folder.appendingPathComponent("alumno1.crt").path) (CN=alumno1"), issued.stdoutText)
        let ca = folder.appendingPathComponent("ca.crt").path
        let verify = try mosquitto("openssl", ["verify", "-CAfile", ca, folder.appendingPathComponent("alumno1.crt").path])
        XCTAssertEqual(verify.status, 0, verify.stdoutText + verify.stderr)
        let mode = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("alumno1.key").path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)

        let port = try tlsListener(folder, requireCertificate: true)
        let base = ["--cafile", ca, "-h", "localhost", "-p", "\(port)", "-t", "certs/b", "-m", "x"]
        let identity = ["--cert", folder.appendingPathComponent("alumno1.crt").path, "--key", folder.appendingPathComponent("alumno1.key").path]
        let accepted = try mosquitto("mosquitto_pub", base + identity)
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        let refused = try mosquitto("mosquitto_pub", base)
        XCTAssertNotEqual(refused.status, 0, "without a client certificate the broker must refuse")

        // A client certificate from another CA is refused too.
        let other = try directory().appendingPathComponent("other")
        XCTAssertEqual(try lab(["certs", "init", other.path]).status, 0)
        XCTAssertEqual(try lab(["certs", "client", "intruso", "--dir", other.path]).status, 0)
        let foreign = try mosquitto("mosquitto_pub", base + ["--cert", other.appendingPathComponent("intruso.crt").path,
                                                             "--key", other.appendingPathComponent("intruso.key").path])
        XCTAssertNotEqual(foreign.status, 0, "a client certificate signed by another CA must be refused")
    }

    func testInitKeepsAnExistingCAUnlessForced() throws {
        let folder = try initialize()
        let again = try lab(["certs", "init", folder.path, "--lang", "en"])
        XCTAssertEqual(again.status, 73)
        XCTAssertEqual(again.stderr, "mqttlab certs: \(folder.appendingPathComponent("ca.key").path): a CA already exists here; "
                       + "replacing it makes every certificate it signed untrusted (use --force to do it anyway)\n")
        XCTAssertEqual(try lab(["certs", "init", folder.path, "--force"]).status, 0)
    }

    func testDefaultFolderIsUnderMQTTLAB_HOME() throws {
        let home = try directory().appendingPathComponent("home")
        let made = try InteropProcess.run(try mqttlab(), ["certs", "init", "--lang", "en"], label: label("init"), directory: try directory(),
                                          timeout: 15, environment: ["MQTTLAB_HOME": home.path, "PATH": "/usr/bin:/bin"])
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: home.appendingPathComponent("certs/server.crt").path))
        let issued = try InteropProcess.run(try mqttlab(), ["certs", "client", "alumno2"], label: label("client"), directory: try directory(),
                                            timeout: 15, environment: ["MQTTLAB_HOME": home.path, "PATH": "/usr/bin:/bin"])
        XCTAssertEqual(issued.status, 0, issued.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: home.appendingPathComponent("certs/alumno2.crt").path))
    }

    func testShowErrorsNameTheFile() throws {
        let missing = try directory().appendingPathComponent("nope.crt").path
        let absent = try lab(["certs", "show", missing, "--lang", "es"])
        XCTAssertEqual(absent.status, 66)
        XCTAssertEqual(absent.stderr, "mqttlab certs: \(missing): no existe el fichero\n")
        let garbage = try directory().appendingPathComponent("garbage.crt")
        try "hello\n".write(to: garbage, atomically: true, encoding: .utf8)
        let malformed = try lab(["certs", "show", garbage.path, "--lang", "en"])
        XCTAssertEqual(malformed.status, 65)
        XCTAssertEqual(malformed.stderr, "mqttlab certs: \(garbage.path): this file is not a certificate "
                       + "(expected PEM, '-----BEGIN CERTIFICATE-----', or DER)\n")
        let badHost = try lab(["certs", "init", try directory().appendingPathComponent("x").path, "--host", "a,b", "--lang", "en"])
        XCTAssertEqual(badHost.status, 64)
        XCTAssertEqual(badHost.stderr, "mqttlab certs: --host a,b: not a host name or an IP address\n")
    }

    func testShowOfTheServerCertificate() throws {
        let folder = try initialize()
        let shown = try lab(["certs", "show", folder.appendingPathComponent("server.crt").path, "--lang", "en"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdoutText.contains("Names (subjectAltName):      DNS localhost, IP 127.0.0.1, IP ::1"), shown.stdoutText)
        XCTAssertTrue(shown.stdoutText.contains("Issuer (who signed it):      O=mqttlab classroom, CN=mqttlab teaching CA"), shown.stdoutText)
        XCTAssertFalse(shown.stdoutText.contains("PRIVATE KEY"))
    }
}
