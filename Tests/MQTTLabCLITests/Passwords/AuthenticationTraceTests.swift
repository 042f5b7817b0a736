import MQTTBroker
import MQTTBrokerCore
import MQTTCodec
@testable import MQTTLabCLI
import XCTest

/// How the trace words a refused login, in both languages and in JSON.
final class AuthenticationTraceTests: XCTestCase {
    func testARefusedLoginIsExplainedInEnglishSpanishAndJSON() {
        let event = BrokerEvent.authenticationFailed(ConnectionID(3), clientID: "ana", username: "alice", failure: .wrongPassword)
        XCTAssertEqual(BrokerTraceEvents(language: .en).lines(event).map(\.text),
                       ["· wrong password for user alice (its hash in the password file does not match)"])
        XCTAssertEqual(BrokerTraceEvents(language: .es).lines(event).map(\.text),
                       ["· contraseña incorrecta para el usuario alice (no coincide con su hash del fichero de contraseñas)"])
        let anonymous = BrokerEvent.authenticationFailed(ConnectionID(4), clientID: nil, username: nil, failure: .anonymousNotAllowed)
        XCTAssertTrue(BrokerTraceEvents(language: .en).lines(anonymous)[0].text.contains("allow_anonymous false"))

        let renderer = BrokerTraceJSONRenderer(language: .en, showSecrets: false, emit: { _ in })
        let time = BrokerWallClock(seconds: 1_795_609_889, nanoseconds: 0)
        let json = JSONWriter.render(renderer.eventValue(event, at: time))
        XCTAssertTrue(json.hasSuffix(#""event":"authentication_failed","connection":3,"client":"ana","username":"alice","failure":"wrong_password"}"#), json)
    }
}
