import Foundation
import MQTTLabSecurity
import XCTest

/// mqttlab's broker with a TLS listener, driven by real peers: mosquitto_pub/mosquitto_sub and
/// `openssl s_client`, with certificates from `mqttlab certs` (and the openssl-made `TestCertificates`
/// where a certificate must lack the IP address). Every refusal must also be explained in `--trace-json`.
final class BrokerTLSTests: ClientInteropTestCase {
    /// A broker with a plain listener and a TLS one, both on free ports.
    struct TLSBroker {
        let process: MQTTLabBrokerProcess
        let plainPort: Int
        let tlsPort: Int
        let traceJSON: URL

        /// The `--trace-json` events named `event`.
        func events(_ event: String) -> [[String: Any]] {
            lines().filter { $0["event"] as? String == event }
        }

        /// The `--trace-json` packet lines of one type ("CONNECT").
        func packets(_ type: String) -> [[String: Any]] {
            lines().filter { $0["kind"] as? String == "packet" && $0["type"] as? String == type }
        }

        private func lines() -> [[String: Any]] {
            let text = (try? String(contentsOf: traceJSON, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            }
        }

        /// Waits (≤ 10 s) for an event named `event` to satisfy `condition`.
        func waitForEvent(_ event: String, _ condition: ([String: Any]) -> Bool = { _ in true }) -> [String: Any]? {
            var found: [String: Any]?
            _ = BrokerTLSTests.poll(timeout: 10) {
                found = events(event).first(where: condition)
                return found != nil
            }
            return found
        }
    }

    private func makeCertificates(_ name: String = "certs", clients: [String] = []) throws -> URL {
        let folder = try directory().appendingPathComponent(name)
        let made = try lab(["certs", "init", folder.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        for client in clients {
            XCTAssertEqual(try lab(["certs", "client", client, "--dir", folder.path]).status, 0)
        }
        return folder
    }

    private func startTLSBroker(certificate: URL, key: URL, extra: [String] = [], command: String = "broker") throws -> TLSBroker {
        _ = try tool("mosquitto_pub")
        let traceJSON = try directory().appendingPathComponent(label("trace") + ".jsonl")
        let process = try MQTTLabBrokerProcess(
            executable: try mqttlab(),
            arguments: [command, "-p", "0", "--lang", "en", "--trace-json", traceJSON.path, "--tls-port", "0",
                        "--certfile", certificate.path, "--keyfile", key.path] + extra + (command == "broker" ? ["--trace", "off"] : []),
            directory: try directory(), label: label("tls-broker"))
        retain(process)
        guard let tlsPort = Self.tlsPort(inBanner: process.banner) else {
            throw InteropError("no TLS listener in the banner: \(process.banner)")
        }
        return TLSBroker(process: process, plainPort: process.port, tlsPort: tlsPort, traceJSON: traceJSON)
    }

    private var started: [MQTTLabBrokerProcess] = []
    private func retain(_ process: MQTTLabBrokerProcess) { started.append(process) }

    override func tearDown() {
        for process in started { process.stop() }
        started.removeAll()
        super.tearDown()
    }

    /// Polls `condition` every 50 ms for up to `timeout` seconds.
    static func poll(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    static func tlsPort(inBanner banner: String) -> Int? {
        guard let regex = try? NSRegularExpression(pattern: #"127\.0\.0\.1:(\d+) \(TLS\)"#),
              let match = regex.firstMatch(in: banner, range: NSRange(banner.startIndex..., in: banner)),
              let range = Range(match.range(at: 1), in: banner) else { return nil }
        return Int(banner[range])
    }

    // MARK: Server authentication

    func testMosquittoClientsAndOpenSSLTrustTheTeachingCA() throws {
        let certs = try makeCertificates()
        let ca = certs.appendingPathComponent("ca.crt").path
        let broker = try startTLSBroker(certificate: certs.appendingPathComponent("server.crt"), key: certs.appendingPathComponent("server.key"))
        let subscriber = try backgroundSubscriber(try tool("mosquitto_sub"), ["-h", "localhost", "-p", "\(broker.tlsPort)", "--cafile", ca,
                                                                             "-t", "tls/#", "-v", "-i", "tls-sub"])
        let published = try mosquitto("mosquitto_pub", ["-h", "localhost", "-p", "\(broker.tlsPort)", "--cafile", ca,
                                                         "-t", "tls/luz", "-m", "ON", "-q", "1", "-i", "tls-pub"])
        XCTAssertEqual(published.status, 0, published.stderr)
        XCTAssertTrue(subscriber.waitUntil(timeout: 10) { Self.messageOutput(subscriber).contains("tls/luz ON") },
                      Self.messageOutput(subscriber) + broker.process.outputTail())

        // The trace tells the handshake: the ClientHello's clear-text parts, then what was agreed.
        let hello = try XCTUnwrap(broker.waitForEvent("tls_client_hello") { $0["sni"] as? String == "localhost" }, broker.process.outputTail())
        XCTAssertEqual((hello["offered_versions"] as? [String])?.first, "TLS 1.3")
        XCTAssertGreaterThan(hello["cipher_suites"] as? Int ?? 0, 0)
        let done = try XCTUnwrap(broker.waitForEvent("tls_handshake_completed"))
        XCTAssertEqual(done["version"] as? String, "TLS 1.3")
        XCTAssertTrue((done["cipher"] as? String)?.hasPrefix("TLS_") == true, "\(done)")
        XCTAssertTrue((done["server_certificate"] as? String)?.hasSuffix("CN=localhost") == true, "\(done)")
        XCTAssertTrue(done["client_certificate"] is NSNull)
        // …and then the decrypted MQTT packets as usual.
        XCTAssertTrue(Self.poll(timeout: 10) { broker.packets("CONNECT").count >= 2 && broker.packets("PUBLISH").count >= 2 },
                      broker.process.outputTail())

        let handshake = try mosquitto("openssl", ["s_client", "-connect", "127.0.0.1:\(broker.tlsPort)", "-CAfile", ca,
                                                  "-verify_return_error", "-verify_ip", "127.0.0.1"], stdin: "")
        XCTAssertEqual(handshake.status, 0, handshake.stderr)
        XCTAssertTrue(handshake.stdoutText.contains("Verify return code: 0 (ok)"), handshake.stdoutText)
    }

    func testWrongCAExpiredCertificateWrongHostAndOldTLSAreRefused() throws {
        let certs = try makeCertificates()
        let other = try makeCertificates("other")
        let broker = try startTLSBroker(certificate: certs.appendingPathComponent("server.crt"), key: certs.appendingPathComponent("server.key"))
        let base = ["-h", "localhost", "-p", "\(broker.tlsPort)", "-t", "tls/a", "-m", "x"]

        // A CA that did not sign the broker's certificate.
        let wrongCA = try mosquitto("mosquitto_pub", base + ["--cafile", other.appendingPathComponent("ca.crt").path])
        XCTAssertNotEqual(wrongCA.status, 0)
        let refused = try XCTUnwrap(broker.waitForEvent("tls_handshake_failed") { $0["reason"] as? String == "server_certificate_rejected" },
                                    "\(broker.events("tls_handshake_failed"))")
        XCTAssertTrue((refused["explanation"] as? String)?.contains("the broker's certificate") == true, "\(refused)")

        // Plain MQTT to the TLS port: explained, not crashed.
        let plain = try mosquitto("mosquitto_pub", base)
        XCTAssertNotEqual(plain.status, 0)
        XCTAssertNotNil(broker.waitForEvent("tls_handshake_failed") { $0["reason"] as? String == "plain_mqtt_on_tls_port" },
                        "\(broker.events("tls_handshake_failed"))")
        // mqttlab's own client: mosquitto_pub's status and words, then what happened and what to do (it used
        // to report a protocol error about a CONNECT, from the TLS alert's first byte).
        XCTAssertEqual(plain.status, 2, plain.stderr)
        let ours = try lab(["pub"] + base)
        XCTAssertEqual(ours.status, plain.status)
        XCTAssertTrue(ours.stderr.hasPrefix(plain.stderr.trimmingCharacters(in: .newlines)), ours.stderr)
        XCTAssertTrue(ours.stderr.contains("this port expects TLS") && ours.stderr.contains("--cafile"), ours.stderr)
        let spanish = try lab(["pub", "--lang", "es"] + base)
        XCTAssertTrue(spanish.stderr.contains("este puerto espera TLS"), spanish.stderr)

        // TLS 1.1 is refused (OpenSSL's client needs security level 0 to even offer it).
        let old = try mosquitto("openssl", ["s_client", "-connect", "127.0.0.1:\(broker.tlsPort)", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"],
                                stdin: "")
        XCTAssertNotEqual(old.status, 0, old.stdoutText)
        XCTAssertNotNil(broker.waitForEvent("tls_handshake_failed") { $0["reason"] as? String == "version_too_old" },
                        "\(broker.events("tls_handshake_failed"))")

        // The broker is still serving after all of that.
        let good = try mosquitto("mosquitto_pub", base + ["--cafile", certs.appendingPathComponent("ca.crt").path])
        XCTAssertEqual(good.status, 0, good.stderr + broker.process.outputTail())

        // An expired server certificate: the broker warns and serves it; clients refuse it.
        let expired = try directory().appendingPathComponent("expired")
        try TeachingCA(directory: expired.path).initialize(serverValidity: CertificateValidity(startDays: -30, days: 10))
        let stale = try startTLSBroker(certificate: expired.appendingPathComponent("server.crt"), key: expired.appendingPathComponent("server.key"))
        XCTAssertTrue(stale.process.stdout.contains("has expired"), stale.process.stdout)
        let expiredRefused = try mosquitto("mosquitto_pub", ["-h", "localhost", "-p", "\(stale.tlsPort)", "-t", "a", "-m", "x",
                                                             "--cafile", expired.appendingPathComponent("ca.crt").path])
        XCTAssertNotEqual(expiredRefused.status, 0)
        let verify = try mosquitto("openssl", ["s_client", "-connect", "127.0.0.1:\(stale.tlsPort)", "-CAfile",
                                               expired.appendingPathComponent("ca.crt").path, "-verify_return_error"], stdin: "")
        XCTAssertNotEqual(verify.status, 0)
        XCTAssertTrue(verify.stdoutText.contains("certificate has expired") || verify.stderr.contains("certificate has expired"),
                      verify.stdoutText + verify.stderr)

        // A certificate that names only localhost, reached as 127.0.0.1: refused, unless --insecure.
        let named = try TestCertificates(directory: try directory().appendingPathComponent("named", isDirectory: true).creatingDirectory()) { tool, arguments in
            try InteropProcess.run(tool, arguments, label: label("openssl"), directory: try directory(), timeout: 30)
        }
        let byName = try startTLSBroker(certificate: named.serverCertificate, key: named.serverKey)
        let byAddress = ["-h", "127.0.0.1", "-p", "\(byName.tlsPort)", "-t", "a", "-m", "x", "--cafile", named.caFile.path]
        let mismatch = try mosquitto("mosquitto_pub", byAddress)
        XCTAssertNotEqual(mismatch.status, 0, "the host name is not in the certificate")
        let insecure = try mosquitto("mosquitto_pub", byAddress + ["--insecure"])
        XCTAssertEqual(insecure.status, 0, insecure.stderr)
    }

    // MARK: Client certificates

    func testRequiredClientCertificatesAndIdentityAsUserName() throws {
        let certs = try makeCertificates(clients: ["ana"])
        let other = try makeCertificates("other", clients: ["intruso"])
        let ca = certs.appendingPathComponent("ca.crt").path
        // A password file and no anonymous clients: the certificate must be what lets ana in.
        let passwords = try directory().appendingPathComponent("pw.txt")
        XCTAssertEqual(try lab(["passwd", "-c", "-b", passwords.path, "luis", "secreto"]).status, 0)
        let broker = try startTLSBroker(
            certificate: certs.appendingPathComponent("server.crt"), key: certs.appendingPathComponent("server.key"),
            extra: ["--cafile", ca, "--require-certificate", "--use-identity-as-username", "--password-file", passwords.path,
                    "--allow-anonymous", "false"])
        let base = ["-h", "localhost", "-p", "\(broker.tlsPort)", "--cafile", ca, "-t", "tls/b", "-m", "x"]

        let accepted = try mosquitto("mosquitto_pub", base + ["--cert", certs.appendingPathComponent("ana.crt").path,
                                                              "--key", certs.appendingPathComponent("ana.key").path, "-i", "ana-pub"])
        XCTAssertEqual(accepted.status, 0, accepted.stderr + broker.process.outputTail())
        let done = try XCTUnwrap(broker.waitForEvent("tls_handshake_completed") { $0["identity"] as? String == "ana" },
                                 "\(broker.events("tls_handshake_completed"))")
        XCTAssertTrue((done["client_certificate"] as? String)?.hasSuffix("CN=ana") == true, "\(done)")

        let noCertificate = try mosquitto("mosquitto_pub", base)
        XCTAssertNotEqual(noCertificate.status, 0)
        XCTAssertNotNil(broker.waitForEvent("tls_handshake_failed") { $0["reason"] as? String == "no_client_certificate" },
                        "\(broker.events("tls_handshake_failed"))")

        let foreign = try mosquitto("mosquitto_pub", base + ["--cert", other.appendingPathComponent("intruso.crt").path,
                                                             "--key", other.appendingPathComponent("intruso.key").path])
        XCTAssertNotEqual(foreign.status, 0)
        XCTAssertNotNil(broker.waitForEvent("tls_handshake_failed") { $0["reason"] as? String == "client_certificate_rejected" },
                        "\(broker.events("tls_handshake_failed"))")
    }

    /// use_identity_as_username without require_certificate: the broker asks for no certificate, so every
    /// client completes the handshake and is then refused "not authorized", as Mosquitto 2.0 does.
    func testIdentityAsUserNameRefusesAClientWithoutACertificate() throws {
        let certs = try makeCertificates(clients: ["ana"])
        let ca = certs.appendingPathComponent("ca.crt").path
        let broker = try startTLSBroker(certificate: certs.appendingPathComponent("server.crt"), key: certs.appendingPathComponent("server.key"),
                                        extra: ["--cafile", ca, "--use-identity-as-username"])
        let base = ["-h", "localhost", "-p", "\(broker.tlsPort)", "--cafile", ca, "-t", "tls/c", "-m", "x", "-i", "sin-cert"]
        let refused = try mosquitto("mosquitto_pub", base + ["-u", "ana", "-P", "whatever"])
        XCTAssertEqual(refused.status, 5, "CONNACK 5, not authorised: \(refused.stderr)")
        let failure = try XCTUnwrap(broker.waitForEvent("authentication_failed") { $0["failure"] as? String == "no_client_certificate" },
                                    broker.process.outputTail())
        XCTAssertEqual(failure["client"] as? String, "sin-cert")
        // Even with a certificate: it was never asked for.
        let withCertificate = try mosquitto("mosquitto_pub", base + ["--cert", certs.appendingPathComponent("ana.crt").path,
                                                                     "--key", certs.appendingPathComponent("ana.key").path])
        XCTAssertEqual(withCertificate.status, 5, withCertificate.stderr)
        let done = try XCTUnwrap(broker.waitForEvent("tls_handshake_completed"))
        XCTAssertTrue(done["client_certificate"] is NSNull, "\(done)")
    }

    /// Mosquitto's way: the TLS keys under the listener they belong to, in a `-c` file.
    func testATLSListenerFromAConfigurationFile() throws {
        let certs = try makeCertificates(clients: ["ana"])
        let plainPort = try InteropTools.freePort()
        var tlsPort = try InteropTools.freePort()
        while tlsPort == plainPort { tlsPort = try InteropTools.freePort() }
        let config = try directory().appendingPathComponent("tls.conf")
        try """
            listener \(plainPort) 127.0.0.1
            listener \(tlsPort) 127.0.0.1
            cafile \(certs.appendingPathComponent("ca.crt").path)
            certfile \(certs.appendingPathComponent("server.crt").path)
            keyfile \(certs.appendingPathComponent("server.key").path)
            require_certificate true
            tls_version tlsv1.3

            """.write(to: config, atomically: true, encoding: .utf8)
        let broker = try MQTTLabBrokerProcess(executable: try mqttlab(), arguments: ["broker", "-c", config.path, "--trace", "off", "--lang", "en"],
                                              directory: try directory(), label: label("conf-broker"))
        retain(broker)
        XCTAssertTrue(broker.banner.contains("127.0.0.1:\(plainPort), 127.0.0.1:\(tlsPort) (TLS)"), broker.banner)
        let ca = certs.appendingPathComponent("ca.crt").path
        let identity = ["--cert", certs.appendingPathComponent("ana.crt").path, "--key", certs.appendingPathComponent("ana.key").path]
        let tls13 = try mosquitto("mosquitto_pub", ["-h", "localhost", "-p", "\(tlsPort)", "--cafile", ca, "-t", "c/a", "-m", "x"] + identity)
        XCTAssertEqual(tls13.status, 0, tls13.stderr + broker.outputTail())
        // tls_version tlsv1.3 is a minimum: a client limited to TLS 1.2 is refused.
        // (mosquitto_pub's --tls-version is a minimum too, so openssl s_client -tls1_2 plays that client.)
        let tls12 = try mosquitto("openssl", ["s_client", "-connect", "127.0.0.1:\(tlsPort)", "-tls1_2", "-CAfile", ca,
                                              "-cert", identity[1], "-key", identity[3]], stdin: "")
        XCTAssertNotEqual(tls12.status, 0, "TLS 1.2 is below this listener's tls_version: \(tls12.stdoutText)")
        let tls13Handshake = try mosquitto("openssl", ["s_client", "-connect", "127.0.0.1:\(tlsPort)", "-tls1_3", "-CAfile", ca,
                                                       "-cert", identity[1], "-key", identity[3], "-verify_return_error"], stdin: "")
        XCTAssertEqual(tls13Handshake.status, 0, tls13Handshake.stdoutText)
        // The first listener is still plain.
        let plain = try mosquitto("mosquitto_pub", ["-h", "127.0.0.1", "-p", "\(plainPort)", "-t", "c/a", "-m", "x"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
    }

    // MARK: Bad files

    func testMissingAndMismatchedFilesStopTheStartWithThePath() throws {
        let certs = try makeCertificates()
        let missing = certs.appendingPathComponent("nope.crt").path
        let absent = try lab(["broker", "-p", "0", "--lang", "en", "--tls-port", "0", "--certfile", missing,
                              "--keyfile", certs.appendingPathComponent("server.key").path])
        XCTAssertEqual(absent.status, 78)
        XCTAssertTrue(absent.stderr.contains("certfile \(missing): no such file"), absent.stderr)

        let swapped = try lab(["broker", "-p", "0", "--lang", "es", "--tls-port", "0",
                               "--certfile", certs.appendingPathComponent("server.crt").path, "--keyfile", certs.appendingPathComponent("ca.key").path])
        XCTAssertEqual(swapped.status, 78)
        XCTAssertTrue(swapped.stderr.contains("no es la clave privada de certfile"), swapped.stderr)

        let noKey = try lab(["broker", "-p", "0", "--tls-port", "0", "--certfile", certs.appendingPathComponent("server.crt").path])
        XCTAssertEqual(noKey.status, 64, noKey.stderr)
        XCTAssertTrue(noKey.stderr.contains("--tls-port needs --certfile and --keyfile"), noKey.stderr)

        let sniffTypo = try lab(["sniff", "--tls-port", "0"])
        XCTAssertEqual(sniffTypo.status, 64)
        XCTAssertEqual(sniffTypo.stderr, "Error: --tls-port needs --certfile and --keyfile (make them with: mqttlab certs init certs)\n"
                       + "See 'mqttlab sniff --help'.\n")

        // The same listener from a configuration file, Mosquitto's way: the keys under their listener.
        let port = try InteropTools.freePort()
        let config = try directory().appendingPathComponent("tls.conf")
        try """
            listener \(port) 127.0.0.1
            certfile \(certs.appendingPathComponent("server.crt").path)
            keyfile \(missing)
            """.write(to: config, atomically: true, encoding: .utf8)
        let fromFile = try lab(["broker", "-c", config.path, "--lang", "en"])
        XCTAssertEqual(fromFile.status, 78)
        XCTAssertTrue(fromFile.stderr.contains("keyfile \(missing): no such file") && fromFile.stderr.contains("(listener at \(config.path):1)"),
                      fromFile.stderr)
    }

    // MARK: The eavesdropper's view

    func testSniffShowsThePasswordOnThePlainPortAndNothingReadableOnTheTLSPort() throws {
        let certs = try makeCertificates()
        let ca = certs.appendingPathComponent("ca.crt").path
        let password = "s3cr3t-Pa55"
        let passwords = try directory().appendingPathComponent("pw.txt")
        XCTAssertEqual(try lab(["passwd", "-c", "-b", passwords.path, "ana", password]).status, 0)
        for showSecrets in [true, false] {
            let broker = try startTLSBroker(certificate: certs.appendingPathComponent("server.crt"), key: certs.appendingPathComponent("server.key"),
                                            extra: ["--password-file", passwords.path] + (showSecrets ? ["--show-secrets"] : []), command: "sniff")
            let plain = try mosquitto("mosquitto_pub", ["-h", "localhost", "-p", "\(broker.plainPort)", "-u", "ana", "-P", password,
                                                        "-t", "casa/luz", "-m", "ON"])
            XCTAssertEqual(plain.status, 0, plain.stderr)
            let passwordHex = password.utf8.map { String(format: "%02x", $0) }.joined(separator: " ")
            // The plain connection's last packet: after it, every new line is the TLS connection's.
            XCTAssertTrue(broker.process.waitUntilOutput { $0.contains("an observer reads: DISCONNECT") }, broker.process.outputTail())
            let plainView = broker.process.stdout
            XCTAssertTrue(plainView.contains("user \"ana\""), plainView)
            if showSecrets {
                XCTAssertTrue(plainView.contains("password \"\(password)\""), plainView)
                XCTAssertTrue(plainView.contains(String(passwordHex.prefix(23))), "the password's bytes in the hex dump:\n\(plainView)")
            } else {
                XCTAssertFalse(plainView.contains(password), plainView)
                XCTAssertFalse(plainView.contains(passwordHex.prefix(11)), plainView)
                XCTAssertTrue(plainView.contains("password ••••"), plainView)
            }

            let secure = try mosquitto("mosquitto_pub", ["-h", "localhost", "-p", "\(broker.tlsPort)", "--cafile", ca, "-u", "ana",
                                                         "-P", password, "-t", "casa/luz", "-m", "ON"])
            XCTAssertEqual(secure.status, 0, secure.stderr)
            XCTAssertTrue(broker.process.waitUntilOutput { $0.dropFirst(plainView.count).contains("encrypted application data (23)") },
                          broker.process.outputTail())
            _ = broker.process.waitUntilOutput(timeout: 2) { _ in false }  // let the rest of the connection's records arrive
            let tlsView = String(broker.process.stdout.dropFirst(plainView.count))
            XCTAssertTrue(tlsView.contains("SNI \"localhost\""), tlsView)
            XCTAssertTrue(tlsView.contains("handshake (22)"), tlsView)
            XCTAssertFalse(tlsView.contains(password), tlsView)
            XCTAssertFalse(tlsView.contains(String(passwordHex.prefix(11))), tlsView)
            XCTAssertFalse(tlsView.contains("plain TCP"), tlsView)
            XCTAssertFalse(tlsView.contains("CONNECT"), "no MQTT packet is readable on the TLS port:\n\(tlsView)")
            broker.process.stop()
        }
    }
}

extension MQTTLabBrokerProcess {
    /// Waits (≤ `timeout` s) for the broker's standard output to satisfy `condition`.
    func waitUntilOutput(timeout: TimeInterval = 10, _ condition: (String) -> Bool) -> Bool {
        BrokerTLSTests.poll(timeout: timeout) { condition(stdout) }
    }
}

extension URL {
    /// Creates the folder (and its parents) and returns it.
    func creatingDirectory() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}
