import Foundation
import MQTTBroker
import MQTTBrokerCore
import MQTTCodec

/// A trace sink that keeps everything it is told, for assertions from the test's thread.
///
/// `@unchecked Sendable` is safe: the three arrays are read and written only inside `lock.withLock`,
/// by the broker's event loop (writes) and the test (reads).
final class RecordingSink: BrokerTraceSink, @unchecked Sendable {
    private let lock = NSLock()
    private var packetRecords: [BrokerPacketRecord] = []
    private var eventRecords: [BrokerEvent] = []
    private var transportRecords: [BrokerTransportEvent] = []
    /// Packets and events in the order the sink heard them, for ordering assertions.
    private var orderRecords: [String] = []

    func trace(packet record: BrokerPacketRecord) {
        lock.withLock {
            packetRecords.append(record)
            orderRecords.append("\(record.direction == .incoming ? "in" : "out") \(record.packet.map { "\($0.type)" } ?? "?")")
        }
    }
    func trace(event: BrokerEvent, at time: BrokerWallClock) {
        lock.withLock {
            eventRecords.append(event)
            if case .connectionEnded = event { orderRecords.append("event connectionEnded") }
        }
    }
    func trace(transport: BrokerTransportEvent, at time: BrokerWallClock) { lock.withLock { transportRecords.append(transport) } }

    var packets: [BrokerPacketRecord] { lock.withLock { packetRecords } }
    var events: [BrokerEvent] { lock.withLock { eventRecords } }
    var transport: [BrokerTransportEvent] { lock.withLock { transportRecords } }
    var order: [String] { lock.withLock { orderRecords } }

    /// Polls until `condition` holds (the loop traces asynchronously from the test's point of view).
    func waitUntil(timeout: Double = 5, _ condition: (RecordingSink) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(self) { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return condition(self)
    }
}
