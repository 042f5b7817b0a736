import Foundation
import XCTest

/// `--cafile`, `--capath`, `--cert`, `--key` and `--insecure` against a TLS-enabled Mosquitto, with a CA the
/// test makes: what works and what fails, with the status and message mosquitto_pub gives.
final class TLSTests: ClientInteropTestCase {
    private func certificates() throws -> TestCertificates {
        try TestCertificates(directory: try directory()) { executable, arguments in
            try InteropProcess.run(executable, arguments, label: label("openssl"), directory: try directory(), timeout: 30)
        }
    }

    func testServerAuthenticationHostNamesAndInsecure() throws {
        let certs = try certificates()
        let port = try start(.mosquitto, extraConfig: ["certfile \(certs.serverCertificate.path)", "keyfile \(certs.serverKey.path)"])
        for v5 in [false, true] {
            let base = ["-p", "\(port)", "-t", "tls/a", "-m", "x", "-q", "1"] + Self.versionFlag(v5)
            // The right CA and the certificate's own name: accepted.
            let good = try lab(["pub", "-h", "localhost", "--cafile", certs.caFile.path] + base)
            XCTAssertEqual(good.status, 0, good.stderr)
            // The certificate names localhost, not 127.0.0.1: refused, unless --insecure.
            let mismatch = try lab(["pub", "-h", "127.0.0.1", "--cafile", certs.caFile.path] + base)
            XCTAssertEqual(mismatch.status, 1, "a failed connection, as mosquitto_pub: \(mismatch.stderr)")
            XCTAssertEqual(mismatch.stderr, "Unable to connect (A TLS error occurred.).\n")
            let insecure = try lab(["pub", "-h", "127.0.0.1", "--cafile", certs.caFile.path, "--insecure"] + base)
            XCTAssertEqual(insecure.status, 0, insecure.stderr)
            // A CA that did not sign the broker's certificate: refused, as mosquitto_pub refuses it.
            let wrongCA = try lab(["pub", "-h", "localhost", "--cafile", certs.otherCAFile.path] + base)
            let reference = try mosquitto("mosquitto_pub", ["-h", "localhost", "--cafile", certs.otherCAFile.path] + base)
            // mosquitto_pub 2.0 reports a failed handshake in one of two ways, depending on when it notices:
            // "Unable to connect (…)" with status 1, or "Error: A TLS error occurred." with 8 (MOSQ_ERR_TLS).
            // mqttlab always notices it while connecting, so it always gives the first.
            XCTAssertTrue([1, 8].contains(reference.status), reference.stderr)
            XCTAssertEqual(wrongCA.status, 1)
            XCTAssertEqual(wrongCA.stderr, "Unable to connect (A TLS error occurred.).\n")
            // --capath: a folder of CA files named by their hash, as OpenSSL looks them up.
            let folder = try directory().appendingPathComponent("capath")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let hash = try InteropProcess.run(try XCTUnwrap(InteropTools.find("openssl")), ["x509", "-hash", "-noout", "-in", certs.caFile.path],
                                              label: label("hash"), directory: try directory(), timeout: 10)
            let hashed = folder.appendingPathComponent(hash.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) + ".0")
            if !FileManager.default.fileExists(atPath: hashed.path) { try FileManager.default.copyItem(at: certs.caFile, to: hashed) }
            let capath = try lab(["pub", "-h", "localhost", "--capath", folder.path] + base)
            XCTAssertEqual(capath.status, 0, capath.stderr)
        }
    }

    func testClientCertificateIsRequiredAndAccepted() throws {
        let certs = try certificates()
        let port = try start(.mosquitto, extraConfig: [
            "certfile \(certs.serverCertificate.path)", "keyfile \(certs.serverKey.path)", "cafile \(certs.caFile.path)",
            "require_certificate true", "use_identity_as_username true",
        ])
        let base = ["-h", "localhost", "-p", "\(port)", "--cafile", certs.caFile.path]
        let identity = ["--cert", certs.clientCertificate.path, "--key", certs.clientKey.path]
        let withCertificate = try lab(["pub"] + base + identity + ["-t", "tls/b", "-m", "x"])
        XCTAssertEqual(withCertificate.status, 0, withCertificate.stderr)
        let without = try lab(["pub"] + base + ["-t", "tls/b", "-m", "x"])
        XCTAssertNotEqual(without.status, 0, "the broker requires a client certificate")
        // A subscriber over TLS gets what a publisher sends over TLS.
        let sub = try backgroundSubscriber(try mqttlab(), ["sub"] + base + identity + ["-t", "tls/#", "-C", "1", "-v"])
        XCTAssertEqual(try lab(["pub"] + base + identity + ["-t", "tls/b", "-m", "seguro"]).status, 0)
        XCTAssertTrue(sub.waitForExit(timeout: 10))
        XCTAssertEqual(Self.messageOutput(sub), "tls/b seguro\n")
    }
}
