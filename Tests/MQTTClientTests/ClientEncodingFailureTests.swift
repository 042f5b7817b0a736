import MQTTClient
import MQTTCodec
import Synchronization
import XCTest

/// Operations whose packet cannot be encoded fail at once with the reason, and leave the client usable.
final class ClientEncodingFailureTests: ClientTestCase {
    /// A topic filter longer than an MQTT string can hold (65,535 bytes [MQTT-1.5.4]) cannot be sent.
    /// Before the fix, SUBSCRIBE and UNSUBSCRIBE waited forever for an answer to a packet never written.
    func testAnUnencodableSubscribeFailsAndTheClientGoesOn() async throws {
        let server = try await startBroker()
        let client = try await connect(server, id: "long-filter")
        let tooLong = String(repeating: "a", count: 70_000)

        let subscribeError = await outcome(within: 5) {
            _ = try await client.subscribe([Subscribe.Subscription(filter: tooLong, options: .init(qos: .atMostOnce))])
        }
        guard case .invalidPacket = subscribeError else { return XCTFail("expected invalidPacket, got \(String(describing: subscribeError))") }

        let unsubscribeError = await outcome(within: 5) { _ = try await client.unsubscribe([tooLong]) }
        guard case .invalidPacket = unsubscribeError else { return XCTFail("expected invalidPacket, got \(String(describing: unsubscribeError))") }

        // The same client still subscribes and receives.
        let granted = try await client.subscribe([Subscribe.Subscription(filter: "ok/#", options: .init(qos: .atLeastOnce))])
        XCTAssertEqual(granted.reasonCodes.map(\.rawValue), [1])
        _ = try await client.publish(topic: "ok/1", payload: Array("still here".utf8), qos: .atLeastOnce)
        let message = try await next(client)
        XCTAssertEqual(message.topic, "ok/1")
    }

    /// The error `body` threw, or nil when it returned. A hang fails the test after `seconds` (and returns
    /// `.closed`); the hung operation is left behind, since a future that never completes cannot be cancelled.
    private func outcome(within seconds: Double, _ body: @escaping @Sendable () async throws -> Void,
                         file: StaticString = #filePath, line: UInt = #line) async -> MQTTClientError? {
        let once = ResumeOnce()
        let result: MQTTClientError?? = await withCheckedContinuation { continuation in
            Task {
                do {
                    try await body()
                    once.run { continuation.resume(returning: .some(nil)) }
                } catch {
                    once.run { continuation.resume(returning: .some(error as? MQTTClientError ?? .closed)) }
                }
            }
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                once.run { continuation.resume(returning: nil) }
            }
        }
        guard let result else {
            XCTFail("no answer within \(seconds) s: the operation hangs", file: file, line: line)
            return .closed
        }
        return result
    }
}

/// Runs the first closure given to it and ignores the rest: a continuation is resumed exactly once.
private final class ResumeOnce: Sendable {
    private let done = Mutex(false)

    func run(_ body: () -> Void) {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        if first { body() }
    }
}
