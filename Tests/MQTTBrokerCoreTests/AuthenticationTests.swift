import MQTTBrokerCore
import MQTTCodec
import XCTest

/// `allow_anonymous` and `password_file` in the engine, with the answers Mosquitto 2.0.11 gives
/// (measured with mosquitto_pub): 3.1.1 CONNACK 0x05 and 5.0 CONNACK 0x87 for every refusal.
final class AuthenticationTests: XCTestCase {
    /// A checker that knows alice with password "secret" (the real one is a PasswordTable in the CLI).
    private let aliceOnly = BrokerAuthentication.PasswordChecker(source: "test") { user, password in
        guard user == "alice" else { return .unknownUser }
        return password == Array("secret".utf8) ? .accepted : .wrongPassword
    }

    private func connect(_ harness: EngineHarness, _ version: ProtocolVersion, user: String?, password: String?) -> (ConnectionID, ConnAck?) {
        let id = harness.open()
        harness.send(.connect(Connect(version: version, clientID: "c\(id.rawValue)", username: user,
                                      password: password.map { Array($0.utf8) })), from: id)
        guard case .connack(let connack) = harness.take(id).first else { return (id, nil) }
        return (id, connack)
    }

    private func failures(_ harness: EngineHarness) -> [AuthenticationFailure] {
        harness.events.compactMap { if case .authenticationFailed(_, _, _, let failure) = $0 { failure } else { nil } }
    }

    func testWithAPasswordFileOnlyTheRightPasswordConnects() {
        for allowAnonymous in [false, true] {
            let harness = EngineHarness { $0.authentication = BrokerAuthentication(allowAnonymous: allowAnonymous, passwords: aliceOnly) }
            for version in [ProtocolVersion.v3_1_1, .v5_0] {
                let refused = version.isV5 ? ReasonCode.notAuthorized : ReasonCode(0x05)
                XCTAssertEqual(connect(harness, version, user: "alice", password: "secret").1?.reasonCode, .success)
                let (wrongID, wrong) = connect(harness, version, user: "alice", password: "Secret")
                XCTAssertEqual(wrong?.reasonCode, refused)
                XCTAssertTrue(harness.closed.contains(wrongID))
                XCTAssertEqual(connect(harness, version, user: "bob", password: "secret").1?.reasonCode, refused)
                XCTAssertEqual(connect(harness, version, user: "alice", password: nil).1?.reasonCode, refused)
                XCTAssertEqual(connect(harness, version, user: nil, password: nil).1?.reasonCode, allowAnonymous ? .success : refused)
            }
            XCTAssertEqual(failures(harness), Array(repeating: [.wrongPassword, .unknownUser, .noPassword] + (allowAnonymous ? [] : [.anonymousNotAllowed]), count: 2).flatMap { $0 })
        }
    }

    func testWithoutAPasswordFileAUserNameIsOnlyALabel() {
        let open = EngineHarness()
        XCTAssertEqual(connect(open, .v5_0, user: "anyone", password: "x").1?.reasonCode, .success)
        XCTAssertEqual(connect(open, .v3_1_1, user: nil, password: nil).1?.reasonCode, .success)

        // allow_anonymous false and no password file: nobody can be checked, so nobody gets in.
        let closed = EngineHarness { $0.authentication = BrokerAuthentication(allowAnonymous: false) }
        XCTAssertEqual(connect(closed, .v3_1_1, user: "alice", password: "secret").1?.reasonCode, ReasonCode(0x05))
        XCTAssertEqual(connect(closed, .v5_0, user: nil, password: nil).1?.reasonCode, .notAuthorized)
        XCTAssertEqual(failures(closed), [.noPasswordFile, .anonymousNotAllowed])
    }

    func testTheRefusalEventsNeverCarryThePassword() {
        let harness = EngineHarness { $0.authentication = BrokerAuthentication(allowAnonymous: false, passwords: aliceOnly) }
        _ = connect(harness, .v5_0, user: "alice", password: "guess-me-123")
        XCTAssertFalse(harness.events.isEmpty)
        for event in harness.events {
            XCTAssertFalse(String(describing: event).contains("guess-me-123"), "\(event)")
        }
        guard case .authenticationFailed(_, let clientID, let username, .wrongPassword)? = harness.events.first else {
            return XCTFail("\(harness.events)")
        }
        XCTAssertEqual(username, "alice")
        XCTAssertNotNil(clientID)
    }

    /// A refused login ends its connection as a refusal with the CONNACK's code, not as a protocol
    /// violation (the trace used to say "closed for breaking the protocol" after a wrong password).
    func testARefusedLoginEndsAsARefusalNotAsAProtocolViolation() {
        for (version, code) in [(ProtocolVersion.v3_1_1, ReasonCode(0x05)), (.v5_0, .notAuthorized)] {
            let harness = EngineHarness { $0.authentication = BrokerAuthentication(allowAnonymous: false, passwords: aliceOnly) }
            let (id, connack) = connect(harness, version, user: "alice", password: "wrong")
            XCTAssertEqual(connack?.reasonCode, code)
            let reasons = harness.events.compactMap { event -> BrokerEvent.EndReason? in
                if case .connectionEnded(let ended, _, _, let reason) = event, ended == id { reason } else { nil }
            }
            XCTAssertEqual(reasons, [.connectionRefused(code)], "\(version)")
        }
    }
}
