import Foundation
import XCTest

/// `acl_file` end to end, compared with Mosquitto 2.0.11 given the same password and ACL files: several users
/// (anonymous included) × topics × read/write, with `pattern` rules for `%c` and `%u` and `deny` lines, in
/// 3.1.1 and 5.0. One paho scenario runs against both brokers; what each client received and every PUBACK code
/// must be equal, and a few answers are also checked outright so that two equally broken brokers still fail.
final class BrokerACLInteropTests: BrokerInteropTestCase {
    static let acl = """
        # anonymous clients
        topic read public/#
        topic write anon/out

        user ana
        topic readwrite casa/#
        topic deny casa/secreto
        topic read sensores/+/temp

        user bob
        topic write casa/puerta/abrir
        topic read casa/#
        topic deny casa/luz

        pattern readwrite clientes/%c/#
        pattern read usuarios/%u/buzon
        pattern write sensores/%c/temp
        pattern deny casa/%u/privado
        """

    /// Writers publish every topic at QoS 1 (PUBACK codes kept); readers subscribed to `#` record what reaches
    /// them; then a retained message per writer, and fresh readers see which retained messages they may read.
    static let scenario = #"""
def scenario():
    users = {"ana": "ana-pw", "bob": "bob-pw", "carol": "carol-pw", None: None}
    topics = ["casa/luz", "casa/secreto", "casa/puerta/abrir", "casa/ana/privado", "casa/bob/privado", "public/x",
              "anon/out", "sensores/{cid}/temp", "clientes/{cid}/x", "usuarios/bob/buzon", "oficina/x"]
    proto = mqtt.MQTTv5 if V5 else mqtt.MQTTv311
    def make(cid, user):
        got = []
        c = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2, client_id=cid, protocol=proto)
        if user:
            c.username_pw_set(user, users[user])
        ready = threading.Event()
        subscribed = threading.Event()
        c.on_connect = lambda cl, u, f, rc, p: ready.set()
        c.on_subscribe = lambda cl, u, mid, rcs, p: (got.append("SUBACK " + ",".join(str(r.value) for r in rcs)), subscribed.set())
        c.on_message = lambda cl, u, m: got.append("%s|%s|r%d" % (m.topic, m.payload.decode(), 1 if m.retain else 0))
        c.connect(HOST, PORT)
        c.loop_start()
        CLIENTS.append(c)
        if not ready.wait(TIMEOUT):
            raise RuntimeError("no CONNACK for " + cid)
        return c, got, subscribed
    name = lambda user: user or "anon"
    readers = {}
    for user in users:
        c, got, subscribed = make(name(user) + "-r", user)
        c.subscribe("#", 1)
        subscribed.wait(TIMEOUT)
        readers[name(user)] = got
    acks = {}
    for user in users:
        cid = name(user) + "-w"
        c, _, _ = make(cid, user)
        codes = {}
        def on_publish(cl, u, mid, rc, p, codes=codes):
            codes[mid] = rc.value if hasattr(rc, "value") else rc
        c.on_publish = on_publish
        for topic in topics:
            topic = topic.format(cid=cid)
            info = c.publish(topic, name(user) + ">" + topic, 1)
            info.wait_for_publish(TIMEOUT)
            acks["%s %s" % (cid, topic)] = codes.get(info.mid)
        c.publish("clientes/%s/estado" % cid, "retained-" + cid, 1, retain=True).wait_for_publish(TIMEOUT)
        c.publish("casa/estado", "retained-" + cid, 1, retain=True).wait_for_publish(TIMEOUT)
    time.sleep(0.5)
    retained = {}
    for user in users:
        c, got, subscribed = make(name(user) + "-w", user)  # the writer's own id: its clientes/%c/# pattern applies
        c.subscribe("#", 1)
        subscribed.wait(TIMEOUT)
        time.sleep(0.3)
        retained[name(user)] = sorted(got)
        c.publish("casa/estado", b"", 1, retain=True).wait_for_publish(TIMEOUT)
    return {"acks": acks, "got": {k: sorted(v) for k, v in readers.items()}, "retained": retained}
"""#

    struct Outcome: Decodable, Equatable {
        var acks: [String: Int?]
        var got: [String: [String]]
        var retained: [String: [String]]
    }

    /// The password file (by mosquitto_passwd) and the ACL file, and a configuration naming both.
    private func files() throws -> (config: [String], passwd: String, acl: String) {
        guard let tool = InteropTools.find("mosquitto_passwd") else { throw XCTSkip("needs mosquitto_passwd (apt-get install -y mosquitto)") }
        let directory = try directory()
        let passwd = directory.appendingPathComponent("acl-passwd").path
        for (index, (user, password)) in [("ana", "ana-pw"), ("bob", "bob-pw"), ("carol", "carol-pw")].enumerated() {
            let outcome = try InteropProcess.run(tool, (index == 0 ? ["-c"] : []) + ["-b", passwd, user, password],
                                                 label: nextLabel("mosquitto_passwd"), directory: directory, timeout: 10)
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
        }
        let acl = directory.appendingPathComponent("aula.acl").path
        try (Self.acl + "\n").write(toFile: acl, atomically: true, encoding: .utf8)
        for path in [passwd, acl] { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path) }
        return (["allow_anonymous true", "password_file \(passwd)", "acl_file \(acl)"], passwd, acl)
    }

    func testTheACLMatrixMatchesMosquitto_v311() throws { try runMatrix(.v311) }
    func testTheACLMatrixMatchesMosquitto_v5() throws { try runMatrix(.v5) }

    private func runMatrix(_ version: WireVersion) throws {
        try XCTSkipIf(MQTTLabBrokerProcess.referenceMode, "compares with Mosquitto itself")
        guard let executable = InteropTools.find("mosquitto") else { throw XCTSkip("needs mosquitto (apt-get install -y mosquitto)") }
        let (lines, _, _) = try files()
        let config = try directory().appendingPathComponent(nextLabel("acl") + ".conf")
        try (lines.joined(separator: "\n") + "\n").write(to: config, atomically: true, encoding: .utf8)
        let broker = try startBroker(["-c", config.path])
        let mosquittoDirectory = try directory().appendingPathComponent(nextLabel("mosquitto"))
        try FileManager.default.createDirectory(at: mosquittoDirectory, withIntermediateDirectories: true)
        let mosquitto = try Mosquitto(executable: executable, passwdTool: nil, directory: mosquittoDirectory,
                                      options: Mosquitto.Options(extraConfig: Array(lines.dropFirst())))
        defer { mosquitto.stop() }

        let ours: Outcome = try paho(broker).run(Self.scenario, version: version, timeout: 60)
        let theirs: Outcome = try PahoRunner(python: try PahoRunner.locate(), port: mosquitto.port, directory: try directory())
            .run(Self.scenario, version: version, timeout: 60)

        // Every SUBSCRIBE is granted, by both; then the same deliveries, PUBACK codes and retained messages.
        for (reader, got) in ours.got { XCTAssertEqual(got.first, "SUBACK 1", reader) }
        XCTAssertEqual(ours.acks.count, 44)
        for key in Set(ours.acks.keys).union(theirs.acks.keys).sorted() {
            XCTAssertEqual(ours.acks[key] ?? nil, theirs.acks[key] ?? nil, "PUBACK code for \(key)")
        }
        for reader in Set(ours.got.keys).union(theirs.got.keys).sorted() {
            XCTAssertEqual(ours.got[reader], theirs.got[reader], "what \(reader) received")
        }
        XCTAssertEqual(ours.retained, theirs.retained, "retained messages on subscribe")

        // And outright, so that the comparison cannot pass on two empty results.
        let denied = version == .v5 ? 0x87 : 0
        XCTAssertEqual(ours.acks["ana-w oficina/x"], .some(denied))
        XCTAssertEqual(ours.acks["ana-w casa/luz"], .some(0))
        XCTAssertTrue(ours.got["bob"]?.contains("casa/puerta/abrir|bob>casa/puerta/abrir|r0") == true, "\(ours.got)")
        XCTAssertFalse(ours.got["bob"]?.contains("casa/luz|ana>casa/luz|r0") == true, "bob's deny casa/luz")
        XCTAssertTrue(ours.got["ana"]?.contains("sensores/anon-w/temp|anon>sensores/anon-w/temp|r0") == true, "\(ours.got)")
        XCTAssertEqual(ours.got["anon"], ["SUBACK 1"], "the anonymous reader may read public/# only, which nobody may write")
        XCTAssertEqual(ours.retained["carol"], ["SUBACK 1", "clientes/carol-w/estado|retained-carol-w|r1"])
        XCTAssertEqual(ours.acks["anon-w anon/out"], .some(0), "allowed, and 0x00 although no reader may read it, as Mosquitto")
    }

    /// Lint: every bad line of an ACL file is reported as path:line and the broker does not start (exit 78),
    /// as Mosquitto refuses to start too.
    func testAMalformedACLFileStopsTheBrokerWithFileAndLine() throws {
        try XCTSkipIf(MQTTLabBrokerProcess.referenceMode, "mqttlab's own message")
        guard let mqttlab = try requireMQTTLab() else { return }
        let acl = try directory().appendingPathComponent("bad.acl").path
        try "user ana\ntopic readd casa/#\ntopic read casa/#/x\nallow casa\n".write(toFile: acl, atomically: true, encoding: .utf8)
        for (language, expected) in [("en", "\(acl):2: 'readd' is not an access"), ("es", "\(acl):2: 'readd' no es un acceso")] {
            let outcome = try InteropProcess.run(mqttlab, ["broker", "-p", "0", "--acl-file", acl, "--lang", language],
                                                 label: nextLabel("bad-acl"), directory: try directory(), timeout: 10)
            XCTAssertEqual(outcome.status, 78, outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains(expected), outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains("\(acl):3: ") && outcome.stderr.contains("\(acl):4: "), outcome.stderr)
        }
        let config = try directory().appendingPathComponent("missing-acl.conf").path
        try "acl_file /nonexistent/aula.acl\n".write(toFile: config, atomically: true, encoding: .utf8)
        let missing = try InteropProcess.run(mqttlab, ["broker", "-p", "0", "-c", config, "--lang", "en"],
                                             label: nextLabel("missing-acl"), directory: try directory(), timeout: 10)
        XCTAssertEqual(missing.status, 78)
        XCTAssertTrue(missing.stderr.contains("cannot read the ACL file /nonexistent/aula.acl (acl_file at \(config):1)"), missing.stderr)
    }

    /// Each denial is explained in the trace with the user, topic and rule; the JSON trace has it as an event;
    /// and no password appears anywhere unless --show-secrets.
    func testDenialsAreExplainedAndPasswordsStayHidden() throws {
        try XCTSkipIf(MQTTLabBrokerProcess.referenceMode, "mqttlab-only feature")
        let (lines, _, acl) = try files()
        let config = try directory().appendingPathComponent(nextLabel("acl") + ".conf")
        try (lines.joined(separator: "\n") + "\n").write(to: config, atomically: true, encoding: .utf8)
        let json = try directory().appendingPathComponent(nextLabel("trace") + ".jsonl").path
        let broker = try startBroker(["-c", config.path, "--trace", "fields", "--trace-json", json])
        let clients = try mosquitto(broker, .v5)
        XCTAssertEqual(try clients.pub(["-u", "ana", "-P", "ana-pw", "-i", "ana-phone", "-q", "1", "-t", "oficina/puerta", "-m", "x"]).status, 0)
        XCTAssertEqual(try clients.pub(["-u", "ana", "-P", "ana-pw", "-i", "ana-phone", "-t", "casa/secreto", "-m", "x"]).status, 0)
        XCTAssertTrue(eventually(timeout: 3) { broker.stdout.contains("casa/secreto: denied by") }, broker.outputTail())
        XCTAssertTrue(broker.stdout.contains("ana (client ana-phone) may not write oficina/puerta: no rule of \(acl) grants it → the PUBLISH is dropped"),
                      broker.outputTail())
        XCTAssertTrue(broker.stdout.contains("ana (client ana-phone) may not write casa/secreto: denied by \(acl):7 (topic deny casa/secreto)"),
                      broker.outputTail())
        _ = broker.stop()
        let events = (try? String(contentsOfFile: json, encoding: .utf8)) ?? ""
        XCTAssertTrue(events.contains(#""access_denied""#) && events.contains(#""reason":"deny_rule""#), events.suffix(2000).description)
        for text in [broker.stdout, broker.stderr, events] {
            XCTAssertFalse(text.contains("ana-pw"), "a password in the trace")
        }
    }

    /// Many wrong logins at once, while a good client publishes: every message of the good client arrives
    /// and the broker stays up (a functional check, no timing threshold).
    func testManyBadLoginsInParallelDoNotStopAGoodClient() throws {
        let (lines, _, _) = try files()
        let config = try directory().appendingPathComponent(nextLabel("auth") + ".conf")
        try ([lines[1], "allow_anonymous false"].joined(separator: "\n") + "\n").write(to: config, atomically: true, encoding: .utf8)
        let broker = try startBroker(["-c", config.path])
        let subscriber = try startSubscriber(broker, .v311, clientID: "good-sub", ["-u", "ana", "-P", "ana-pw", "-t", "lab/#", "-q", "1"])
        let clients = try mosquitto(broker, .v311)
        // 40 wrong logins as 40 processes at once (a wrong password for a known user, or an unknown user).
        let (pub, _) = try Self.mosquittoTools()
        var attackers: [InteropProcess] = []
        defer { for attacker in attackers { attacker.stop(signal: SIGKILL, grace: 1) } }
        for index in 0..<40 {
            attackers.append(try InteropProcess(pub, ["-h", "127.0.0.1", "-p", String(broker.port), "-u", index % 2 == 0 ? "ana" : "mallory",
                                                      "-P", "guess-\(index)", "-i", "bad-\(index)", "-t", "lab/x", "-m", "x"],
                                                label: nextLabel("attacker"), directory: try directory()))
        }
        for index in 0..<20 {
            XCTAssertEqual(try clients.pub(["-u", "ana", "-P", "ana-pw", "-q", "1", "-t", "lab/good", "-m", "m\(index)"]).status, 0)
        }
        for attacker in attackers {
            XCTAssertTrue(attacker.waitForExit(timeout: 20))
            XCTAssertEqual(attacker.exitStatus, 5, "a wrong login is refused (CONNACK 0x05)")
        }
        let received = subscriber.waitForMessages(20, timeout: 10)
        XCTAssertEqual(received.map(\.payload), (0..<20).map { "m\($0)" })
        assertBrokerAlive(broker, "after 40 bad logins")
    }
}
