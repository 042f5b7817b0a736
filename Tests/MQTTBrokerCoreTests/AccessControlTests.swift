import MQTTBrokerCore
import MQTTCodec
import XCTest

/// `acl_file` in the engine: the file's syntax as Mosquitto 2.0.11 reads it, the order of its checks, and the
/// answers Mosquitto gives (measured with paho-mqtt and raw packets against mosquitto 2.0.11): every SUBSCRIBE
/// granted, a denied PUBLISH dropped with 5.0 PUBACK/PUBREC 0x87 (3.1.1: a plain success), reading checked
/// per message at delivery, retained messages included.
final class AccessControlTests: XCTestCase {
    static let file = """
        # anonymous clients
        topic read public/#

        user ana
        topic readwrite casa/#
        topic deny casa/secreto
        topic read sensores/+/temp

        user bob
        topic write casa/puerta/abrir
        pattern readwrite clientes/%c/#
        pattern read usuarios/%u/buzon
        pattern deny casa/%u/privado
        """

    private func parse(_ text: String = file) throws -> AccessControlList {
        try AccessControlListParser(source: "acl.txt").parse(text).get().list
    }

    // MARK: The file

    func testTheFileIsReadAsMosquittoReadsIt() throws {
        let acl = try parse()
        XCTAssertEqual(acl.anonymousRules.map(\.text), ["topic read public/#"])
        XCTAssertEqual(acl.userRules["ana"]?.map(\.text), ["topic readwrite casa/#", "topic deny casa/secreto", "topic read sensores/+/temp"])
        // A pattern applies to everyone, wherever it is written (here inside bob's block).
        XCTAssertEqual(acl.userRules["bob"]?.map(\.text), ["topic write casa/puerta/abrir"])
        XCTAssertEqual(acl.patterns.map(\.line), [11, 12, 13])
        // One word alone is the topic, with readwrite access: `topic read` grants the topic "read".
        let lone = try parse("topic read\nuser x y\ntopic   write   a b\n")
        XCTAssertEqual(lone.anonymousRules, [AccessRule(grant: .readWrite, filter: "read", line: 1, isPattern: false)])
        XCTAssertEqual(lone.userRules["x y"], [AccessRule(grant: .write, filter: "a b", line: 3, isPattern: false)])
    }

    /// Each mistake Mosquitto refuses at start, reported at its line, all of them, in both languages.
    func testMistakesAreReportedWithFileAndLine() {
        let text = "# ok\nuser\ntopic\ntopic readd x/y\ntopic read a/#/b\nbogus line\ntopic\tread x\nTOPIC read x\npattern\n"
        guard case .failure(let errors) = AccessControlListParser(source: "aula.acl").parse(text) else { return XCTFail("parsed") }
        XCTAssertEqual(errors.issues.map(\.line), [2, 3, 4, 5, 6, 7, 8, 9])
        XCTAssertEqual(errors.text(.en), """
            aula.acl:2: 'user' needs a user name after it
            aula.acl:3: a topic filter is missing
            aula.acl:4: 'readd' is not an access: write read, write, readwrite or deny before the topic filter
            aula.acl:5: 'a/#/b' is not a valid topic filter: # must be the last level of the filter
            aula.acl:6: 'bogus' is not an ACL line: lines start with user, topic, pattern or # (a comment)
            aula.acl:7: 'topic\tread' is not an ACL line: lines start with user, topic, pattern or # (a comment)
            aula.acl:8: 'TOPIC' is not an ACL line: lines start with user, topic, pattern or # (a comment)
            aula.acl:9: a topic filter is missing
            """)
        XCTAssertTrue(errors.text(.es).hasPrefix("aula.acl:2: 'user' necesita un nombre de usuario detrás\n"), errors.text(.es))
    }

    func testAPatternWithoutSubstitutionIsAWarningNotAnError() throws {
        let parsed = try AccessControlListParser(source: "a.acl").parse("  # indented comment\r\npattern read todos/#\r\n").get()
        XCTAssertEqual(parsed.list.patterns.count, 1)
        XCTAssertEqual(parsed.warnings.map(\.line), [2])
        XCTAssertTrue(parsed.warnings[0].message.en.contains("has no %c or %u"))
    }

    // MARK: The check

    func testTheOrderOfTheCheckIsMosquittos() throws {
        let acl = try parse()
        func may(_ user: String?, _ client: String, _ topic: String, _ access: TopicAccess) -> Bool {
            acl.check(username: user, clientID: client, topic: topic, access: access).isGranted
        }
        XCTAssertTrue(may("ana", "a1", "casa/luz", .write))
        XCTAssertTrue(may("ana", "a1", "casa/luz", .read))
        // The user's deny wins over the user's grant.
        XCTAssertFalse(may("ana", "a1", "casa/secreto", .read))
        XCTAssertTrue(may("ana", "a1", "sensores/x/temp", .read))
        XCTAssertFalse(may("ana", "a1", "sensores/x/temp", .write))
        // The user's own grant is checked before the patterns, so a pattern deny does not take it away.
        XCTAssertTrue(may("ana", "a1", "casa/ana/privado", .write))
        XCTAssertFalse(may("bob", "b1", "casa/bob/privado", .write))
        // Patterns: %c and %u.
        XCTAssertTrue(may("bob", "b1", "clientes/b1/x", .write))
        XCTAssertFalse(may("bob", "b1", "clientes/a1/x", .write))
        XCTAssertTrue(may("bob", "b1", "usuarios/bob/buzon", .read))
        XCTAssertFalse(may("bob", "b1", "usuarios/bob/buzon", .write))
        // Anonymous: the section before any user line, %c patterns, never %u ones.
        XCTAssertTrue(may(nil, "n1", "public/x", .read))
        XCTAssertFalse(may(nil, "n1", "public/x", .write))
        XCTAssertTrue(may(nil, "n1", "clientes/n1/x", .write))
        // A user without a block of its own has the patterns only.
        XCTAssertFalse(may("carol", "c1", "public/x", .read))
        XCTAssertTrue(may("carol", "c1", "clientes/c1/y", .read))
        // A + or # in the id or name would widen a pattern: refused everything the patterns would give.
        XCTAssertEqual(acl.check(username: "bob", clientID: "#", topic: "clientes/#/x", access: .write), .denied(.wildcardInClientID))
        XCTAssertEqual(acl.check(username: "b+", clientID: "b1", topic: "clientes/b1/x", access: .write), .denied(.wildcardInUsername))
        // Why: the rule, or none.
        guard case .denied(.deniedByRule(let rule)) = acl.check(username: "ana", clientID: "a1", topic: "casa/secreto", access: .write) else {
            return XCTFail("not denied by the rule")
        }
        XCTAssertEqual(rule.line, 6)
        XCTAssertEqual(acl.check(username: "ana", clientID: "a1", topic: "oficina/x", access: .write), .denied(.noRuleGrants))
    }

    // MARK: The engine

    private func harness() throws -> EngineHarness {
        let acl = try parse()
        return EngineHarness { $0.accessControl = acl }
    }

    private func connect(_ harness: EngineHarness, _ clientID: String, user: String?, version: ProtocolVersion = .v5_0,
                         will: Connect.Will? = nil) -> ConnectionID {
        let id = harness.open()
        harness.send(.connect(Connect(version: version, clientID: clientID, will: will, username: user)), from: id)
        _ = harness.take(id)
        return id
    }

    private var denials: (EngineHarness) -> [AccessDenial] {
        { $0.events.compactMap { if case .accessDenied(let denial) = $0 { denial } else { nil } } }
    }

    func testEverySubscriptionIsGrantedAndReadingIsCheckedPerMessage() throws {
        for version in [ProtocolVersion.v3_1_1, .v5_0] {
            let harness = try harness()
            let ana = connect(harness, "ana-\(version.isV5)", user: "ana", version: version)
            let spy = connect(harness, "spy-\(version.isV5)", user: nil, version: version)
            // Mosquitto 2.0.11 grants every filter, even ones the user may never read [MQTT-3.9.3-1].
            XCTAssertEqual(harness.subscribe(ana, "#", qos: .exactlyOnce)?.reasonCodes, [ReasonCode(2)])
            XCTAssertEqual(harness.subscribe(spy, "#", qos: .exactlyOnce)?.reasonCodes, [ReasonCode(2)])
            harness.publish(ana, "casa/luz", "on", qos: .atLeastOnce)
            XCTAssertEqual(harness.take(ana).count, 2, "ana gets her own message and its PUBACK")
            XCTAssertEqual(harness.publishes(spy).map(\.topic), [], "the anonymous spy may not read casa/luz")
            harness.publish(spy, "public/x", "hi")  // the spy may read public/#, not write it: dropped
            XCTAssertTrue(harness.publishes(ana).isEmpty)
            XCTAssertEqual(denials(harness).map(\.action), [.delivery, .publish])
            XCTAssertEqual(denials(harness).first?.reason, .noRuleGrants)
        }
    }

    func testADeniedPublishIsAnsweredAsMosquittoAnswersIt() throws {
        let harness = try harness()
        for version in [ProtocolVersion.v3_1_1, .v5_0] {
            let code: ReasonCode = version.isV5 ? .notAuthorized : .success
            let ana = connect(harness, "ana-\(version.isV5)", user: "ana", version: version)
            let reader = connect(harness, "reader-\(version.isV5)", user: "ana", version: version)
            _ = harness.subscribe(reader, "#")
            harness.publish(ana, "oficina/x", "q0")
            XCTAssertEqual(harness.take(ana), [])
            harness.publish(ana, "oficina/x", "q1", qos: .atLeastOnce, packetID: 7)
            XCTAssertEqual(harness.take(ana), [.puback(PublishAck(packetID: 7, reasonCode: code))])
            harness.publish(ana, "casa/secreto", "q2", qos: .exactlyOnce, packetID: 8)
            XCTAssertEqual(harness.take(ana), [.pubrec(PublishAck(packetID: 8, reasonCode: code))])
            if !version.isV5 {
                harness.send(.pubrel(PublishAck(packetID: 8)), from: ana)
                XCTAssertEqual(harness.take(ana), [.pubcomp(PublishAck(packetID: 8))])
            }
            // A denied retained message is not stored either.
            harness.publish(ana, "oficina/estado", "r", qos: .atLeastOnce, retain: true)
            XCTAssertEqual(harness.publishes(reader), [], "nothing denied reaches anyone")
        }
        let late = connect(harness, "late", user: "ana")
        _ = harness.subscribe(late, "oficina/#")
        XCTAssertEqual(harness.publishes(late), [])
    }

    func testRetainedMessagesPassTheReadCheckOnSubscribe() throws {
        let harness = try harness()
        let ana = connect(harness, "ana", user: "ana")
        harness.publish(ana, "casa/luz", "ON", qos: .atLeastOnce, retain: true)
        harness.publish(ana, "clientes/ana/nota", "mine", qos: .atLeastOnce, retain: true)
        _ = harness.take(ana)
        let bob = connect(harness, "bob", user: "bob")
        _ = harness.subscribe(bob, "#")
        XCTAssertEqual(harness.publishes(bob), [], "bob may read neither")
        let anaAgain = connect(harness, "ana-2", user: "ana")
        _ = harness.subscribe(anaAgain, "#")
        XCTAssertEqual(harness.publishes(anaAgain).map(\.topic), ["casa/luz"], "clientes/ana/ is ana's client id's, not ana-2's")
        XCTAssertEqual(denials(harness).filter { $0.action == .retained }.map(\.clientID), ["bob", "bob", "ana-2"])
    }

    func testAWillOnATopicTheClientMayNotWriteIsNeverPublished() throws {
        let harness = try harness()
        let ana = connect(harness, "ana", user: "ana")
        _ = harness.subscribe(ana, "casa/#")
        let anonymous = connect(harness, "anon", user: nil, will: Connect.Will(topic: "casa/alarma", payload: Array("gone".utf8)))
        harness.feed(.disconnected(anonymous))
        XCTAssertEqual(harness.publishes(ana), [])
        XCTAssertEqual(denials(harness).map(\.action), [.will])
    }

    func testWithoutAnACLNothingIsCheckedAndNoEventIsEmitted() {
        let harness = EngineHarness()
        let a = connect(harness, "a", user: "ana")
        let b = connect(harness, "b", user: nil)
        _ = harness.subscribe(b, "#")
        harness.publish(a, "casa/secreto", "x", qos: .atLeastOnce)
        XCTAssertEqual(harness.publishes(b).map(\.topic), ["casa/secreto"])
        XCTAssertTrue(denials(harness).isEmpty)
    }
}

extension AccessControlTests {
    /// `$SYS` is read-checked like any topic (`#` never matches it, so it needs its own line), and its denials
    /// stay out of the trace as `$SYS` traffic does.
    func testSysTopicsNeedTheirOwnReadLineAndTheirDenialsAreQuiet() throws {
        let acl = try AccessControlListParser(source: "acl.txt").parse("user admin\ntopic read $SYS/#\nuser ana\ntopic read #\n").get().list
        let harness = EngineHarness {
            $0.accessControl = acl
            $0.sysInterval = 1
        }
        let admin = harness.open()
        harness.send(.connect(Connect(version: .v5_0, clientID: "admin", username: "admin")), from: admin)
        let ana = harness.open()
        harness.send(.connect(Connect(version: .v5_0, clientID: "ana", username: "ana")), from: ana)
        _ = harness.take(admin)
        _ = harness.take(ana)
        _ = harness.subscribe(admin, "$SYS/#", qos: .atMostOnce)
        _ = harness.subscribe(ana, "$SYS/#", qos: .atMostOnce)
        harness.advance(seconds: 2)
        XCTAssertFalse(harness.publishes(admin).isEmpty)
        XCTAssertTrue(harness.publishes(ana).isEmpty)
        XCTAssertTrue(harness.events.allSatisfy { if case .accessDenied = $0 { false } else { true } })
    }
}
