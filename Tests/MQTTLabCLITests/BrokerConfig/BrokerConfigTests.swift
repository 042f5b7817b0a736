import MQTTCodec
import XCTest

@testable import MQTTLabCLI

/// `mqttlab broker -c FILE`: Mosquitto's configuration syntax read into mqttlab's settings.
final class BrokerConfigTests: XCTestCase {
    /// Parses `text` and fails the test (with every message) if it does not parse.
    private func parsed(_ text: String, path: String = "test.conf", file: StaticString = #filePath, line: UInt = #line) throws -> BrokerConfigFile {
        switch BrokerConfigFile.parse(text: text, path: path) {
        case .success(let config):
            return config
        case .failure(let errors):
            XCTFail("expected \(path) to parse, got:\n\(errors.text(.en))", file: file, line: line)
            throw errors
        }
    }

    /// The errors `text` gives, or a failure if it parses.
    private func problems(_ text: String, path: String = "test.conf", file: StaticString = #filePath, line: UInt = #line) -> [BrokerConfigError] {
        switch BrokerConfigFile.parse(text: text, path: path) {
        case .success:
            XCTFail("expected an error for:\n\(text)", file: file, line: line)
            return []
        case .failure(let errors):
            return errors.errors
        }
    }

    func testAClassroomConfigParsesToTheExpectedValues() throws {
        let config = try parsed(BrokerConfigFixtures.classroom(), path: "aula3.conf")
        XCTAssertEqual(config.path, "aula3.conf")
        XCTAssertEqual(config.listeners, [
            .init(port: 1883, address: nil, line: 4),
            .init(port: 1884, address: "127.0.0.1", line: 5),
        ])
        XCTAssertFalse(config.localOnly)
        XCTAssertEqual(config.allowAnonymous, true)
        XCTAssertTrue(config.anonymousAllowed)
        XCTAssertTrue(config.persistence)
        XCTAssertEqual(config.persistenceLocation, "/var/lib/mqttlab/")
        XCTAssertEqual(config.persistentClientExpiration, 14 * 86_400)
        XCTAssertEqual(config.configuration.maxQueuedMessages, 100)
        XCTAssertEqual(config.configuration.maxQueuedBytes, 1_048_576)
        XCTAssertFalse(config.configuration.queueQoS0Messages)
        XCTAssertEqual(config.configuration.maxInflightMessages, 10)
        XCTAssertEqual(config.configuration.receiveMaximum, 10)
        XCTAssertEqual(config.configuration.maxPacketSize, 65_536)
        XCTAssertEqual(config.configuration.maxKeepAlive, 300)
        XCTAssertEqual(config.maxConnections, 40)
        XCTAssertEqual(config.configuration.topicAliasMaximum, 5)
        XCTAssertTrue(config.configuration.retainAvailable)
        XCTAssertEqual(config.sysInterval, 5)
        XCTAssertEqual(config.messageSizeLimit, 0)
        XCTAssertEqual(config.configuration.refusedFilters, ["secret/#", "$SYS/broker/clients/#"])
        // Untouched settings keep Mosquitto's defaults.
        XCTAssertTrue(config.configuration.allowZeroLengthClientID)
        XCTAssertNil(config.configuration.maxSessionExpiry)

        XCTAssertEqual(config.notes.map(\.en), [
            "aula3.conf:20: max_connections is a per-listener setting in Mosquitto (it applies to the listener above it); mqttlab applies it to the whole broker",
            "aula3.conf:21: max_topic_alias is a per-listener setting in Mosquitto (it applies to the listener above it); mqttlab applies it to the whole broker",
            "aula3.conf:25: log_dest, log_type, connection_messages, log_timestamp (lines 25, 26, 27, 28, 29) have no effect: mqttlab's packet trace replaces Mosquitto's log",
        ])
        XCTAssertEqual(config.notes.map(\.es), [
            "aula3.conf:20: max_connections es un ajuste por listener en Mosquitto (se aplica al listener de encima); mqttlab lo aplica a todo el bróker",
            "aula3.conf:21: max_topic_alias es un ajuste por listener en Mosquitto (se aplica al listener de encima); mqttlab lo aplica a todo el bróker",
            "aula3.conf:25: log_dest, log_type, connection_messages, log_timestamp (líneas 25, 26, 27, 28, 29) no tienen efecto: la traza de paquetes de mqttlab sustituye al registro de Mosquitto",
        ])
    }

    func testAnEmptyFileIsMosquittoWithNoConfiguration() throws {
        for text in ["", "\n\n", "# only a comment\n", "   \n"] {
            let config = try parsed(text, path: "empty.conf")
            XCTAssertEqual(config, BrokerConfigFile(path: "empty.conf"))
        }
        let defaults = BrokerConfigFile(path: "empty.conf")
        XCTAssertTrue(defaults.localOnly)
        XCTAssertNil(defaults.allowAnonymous)
        XCTAssertTrue(defaults.anonymousAllowed, "local only mode allows anonymous clients")
        XCTAssertFalse(defaults.persistence)
        XCTAssertNil(defaults.persistenceLocation)
        XCTAssertNil(defaults.persistentClientExpiration)
        XCTAssertEqual(defaults.sysInterval, 10)
        XCTAssertNil(defaults.maxConnections)
        XCTAssertEqual(defaults.messageSizeLimit, 0)
        XCTAssertEqual(defaults.configuration.maxQueuedMessages, 1000)
        XCTAssertEqual(defaults.configuration.maxInflightMessages, 20)
        XCTAssertEqual(defaults.configuration.topicAliasMaximum, 10)
        XCTAssertEqual(defaults.notes, [])
    }

    /// `password_file` keeps its path and line; a second one is refused, as Mosquitto does.
    func testPasswordFileIsReadWithItsLineAndOnlyOnce() throws {
        let file = try parsed("# auth\npassword_file /etc/mosquitto/pw file\n")
        XCTAssertEqual(file.passwordFile, "/etc/mosquitto/pw file")
        XCTAssertEqual(file.passwordFileLine, 2)
        guard case .failure(let errors) = BrokerConfigFile.parse(text: "password_file a\npassword_file b\n", path: "t.conf") else {
            return XCTFail("a repeated password_file should be refused")
        }
        XCTAssertEqual(errors.errors.map(\.line), [2])
    }

    func testAListenerTurnsAnonymousAccessOffUnlessTheFileSaysSo() throws {
        XCTAssertFalse(try parsed("listener 1883\n").anonymousAllowed)
        XCTAssertFalse(try parsed("port 1883\n").anonymousAllowed)
        XCTAssertTrue(try parsed("listener 1883\nallow_anonymous true\n").anonymousAllowed)
        XCTAssertFalse(try parsed("allow_anonymous false\n").anonymousAllowed)
        XCTAssertTrue(try parsed("allow_anonymous true\n").localOnly)
    }

    /// One line per supported key and what it must change. The last assertion keeps the list complete.
    func testEverySupportedKeySetsItsField() throws {
        typealias Check = (BrokerConfigFile) -> Void
        let cases: [(line: String, check: Check)] = [
            ("listener 1885", { XCTAssertEqual($0.listeners, [.init(port: 1885, address: nil, line: 1)]) }),
            ("listener 1885 ::1", { XCTAssertEqual($0.listeners, [.init(port: 1885, address: "::1", line: 1)]) }),
            ("port 1886", { XCTAssertEqual($0.listeners, [.init(port: 1886, address: nil, line: 1)]) }),
            ("bind_address 10.0.0.5", { XCTAssertEqual($0.listeners, [.init(port: 1883, address: "10.0.0.5", line: 1)]) }),
            ("allow_anonymous false", { XCTAssertEqual($0.allowAnonymous, false) }),
            ("password_file /etc/pw", { XCTAssertEqual($0.passwordFile, "/etc/pw") }),
            ("acl_file /etc/aula.acl", { XCTAssertEqual($0.aclFile, "/etc/aula.acl") }),
            ("max_queued_messages 0", { XCTAssertEqual($0.configuration.maxQueuedMessages, 0) }),
            ("max_queued_bytes 4096", { XCTAssertEqual($0.configuration.maxQueuedBytes, 4096) }),
            ("max_inflight_messages 1", {
                XCTAssertEqual($0.configuration.maxInflightMessages, 1)
                XCTAssertEqual($0.configuration.receiveMaximum, 1)
            }),
            ("max_inflight_messages 0", {
                // Mosquitto's "no limit" is MQTT's largest window.
                XCTAssertEqual($0.configuration.maxInflightMessages, 65_535)
                XCTAssertEqual($0.configuration.receiveMaximum, 65_535)
            }),
            ("max_packet_size 20", { XCTAssertEqual($0.configuration.maxPacketSize, 20) }),
            ("max_keepalive 60", { XCTAssertEqual($0.configuration.maxKeepAlive, 60) }),
            ("max_connections 3", { XCTAssertEqual($0.maxConnections, 3) }),
            ("max_connections -1", { XCTAssertNil($0.maxConnections) }),
            ("max_connections 0", {
                XCTAssertNil($0.maxConnections)
                XCTAssertEqual($0.notes.map(\.en), ["test.conf:1: max_connections 0 means no limit, as in Mosquitto (write -1 to say so plainly)"])
                XCTAssertEqual($0.notes.map(\.es), ["test.conf:1: max_connections 0 significa sin límite, como en Mosquitto (escribe -1 para dejarlo claro)"])
            }),
            ("persistence true", { XCTAssertTrue($0.persistence) }),
            ("persistence_location /srv/mqtt data/", { XCTAssertEqual($0.persistenceLocation, "/srv/mqtt data/") }),
            ("persistent_client_expiration 2h", { XCTAssertEqual($0.persistentClientExpiration, 7200) }),
            ("retain_available false", { XCTAssertFalse($0.configuration.retainAvailable) }),
            ("sys_interval 0", { XCTAssertEqual($0.sysInterval, 0) }),
            ("message_size_limit 1024", {
                XCTAssertEqual($0.messageSizeLimit, 1024)
                XCTAssertEqual($0.notes.map(\.en), ["test.conf:1: message_size_limit is deprecated in Mosquitto 2; max_packet_size limits the whole packet instead"])
            }),
            ("queue_qos0_messages true", { XCTAssertTrue($0.configuration.queueQoS0Messages) }),
            ("max_topic_alias 0", { XCTAssertEqual($0.configuration.topicAliasMaximum, 0) }),
            ("allow_zero_length_clientid false", { XCTAssertFalse($0.configuration.allowZeroLengthClientID) }),
            ("protocol mqtt", { XCTAssertEqual($0, BrokerConfigFile(path: "test.conf")) }),
            ("refuse_subscribe $share/group/jobs/+", { XCTAssertEqual($0.configuration.refusedFilters, ["$share/group/jobs/+"]) }),
            ("refuse_subscribe rooms/room 101/#", { XCTAssertEqual($0.configuration.refusedFilters, ["rooms/room 101/#"]) }),
        ]
        let loggingLines = [
            "log_type all", "log_dest stdout", "log_dest file /var/log/mosquitto/mosquitto.log", "connection_messages false",
            "log_timestamp false", "log_timestamp_format %Y-%m-%dT%H:%M:%S", "log_facility 5",
        ]
        for (line, check) in cases {
            check(try parsed(line + "\n"))
        }
        for line in loggingLines {
            var config = try parsed(line + "\n")
            let key = String(line.split(separator: " ")[0])
            XCTAssertEqual(config.notes.map(\.en), [
                "test.conf:1: \(key) (line 1) has no effect: mqttlab's packet trace replaces Mosquitto's log",
            ])
            XCTAssertEqual(config.notes.map(\.es), [
                "test.conf:1: \(key) (línea 1) no tiene efecto: la traza de paquetes de mqttlab sustituye al registro de Mosquitto",
            ])
            config.notes = []
            XCTAssertEqual(config, BrokerConfigFile(path: "test.conf"), "\(line) must change nothing else")
        }
        // The TLS keys apply to the listener above them (here the second one), not to the whole broker.
        let tlsText = """
            listener 1883 127.0.0.1
            listener 8883 127.0.0.1
            cafile /c/ca.crt
            capath /c/hashed
            certfile /c/server.crt
            keyfile /c/server key.pem
            require_certificate true
            use_identity_as_username true
            tls_version tlsv1.3

            """
        var tlsKeys = BrokerConfigFile.TLSKeys()
        tlsKeys.cafile = "/c/ca.crt"
        tlsKeys.capath = "/c/hashed"
        tlsKeys.certfile = "/c/server.crt"
        tlsKeys.keyfile = "/c/server key.pem"
        tlsKeys.requireCertificate = true
        tlsKeys.useIdentityAsUsername = true
        tlsKeys.tlsVersion = "tlsv1.3"
        let tls = try parsed(tlsText)
        XCTAssertEqual(tls.listeners, [.init(port: 1883, address: "127.0.0.1", line: 1),
                                       .init(port: 8883, address: "127.0.0.1", line: 2, tls: tlsKeys)])
        XCTAssertEqual(tls.notes, [])
        let tlsLines = tlsText.split(separator: "\n").dropFirst(2).map(String.init)
        let covered = Set((cases.map(\.line) + loggingLines + tlsLines).map { String($0.split(separator: " ")[0]) })
        XCTAssertEqual(covered, Set(BrokerConfigKeys.supported.map(\.name)), "every supported key has a case here")
    }

    /// Each number key at both ends of its range, and just outside them.
    func testNumbersAreCheckedAgainstTheirRanges() throws {
        var checked = 0
        for key in BrokerConfigKeys.supported {
            guard case .number(let range, _) = key.kind else { continue }
            for inside in [range.lowerBound, range.upperBound] {
                XCTAssertNoThrow(try parsed("\(key.name) \(inside)\n"), key.name)
            }
            for outside in [range.lowerBound - 1, range.upperBound + 1, 0].filter({ !range.contains($0) }) {
                let errors = problems("\(key.name) \(outside)\n")
                XCTAssertEqual(errors.map(\.kind), [.invalidValue(key: key.name, value: "\(outside)", expected: key.kind.expected)])
            }
            for notANumber in ["abc", "12abc", "1.5", "0x10", "99999999999999999999"] {
                XCTAssertEqual(problems("\(key.name) \(notANumber)\n").map(\.line), [1], "\(key.name) \(notANumber)")
            }
            checked += 1
        }
        XCTAssertEqual(checked, 10)
        // The ranges Mosquitto 2.0.11 enforces (or implies) and mqttlab keeps.
        let ranges = Dictionary(uniqueKeysWithValues: BrokerConfigKeys.supported.compactMap { key -> (String, ClosedRange<Int>)? in
            if case .number(let range, _) = key.kind { return (key.name, range) }
            return nil
        })
        XCTAssertEqual(ranges["max_keepalive"], 10...65_535)
        XCTAssertEqual(ranges["max_packet_size"], 20...268_435_460)
        XCTAssertEqual(ranges["max_inflight_messages"], 0...65_535)
        XCTAssertEqual(ranges["max_connections"], -1...2_147_483_647)
        XCTAssertEqual(ranges["message_size_limit"], 0...268_435_455)
        XCTAssertEqual(ranges["sys_interval"], 0...65_535)
        XCTAssertEqual(ranges["max_topic_alias"], 0...65_535)
        XCTAssertEqual(ranges["log_facility"], 0...7)
    }

    func testBooleansAreExactlyTrueOrFalse() throws {
        XCTAssertEqual(try parsed("persistence true\n").persistence, true)
        XCTAssertEqual(try parsed("persistence false\n").persistence, false)
        for word in ["TRUE", "True", "yes", "on", "1", "0", "false,"] {
            XCTAssertEqual(problems("persistence \(word)\n").map(\.kind), [
                .invalidValue(key: "persistence", value: word, expected: LocalizedText(en: "true or false", es: "true o false")),
            ])
        }
    }

    func testPortsAndListenerForms() throws {
        XCTAssertEqual(try parsed("listener 1\nlistener 65535 localhost\n").listeners, [
            .init(port: 1, address: nil, line: 1), .init(port: 65_535, address: "localhost", line: 2),
        ])
        for bad in ["listener 65536", "listener -1", "listener abc", "port 0", "port 65536", "port x"] {
            XCTAssertEqual(problems(bad + "\n").count, 1, bad)
        }
        // Two addresses on one port are two sockets; the same address twice, or "every address" and one
        // address, fight over the port.
        XCTAssertEqual(try parsed("listener 1883 127.0.0.1\nlistener 1883 10.0.0.5\n").listeners.count, 2)
        XCTAssertEqual(problems("listener 1883 127.0.0.1\nlistener 1883 127.0.0.1\n").map(\.kind), [
            .repeatedListener(port: 1883, address: "127.0.0.1", firstLine: 1),
        ])
        XCTAssertEqual(problems("listener 1883\nlistener 1883 127.0.0.1\n").map(\.line), [2])
        XCTAssertEqual(problems("listener 1883\nport 1883\n").map(\.kind), [
            .repeatedListener(port: 1883, address: nil, firstLine: 1),
        ])
    }

    func testTheDeprecatedPortAndBindAddressMakeTheDefaultListener() throws {
        let config = try parsed("listener 1884\nport 1885\nbind_address 127.0.0.1\n")
        XCTAssertEqual(config.listeners, [
            .init(port: 1885, address: "127.0.0.1", line: 2),
            .init(port: 1884, address: nil, line: 1),
        ])
        XCTAssertEqual(config.notes.map(\.en), [
            "test.conf:2: port is deprecated in Mosquitto 2; write listener PORT instead",
            "test.conf:3: bind_address is deprecated in Mosquitto 2; write listener PORT ADDRESS instead",
        ])
        XCTAssertEqual(config.notes.map(\.es), [
            "test.conf:2: port está obsoleto en Mosquitto 2; escribe listener PUERTO en su lugar",
            "test.conf:3: bind_address está obsoleto en Mosquitto 2; escribe listener PUERTO DIRECCIÓN en su lugar",
        ])
        XCTAssertEqual(try parsed("bind_address ::1\n").listeners, [.init(port: 1883, address: "::1", line: 1)])
    }

    func testRepeatedKeysLastWinsListsAccumulateAndMosquittosDuplicatesAreRefused() throws {
        let config = try parsed("""
            max_queued_messages 5
            listener 1883
            max_queued_messages 6
            refuse_subscribe a/#
            listener 1884
            refuse_subscribe b/+
            refuse_subscribe a/#
            log_type error
            log_type warning
            max_queued_messages 7

            """)
        XCTAssertEqual(config.configuration.maxQueuedMessages, 7)
        XCTAssertEqual(config.listeners.map(\.port), [1883, 1884])
        XCTAssertEqual(config.configuration.refusedFilters, ["a/#", "b/+"])
        XCTAssertEqual(config.notes.map(\.en), [
            "test.conf:8: log_type (lines 8, 9) has no effect: mqttlab's packet trace replaces Mosquitto's log",
            "test.conf:10: max_queued_messages is set on lines 1, 3, 10; the last one (line 10) wins",
        ])
        XCTAssertEqual(config.notes.map(\.es)[1], "test.conf:10: max_queued_messages aparece en las líneas 1, 3, 10; vale la última (línea 10)")

        XCTAssertEqual(problems("persistence_location /a/\npersistence_location /b/\n").map(\.kind), [
            .repeatedKey(key: "persistence_location", firstLine: 1),
        ])
        XCTAssertEqual(problems("bind_address 127.0.0.1\n\nbind_address 127.0.0.1\n").map(\.kind), [
            .repeatedKey(key: "bind_address", firstLine: 1),
        ])
    }

    func testCommentsBlankLinesSpacesAndLineEndings() throws {
        let text = "# comment\n\n   \n#indented? no: this one starts the line\n   max_queued_messages    42   \n"
            + "retain_available false\r\n#\tcomment with a tab\r\nsys_interval 3"
        let config = try parsed(text)
        XCTAssertEqual(config.configuration.maxQueuedMessages, 42)
        XCTAssertFalse(config.configuration.retainAvailable)
        XCTAssertEqual(config.sysInterval, 3, "the last line needs no newline")
        // Line numbers count every line, comments and CRLF lines included.
        XCTAssertEqual(problems("# one\r\n\r\nmax_keepalive 1\r\n").map(\.line), [3])
        // Paths keep inner spaces but lose the outer ones.
        XCTAssertEqual(try parsed("persistence_location   /srv/my data/  \n").persistenceLocation, "/srv/my data/")
        // Keys are case-sensitive.
        XCTAssertEqual(problems("Persistence true\n").map(\.kind), [.unknownKey(key: "Persistence", suggestion: "persistence")])
    }

    func testDurationsInMosquittosForms() throws {
        let expected: [(String, Int)] = [
            ("1h", 3_600), ("2d", 172_800), ("1w", 604_800), ("1m", 2_592_000), ("1y", 31_536_000),
            ("14d", 1_209_600), ("68y", 68 * 31_536_000),
        ]
        for (text, seconds) in expected {
            XCTAssertEqual(try parsed("persistent_client_expiration \(text)\n").persistentClientExpiration, seconds, text)
        }
        let months = try parsed("persistent_client_expiration 3m\n")
        XCTAssertEqual(months.notes.map(\.en), ["test.conf:1: in persistent_client_expiration, m means months (30 days), not minutes"])
        XCTAssertEqual(months.notes.map(\.es), ["test.conf:1: en persistent_client_expiration, m significa meses (30 días), no minutos"])
        for bad in ["10", "10s", "0h", "-1h", "1H", "1.5h", "h", "d1", "69y", "99999999999999999999d"] {
            XCTAssertEqual(problems("persistent_client_expiration \(bad)\n").map(\.kind), [
                .invalidValue(key: "persistent_client_expiration", value: bad, expected: BrokerConfigValueKind.duration.expected),
            ], bad)
        }
        XCTAssertEqual(problems("persistent_client_expiration 1 h\n").map(\.kind), [
            .extraValue(key: "persistent_client_expiration", extra: "h", expected: BrokerConfigValueKind.duration.expected),
        ])
    }

    func testTheKeyTableIsComplete() {
        let supported = BrokerConfigKeys.supported.map(\.name)
        XCTAssertEqual(Set(supported).count, supported.count, "no key twice in the table")
        for key in BrokerConfigKeys.supported {
            XCTAssertNil(BrokerConfigUnsupportedKeys.area(of: key.name), "\(key.name) is both supported and unsupported")
            XCTAssertFalse(key.effect.en.isEmpty || key.effect.es.isEmpty || key.target.isEmpty, key.name)
        }
        XCTAssertEqual(Set(BrokerConfigUnsupportedKeys.allKeys).count, BrokerConfigUnsupportedKeys.allKeys.count)
        XCTAssertTrue(BrokerConfigKeys.mqttlabOnly.isSubset(of: Set(supported)))
        // The brief's security keys live in the one list the security issue will move.
        XCTAssertTrue(supported.contains("password_file"))
        XCTAssertTrue(supported.contains("acl_file"))
        for key in ["cafile", "certfile", "keyfile", "require_certificate", "use_identity_as_username", "tls_version"] {
            XCTAssertTrue(supported.contains(key), key)
        }
        for key in ["psk_file", "auth_plugin", "plugin", "crlfile", "ciphers"] {
            XCTAssertTrue(BrokerConfigUnsupportedKeys.securityKeysNotYetSupported.contains(key), key)
        }
        // The TLS listener's keys are supported, each for the listener above it.
        for key in ["cafile", "capath", "certfile", "keyfile", "require_certificate", "use_identity_as_username", "tls_version"] {
            XCTAssertEqual(BrokerConfigKeys.byName[key]?.scope, .perListener, key)
        }
    }
}
