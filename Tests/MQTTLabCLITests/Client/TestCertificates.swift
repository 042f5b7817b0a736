import Foundation
import XCTest

/// A certificate authority made for one test with the `openssl` command line: the CA, a broker
/// certificate for `localhost` (no IP address in it, so `-h 127.0.0.1` is a host name mismatch), a
/// client certificate, and a second CA that signed nothing the broker uses.
struct TestCertificates {
    let caFile: URL
    let otherCAFile: URL
    let serverCertificate: URL
    let serverKey: URL
    let clientCertificate: URL
    let clientKey: URL

    init(directory: URL, run: (URL, [String]) throws -> InteropProcess.Outcome) throws {
        guard let tool = InteropTools.find("openssl") else { throw XCTSkip("TLS tests need the openssl command line") }
        func path(_ name: String) -> URL { directory.appendingPathComponent(name) }
        func openssl(_ arguments: [String]) throws {
            let outcome = try run(tool, arguments)
            guard outcome.status == 0 else { throw InteropError("openssl \(arguments.joined(separator: " ")) failed: \(outcome.stderr)") }
        }
        for ca in ["ca", "other-ca"] {
            try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("\(ca).key").path, "-out", path("\(ca).crt").path,
                         "-days", "2", "-subj", "/CN=mqttlab \(ca)"])
        }
        try "subjectAltName=DNS:localhost\n".write(to: path("server.ext"), atomically: true, encoding: .utf8)
        for (name, subject, extensions) in [("server", "/CN=localhost", ["-extfile", path("server.ext").path]), ("client", "/CN=student1", [])] {
            try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", path("\(name).key").path, "-out", path("\(name).csr").path, "-subj", subject])
            try openssl(["x509", "-req", "-in", path("\(name).csr").path, "-CA", path("ca.crt").path, "-CAkey", path("ca.key").path,
                         "-CAcreateserial", "-out", path("\(name).crt").path, "-days", "2"] + extensions)
        }
        for file in ["ca.crt", "server.crt", "server.key", "client.crt", "client.key", "other-ca.crt"] {
            try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path(file).path)
        }
        caFile = path("ca.crt")
        otherCAFile = path("other-ca.crt")
        serverCertificate = path("server.crt")
        serverKey = path("server.key")
        clientCertificate = path("client.crt")
        clientKey = path("client.key")
    }
}
