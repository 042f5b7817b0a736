import Foundation
import XCTest
@testable import MQTTBrokerCore
import MQTTCodec
@testable import MQTTBrokerStore

/// A fresh temporary folder per test, removed afterwards, and the stores opened in it closed.
class StoreTestCase: XCTestCase {
    private(set) var directory: URL!
    private var openStores: [BrokerStore] = []

    override func setUpWithError() throws {
        try super.setUpWithError()
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mqttlab-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        for store in openStores { try? store.close() }
        openStores = []
        if let directory {
            // A test may have made the folder read-only.
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
            try? FileManager.default.removeItem(at: directory)
        }
        try super.tearDownWithError()
    }

    func path(_ name: String = "broker.db") -> String {
        directory.appendingPathComponent(name).path
    }

    /// Opens a store that tearDown closes.
    func open(_ path: String? = nil, synchronous: BrokerStoreSynchronous = .normal) throws -> BrokerStore {
        let store = try BrokerStore(path: path ?? self.path(), synchronous: synchronous)
        openStores.append(store)
        return store
    }

    /// `write(_:completion:)`, waited for (bounded), that must succeed.
    @discardableResult
    func commit(_ changes: DurableChanges, to store: BrokerStore, file: StaticString = #filePath, line: UInt = #line) -> Result<Void, any Error> {
        let result = outcome(of: changes, on: store)
        if case .failure(let error) = result { XCTFail("write failed: \(error)", file: file, line: line) }
        return result
    }

    /// `write(_:completion:)`, waited for (bounded): its result, success or not.
    func outcome(of changes: DurableChanges, on store: BrokerStore) -> Result<Void, any Error> {
        let done = expectation(description: "write")
        let box = Locked<Result<Void, any Error>?>(nil)
        store.write(changes) { result in
            box.withValue { $0 = result }
            done.fulfill()
        }
        wait(for: [done], timeout: 10)
        return box.current ?? .failure(BrokerStoreError.cannotOpen(path: store.path, reason: "no completion"))
    }

    func changes(sessions: [SessionSnapshot] = [], deleteSessions: [String] = [],
                 retained: [RetainedSnapshot] = [], deleteRetained: [String] = []) -> DurableChanges {
        var changes = DurableChanges()
        for session in sessions { changes.sessions[DurableKey(session.clientID)] = .some(session) }
        for clientID in deleteSessions { changes.sessions[DurableKey(clientID)] = .some(nil) }
        for message in retained { changes.retained[DurableKey(message.topic)] = .some(message) }
        for topic in deleteRetained { changes.retained[DurableKey(topic)] = .some(nil) }
        return changes
    }
}

/// A value handed from GRDB's queue (or many threads) to the test thread.
/// `@unchecked Sendable` is safe: the only stored `var`, `value`, is read and written exclusively inside
/// `lock.withLock`, and `Value` is itself Sendable.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withValue<T>(_ body: (inout Value) throws -> T) rethrows -> T { try lock.withLock { try body(&value) } }
    var current: Value { lock.withLock { value } }
}

/// Snapshots with every field set.
enum Fixtures {
    /// One of each of the 27 property kinds, user properties twice (their order matters), odd values.
    static let everyProperty: Properties = [
        .payloadFormatIndicator(1),
        .messageExpiryInterval(UInt32.max),
        .contentType("application/json; charset=utf-8 ñ"),
        .responseTopic("réponse/✓/#"),
        .correlationData([0x00, 0xFF, 0x7F, 0x80, 0x0A]),
        .subscriptionIdentifier(268_435_455),
        .sessionExpiryInterval(0),
        .assignedClientIdentifier("auto-ñ-😀"),
        .serverKeepAlive(UInt16.max),
        .authenticationMethod("SCRAM-SHA-1"),
        .authenticationData([]),
        .requestProblemInformation(0),
        .willDelayInterval(7),
        .requestResponseInformation(1),
        .responseInformation("info"),
        .serverReference("other:1883"),
        .reasonString("\"quoted\" \\ back\\slash\ttab\nnewline"),
        .receiveMaximum(1),
        .topicAliasMaximum(65_535),
        .topicAlias(3),
        .maximumQoS(1),
        .retainAvailable(0),
        .userProperty(name: "k", value: "v2"),
        .userProperty(name: "k", value: "v1"),
        .userProperty(name: "", value: ""),
        .maximumPacketSize(268_435_460),
        .wildcardSubscriptionAvailable(1),
        .subscriptionIdentifierAvailable(0),
        .sharedSubscriptionAvailable(1),
    ]

    static let allBytes: [UInt8] = Array(0...255) + Array((0...255).reversed())

    static func message(_ topic: String, payload: [UInt8], qos: QoS, packetID: UInt16, stage: String,
                        properties: Properties = [], expires: UInt32? = nil, subscriptionIDs: [UInt32] = []) -> SessionSnapshot.MessageEntry {
        SessionSnapshot.MessageEntry(
            topic: topic, payload: payload, qos: qos, retain: packetID % 2 == 0, properties: properties,
            expiresInSeconds: expires, subscriptionIdentifiers: subscriptionIDs, packetID: packetID, stage: stage
        )
    }

    static func session(_ clientID: String, version: ProtocolVersion = .v5_0, marker: UInt16 = 1) -> SessionSnapshot {
        SessionSnapshot(
            clientID: clientID,
            version: version,
            expiryInterval: version == .v5_0 ? 3600 : UInt32.max,
            subscriptions: [
                .init(filter: "sensors/+/température", qos: .exactlyOnce, noLocal: true, retainAsPublished: true,
                      retainHandling: 2, identifier: 42),
                .init(filter: "#", qos: .atMostOnce, noLocal: false, retainAsPublished: false, retainHandling: 0, identifier: nil),
                .init(filter: "日本/+/😀", qos: .atLeastOnce, noLocal: false, retainAsPublished: true, retainHandling: 1,
                      identifier: 268_435_455),
            ],
            inflight: [
                message("a/b", payload: allBytes, qos: .atLeastOnce, packetID: 1, stage: "awaitingPuback",
                        properties: everyProperty, expires: 30, subscriptionIDs: [42, 7]),
                message("ñ/ü", payload: [], qos: .exactlyOnce, packetID: 65_535, stage: "awaitingPubrec"),
                message("x", payload: Array("done".utf8), qos: .exactlyOnce, packetID: 2, stage: "awaitingPubcomp"),
            ],
            queue: [
                message("q/1", payload: Array("first".utf8), qos: .atLeastOnce, packetID: 0, stage: "queued",
                        properties: [.userProperty(name: "n", value: "1")], expires: 0),
                message("q/2", payload: Array(repeating: 0, count: 1000), qos: .atMostOnce, packetID: 0, stage: "queued"),
            ],
            receivedQoS2: [1, 7, 65_535],
            nextPacketID: marker,
            username: "profe ñ"
        )
    }

    static func retained(_ topic: String, payload: [UInt8] = allBytes, qos: QoS = .atLeastOnce) -> RetainedSnapshot {
        RetainedSnapshot(topic: topic, payload: payload, qos: qos, properties: everyProperty, expiresInSeconds: 120)
    }
}

extension Array where Element == SessionSnapshot {
    /// Client ids as bytes: `String ==` would call "é" and "e" + U+0301 equal.
    var idBytes: [[UInt8]] { map { [UInt8]($0.clientID.utf8) } }
}

extension Array where Element == RetainedSnapshot {
    var topicBytes: [[UInt8]] { map { [UInt8]($0.topic.utf8) } }
}
