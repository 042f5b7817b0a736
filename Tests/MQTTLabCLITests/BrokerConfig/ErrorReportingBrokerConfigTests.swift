import Foundation
import MQTTCodec
import XCTest

@testable import MQTTLabCLI

/// What a learner reads when a configuration file is wrong: `path:line: message`, every problem at once,
/// in English and Spanish.
final class ErrorReportingBrokerConfigTests: XCTestCase {
    private func errors(_ text: String, path: String = "test.conf", file: StaticString = #filePath, line: UInt = #line) -> BrokerConfigErrors {
        switch BrokerConfigFile.parse(text: text, path: path) {
        case .success:
            XCTFail("expected errors for:\n\(text)", file: file, line: line)
            return BrokerConfigErrors([])
        case .failure(let errors):
            return errors
        }
    }

    /// One line of each mistake a file can hold; all are reported, in line order, with exact text.
    func testEveryKindOfMistakeIsReportedWithFileAndLineInBothLanguages() {
        let text = [
            "# every kind of mistake, one per line",
            "listener 1883",
            "\tretain_available true",
            "  # an indented comment",
            "max_inflight_mesages 10",
            "psk_file /etc/mosquitto/psk",
            "allow_anonymous",
            "retain_available true # yes",
            "max_keepalive 5",
            "refuse_subscribe sensors/#/raw",
            "persistence_location /tmp/a/",
            "persistence_location /tmp/b/",
            "listener 1883",
            "listener 0 /tmp/mqtt.sock",
            "Listener 1884",
            "frobnicate 1",
            "connection bridge-to-cloud",
            "protocol websockets",
            "retain_available true",
        ].joined(separator: "\n") + "\n"
        let found = errors(text, path: "aula.conf")
        XCTAssertEqual(found.errors.map(\.line), [3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 18])
        XCTAssertEqual(found.text(.en), """
            aula.conf:3: this line has a tab; Mosquitto separates words with spaces only (a tab becomes part of the word), so use spaces
            aula.conf:4: a comment must start in the first column: after spaces, Mosquitto reads # as a key
            aula.conf:5: unknown key "max_inflight_mesages"; did you mean max_inflight_messages?
            aula.conf:6: psk_file is not supported by mqttlab yet (security: passwords, ACLs, TLS and auth plugins)
            aula.conf:7: allow_anonymous needs a value: true or false
            aula.conf:8: retain_available takes only true or false; remove "# yes" (a comment must be on its own line)
            aula.conf:9: max_keepalive: "5" is not valid; expected a whole number from 10 to 65535 (seconds)
            aula.conf:10: refuse_subscribe: "sensors/#/raw" is not a valid topic filter: # must be the last level of the filter
            aula.conf:12: persistence_location is already set on line 11; Mosquitto refuses a repeated persistence_location, so keep only one
            aula.conf:13: port 1883 is already taken by the listener on line 2; Mosquitto would fail to open it twice (Address already in use)
            aula.conf:14: listener 0 is a Unix socket listener in Mosquitto, not supported by mqttlab yet; use a TCP port from 1 to 65535
            aula.conf:15: unknown key "Listener"; keys are case-sensitive: did you mean listener?
            aula.conf:16: unknown key "frobnicate" (neither Mosquitto nor mqttlab has it)
            aula.conf:17: connection is not supported by mqttlab yet (bridges to other brokers)
            aula.conf:18: protocol websockets is not supported by mqttlab yet (WebSockets listeners)
            """)
        XCTAssertEqual(found.text(.es), """
            aula.conf:3: esta línea tiene un tabulador; Mosquitto separa las palabras solo con espacios (el tabulador pasa a formar parte de la palabra), así que usa espacios
            aula.conf:4: un comentario debe empezar en la primera columna: tras espacios, Mosquitto lee # como una clave
            aula.conf:5: clave desconocida "max_inflight_mesages"; ¿quisiste decir max_inflight_messages?
            aula.conf:6: mqttlab aún no admite psk_file (seguridad: contraseñas, ACL, TLS y plugins de autenticación)
            aula.conf:7: allow_anonymous necesita un valor: true o false
            aula.conf:8: retain_available solo admite true o false; quita "# yes" (un comentario debe ir en su propia línea)
            aula.conf:9: max_keepalive: "5" no es válido; se espera un número entero de 10 a 65535 (segundos)
            aula.conf:10: refuse_subscribe: "sensors/#/raw" no es un filtro de tema válido: # debe ser el último nivel del filtro
            aula.conf:12: persistence_location ya aparece en la línea 11; Mosquitto rechaza un persistence_location repetido, así que deja solo uno
            aula.conf:13: el puerto 1883 ya lo ocupa el listener de la línea 2; Mosquitto no podría abrirlo dos veces (Address already in use)
            aula.conf:14: listener 0 es un listener de socket Unix en Mosquitto, que mqttlab aún no admite; usa un puerto TCP de 1 a 65535
            aula.conf:15: clave desconocida "Listener"; las claves distinguen mayúsculas y minúsculas: ¿quisiste decir listener?
            aula.conf:16: clave desconocida "frobnicate" (no existe ni en Mosquitto ni en mqttlab)
            aula.conf:17: mqttlab aún no admite connection (puentes a otros brókeres)
            aula.conf:18: mqttlab aún no admite protocol websockets (listeners WebSockets)
            """)
        XCTAssertEqual(found.description, found.text(.en))
        XCTAssertEqual(found.errors.map(\.key), [
            nil, nil, "max_inflight_mesages", "psk_file", "allow_anonymous", "retain_available", "max_keepalive",
            "refuse_subscribe", "persistence_location", "listener", "listener", "Listener", "frobnicate", "connection",
            "protocol websockets",
        ])
    }

    /// The value kinds' own wording, for the messages not covered above.
    func testValueMessagesNameTheKeyTheValueAndWhatIsExpected() {
        let cases: [(line: String, en: String, es: String)] = [
            ("listener abc", #"t.conf:1: listener: "abc" is not valid; expected a port number from 1 to 65535, optionally followed by an address (listener 1883 or listener 1883 127.0.0.1)"#,
             #"t.conf:1: listener: "abc" no es válido; se espera un número de puerto de 1 a 65535, seguido opcionalmente de una dirección (listener 1883 o listener 1883 127.0.0.1)"#),
            ("listener 1883 127.0.0.1 extra", #"t.conf:1: listener takes only a port number from 1 to 65535, optionally followed by an address (listener 1883 or listener 1883 127.0.0.1); remove "extra""#,
             #"t.conf:1: listener solo admite un número de puerto de 1 a 65535, seguido opcionalmente de una dirección (listener 1883 o listener 1883 127.0.0.1); quita "extra""#),
            ("port 0", #"t.conf:1: port: "0" is not valid; expected a port number from 1 to 65535"#,
             #"t.conf:1: port: "0" no es válido; se espera un número de puerto de 1 a 65535"#),
            ("max_connections -2", #"t.conf:1: max_connections: "-2" is not valid; expected a whole number from -1 to 2147483647 (-1 or 0 = no limit)"#,
             #"t.conf:1: max_connections: "-2" no es válido; se espera un número entero de -1 a 2147483647 (-1 o 0 = sin límite)"#),
            ("sys_interval 65536", #"t.conf:1: sys_interval: "65536" is not valid; expected a whole number from 0 to 65535 (seconds; 0 = off)"#,
             #"t.conf:1: sys_interval: "65536" no es válido; se espera un número entero de 0 a 65535 (segundos; 0 = desactivado)"#),
            ("persistent_client_expiration 10", #"t.conf:1: persistent_client_expiration: "10" is not valid; expected a whole number followed by h (hours), d (days), w (weeks), m (months of 30 days) or y (years), like 14d"#,
             #"t.conf:1: persistent_client_expiration: "10" no es válido; se espera un número entero seguido de h (horas), d (días), w (semanas), m (meses de 30 días) o y (años), como 14d"#),
            ("log_type loud", #"t.conf:1: log_type: "loud" is not valid; expected one of debug, error, warning, notice, information, subscribe, unsubscribe, websockets, none, all"#,
             #"t.conf:1: log_type: "loud" no es válido; se espera uno de estos: debug, error, warning, notice, information, subscribe, unsubscribe, websockets, none, all"#),
            ("log_dest file", #"t.conf:1: log_dest: "file" is not valid; expected one of stdout, stderr, syslog, topic, dlt, none, or file followed by a path"#,
             #"t.conf:1: log_dest: "file" no es válido; se espera uno de estos: stdout, stderr, syslog, topic, dlt, none, o file seguido de una ruta"#),
            ("protocol MQTT", #"t.conf:1: protocol: "MQTT" is not valid; expected mqtt"#, #"t.conf:1: protocol: "MQTT" no es válido; se espera mqtt"#),
            ("persistence_location", "t.conf:1: persistence_location needs a value: a text such as a path",
             "t.conf:1: persistence_location necesita un valor: un texto como una ruta"),
            ("bind_address 127.0.0.1 ::1", #"t.conf:1: bind_address takes only an address such as 127.0.0.1; remove "::1""#,
             #"t.conf:1: bind_address solo admite una dirección como 127.0.0.1; quita "::1""#),
            ("refuse_subscribe", "t.conf:1: refuse_subscribe needs a value: a topic filter such as sensors/#",
             "t.conf:1: refuse_subscribe necesita un valor: un filtro de tema como sensores/#"),
            ("refuse_subscribe $share//x", #"t.conf:1: refuse_subscribe: "$share//x" is not a valid topic filter: the share name after $share/ is empty: write $share/<group>/<filter>"#,
             #"t.conf:1: refuse_subscribe: "$share//x" no es un filtro de tema válido: el nombre de grupo tras $share/ está vacío: escribe $share/<grupo>/<filtro>"#),
            ("refuse_subscribe a+/b", #"t.conf:1: refuse_subscribe: "a+/b" is not a valid topic filter: + must fill a whole level (like a/+/c, not a+)"#,
             #"t.conf:1: refuse_subscribe: "a+/b" no es un filtro de tema válido: + debe ocupar un nivel entero (como a/+/c, no a+)"#),
        ]
        for (line, en, es) in cases {
            let found = errors(line + "\n", path: "t.conf")
            XCTAssertEqual(found.text(.en), en, line)
            XCTAssertEqual(found.text(.es), es, line)
        }
    }

    func testUnknownKeysSuggestTheClosestKnownKey() {
        let cases: [(typed: String, suggestion: String?)] = [
            ("max_inflight_mesages", "max_inflight_messages"),
            ("max_infligth_messages", "max_inflight_messages"),
            ("inflight_messages", "max_inflight_messages"),
            ("max_inflight", "max_inflight_messages"),
            ("persistance", "persistence"),
            ("Allow_Anonymous", "allow_anonymous"),
            ("lisener", "listener"),
            ("max_queue_messages", "max_queued_messages"),
            ("sys_intervall", "sys_interval"),
            ("retain_availble", "retain_available"),
            ("pasword_file", "password_file"),
            ("keepalive", "max_keepalive"),
            ("frobnicate", nil),
            ("xyz", nil),
        ]
        for (typed, suggestion) in cases {
            XCTAssertEqual(errors("\(typed) 1\n").errors.map(\.kind), [.unknownKey(key: typed, suggestion: suggestion)], typed)
        }
        // A suggested key that is itself unsupported is still the right hint: the next run says why.
        XCTAssertEqual(errors("pasword_file x\n").text(.en), #"test.conf:1: unknown key "pasword_file"; did you mean password_file?"#)
    }

    func testIncompleteTLSListenersAndOldTLSVersionsAreRefusedAtTheirLine() {
        let halfTLS = errors("listener 1883\nlistener 8883\ncertfile server.crt\n")
        XCTAssertEqual(halfTLS.errors.map(\.kind), [.incompleteTLS(port: 8883, missing: "keyfile")])
        XCTAssertEqual(halfTLS.errors.map(\.line), [2])
        XCTAssertEqual(halfTLS.text(.en), "test.conf:2: the TLS settings of listener 8883 lack keyfile "
                       + "(TLS needs certfile and keyfile; require_certificate needs cafile or capath)")
        let noCA = errors("listener 8883\ncertfile s.crt\nkeyfile s.key\nrequire_certificate true\n")
        XCTAssertEqual(noCA.errors.map(\.kind), [.incompleteTLS(port: 8883, missing: "cafile")])
        XCTAssertEqual(errors("listener 8883\ntls_version tlsv1.1\n").errors.map(\.kind), [
            .invalidValue(key: "tls_version", value: "tlsv1.1", expected: BrokerConfigValueKind.choice(["tlsv1.3", "tlsv1.2"]).expected),
        ])
        // Before any listener, Mosquitto gives the keys to the default listener (`port`)…
        guard case .success(let withPort) = BrokerConfigFile.parse(text: "port 8883\ncertfile s.crt\nkeyfile s.key\n", path: "t.conf") else {
            return XCTFail("a default listener with TLS keys parses")
        }
        XCTAssertEqual(withPort.listeners.first?.tls?.certfile, "s.crt")
        // …and without one they do nothing, which the broker says.
        guard case .success(let withoutPort) = BrokerConfigFile.parse(text: "certfile s.crt\nkeyfile s.key\n", path: "t.conf") else {
            return XCTFail("TLS keys without a listener parse")
        }
        XCTAssertEqual(withoutPort.listeners, [])
        XCTAssertEqual(withoutPort.notes.first?.en.hasPrefix("t.conf:1: TLS keys before any listener"), true, "\(withoutPort.notes)")
    }

    func testMosquittoKeysMqttlabLacksSayNotSupportedYetAndWhichArea() {
        let cases: [(line: String, area: BrokerConfigUnsupportedArea)] = [
            ("psk_hint classroom", .security),
            ("crlfile revoked.pem", .security), ("ciphers HIGH", .security), ("use_subject_as_username true", .security),
            ("psk_file psk", .security), ("auth_plugin /x.so", .security),
            ("plugin /usr/lib/mosquitto_dynamic_security.so", .security), ("plugin_opt_config_file x", .security),
            ("per_listener_settings true", .security),
            ("connection cloud", .bridges), ("address 10.0.0.1:1883", .bridges), ("topic # both 0", .bridges),
            ("bridge_protocol_version mqttv311", .bridges), ("remote_clientid x", .bridges),
            ("websockets_log_level 0", .websockets), ("http_dir /www", .websockets),
            ("include_dir /etc/mosquitto/conf.d", .other), ("pid_file /run/mosquitto.pid", .other),
            ("user mosquitto", .other), ("autosave_interval 60", .other), ("max_qos 1", .other),
            ("mount_point room1/", .other), ("socket_domain ipv4", .other),
        ]
        for (line, area) in cases {
            let key = String(line.split(separator: " ")[0])
            XCTAssertEqual(errors(line + "\n").errors.map(\.kind), [.notSupportedYet(key: key, area: area)], line)
        }
        XCTAssertEqual(errors("protocol websockets\n").errors.map(\.kind), [.notSupportedYet(key: "protocol websockets", area: .websockets)])
    }

    /// Debian's stock /etc/mosquitto/mosquitto.conf: each line mqttlab cannot honour is named.
    func testDebiansStockConfigListsWhatMqttlabCannotDo() {
        let debian = """
            # Place your local configuration in /etc/mosquitto/conf.d/
            #
            # A full description of the configuration file is at
            # /usr/share/doc/mosquitto/examples/mosquitto.conf.example

            pid_file /run/mosquitto/mosquitto.pid

            persistence true
            persistence_location /var/lib/mosquitto/

            log_dest file /var/log/mosquitto/mosquitto.log

            include_dir /etc/mosquitto/conf.d

            """
        XCTAssertEqual(errors(debian, path: "/etc/mosquitto/mosquitto.conf").text(.en), """
            /etc/mosquitto/mosquitto.conf:6: pid_file is not supported by mqttlab yet (a Mosquitto setting mqttlab does not implement)
            /etc/mosquitto/mosquitto.conf:13: include_dir is not supported by mqttlab yet (a Mosquitto setting mqttlab does not implement)
            """)
    }

    func testAFileWithManyErrorsReportsThemAllAndNothingElseStops() {
        let text = (1...40).map { $0.isMultiple(of: 2) ? "max_keepalive \($0 * 100)" : "max_keepalive 1" }.joined(separator: "\n")
        let found = errors(text)
        XCTAssertEqual(found.errors.map(\.line), Array(stride(from: 1, through: 39, by: 2)))
        XCTAssertEqual(found.text(.en).split(separator: "\n").count, 20)
    }

    func testFilesThatCannotBeReadGiveOneClearError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mqttlab-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        func loadErrors(_ path: String) -> BrokerConfigErrors? {
            if case .failure(let errors) = BrokerConfigFile.load(path: path) { return errors }
            return nil
        }
        let missing = folder.appendingPathComponent("missing.conf").path
        XCTAssertEqual(loadErrors(missing)?.errors, [BrokerConfigError(path: missing, line: nil, kind: .fileNotFound)])
        XCTAssertEqual(loadErrors(missing)?.text(.en), "\(missing): no such file")
        XCTAssertEqual(loadErrors(missing)?.text(.es), "\(missing): no existe ese fichero")

        XCTAssertEqual(loadErrors(folder.path)?.text(.en), "\(folder.path): is a folder, not a configuration file")
        XCTAssertEqual(loadErrors(folder.path)?.text(.es), "\(folder.path): es una carpeta, no un fichero de configuración")

        let binary = folder.appendingPathComponent("binary.conf")
        try Data([0x6C, 0x69, 0xFF, 0xFE, 0x0A]).write(to: binary)
        XCTAssertEqual(loadErrors(binary.path)?.text(.en), "\(binary.path): is not UTF-8 text; a configuration file is plain text")
        XCTAssertEqual(loadErrors(binary.path)?.text(.es), "\(binary.path): no es texto UTF-8; un fichero de configuración es texto plano")

        let good = folder.appendingPathComponent("good.conf")
        try "listener 1883\nallow_anonymous true\n".write(to: good, atomically: true, encoding: .utf8)
        guard case .success(let config) = BrokerConfigFile.load(path: good.path) else { return XCTFail("good.conf must load") }
        XCTAssertEqual(config.path, good.path)
        XCTAssertEqual(config.listeners, [.init(port: 1883, address: nil, line: 1)])

        let bad = folder.appendingPathComponent("bad.conf")
        try "max_keepalive 1\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertEqual(loadErrors(bad.path)?.errors.map(\.path), [bad.path])

        // Root reads any file, so the permission check only means something for other users.
        if geteuid() != 0 {
            let locked = folder.appendingPathComponent("locked.conf")
            try "listener 1883\n".write(to: locked, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked.path)
            XCTAssertEqual(loadErrors(locked.path)?.text(.en), "\(locked.path): cannot be read: permission denied")
            XCTAssertEqual(loadErrors(locked.path)?.text(.es), "\(locked.path): no se puede leer: permiso denegado")
        }
    }
}
