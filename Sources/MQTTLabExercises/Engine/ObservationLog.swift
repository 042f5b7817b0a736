import MQTTBroker
import MQTTBrokerCore
import MQTTCodec
import Synchronization

/// One thing the checker's broker saw: a packet in or out, or an engine event.
public struct Observation: Sendable {
    public enum Item: Sendable {
        case packet(BrokerPacketRecord)
        case event(BrokerEvent)
    }
    /// Position in the log (0-based): the order things happened on the broker's loop.
    public var index: Int
    public var item: Item
}

/// Records what the broker does, for the checkers: a `BrokerTraceSink` the broker calls on its event loop.
/// Appending is a short critical section under a `Mutex`, so the loop never waits on a checker; the log is
/// bounded (`limit` observations; later ones are counted, not kept) so a flooding client cannot exhaust memory.
public final class ObservationLog: BrokerTraceSink, Sendable {
    private struct State {
        var items: [Observation] = []
        var dropped = 0
    }
    private let state = Mutex(State())
    public let limit: Int

    public init(limit: Int = 20_000) {
        self.limit = limit
    }

    public func trace(packet record: BrokerPacketRecord) {
        append(.packet(record))
    }

    public func trace(event: BrokerEvent, at time: BrokerWallClock) {
        append(.event(event))
    }

    private func append(_ item: Observation.Item) {
        state.withLock { state in
            if state.items.count >= limit {
                state.dropped += 1
            } else {
                state.items.append(Observation(index: state.items.count, item: item))
            }
        }
    }

    /// Everything observed so far.
    public var snapshot: [Observation] { state.withLock { $0.items } }
    public var count: Int { state.withLock { $0.items.count } }
}
