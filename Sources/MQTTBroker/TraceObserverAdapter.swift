import MQTTBrokerCore

/// Attaches a trace sink to the engine: the engine's observer is weak and speaks `BrokerEvent`s only, so
/// this adapter stamps each event with the wall clock and forwards it. The broker core keeps it alive
/// exactly as long as the sink is attached.
final class TraceObserverAdapter: BrokerObserver {
    let sink: any BrokerTraceSink
    /// The engine's count of actions so far, read when an event arrives.
    private let position: () -> Int
    /// Events waiting for the actions decided before them to be performed (and traced) first.
    private var pending: [(position: Int, event: BrokerEvent, time: BrokerWallClock)] = []

    init(sink: any BrokerTraceSink, position: @escaping () -> Int) {
        self.sink = sink
        self.position = position
    }

    func broker(_ event: BrokerEvent) {
        pending.append((position(), event, .now()))
    }

    /// Traces the events that come before action number `index` (counted as the engine counts them).
    func flush(before index: Int) {
        var taken = 0
        while taken < pending.count && pending[taken].position <= index {
            sink.trace(event: pending[taken].event, at: pending[taken].time)
            taken += 1
        }
        if taken > 0 { pending.removeFirst(taken) }
    }

    func flushAll() {
        for item in pending { sink.trace(event: item.event, at: item.time) }
        pending.removeAll(keepingCapacity: true)
    }
}
