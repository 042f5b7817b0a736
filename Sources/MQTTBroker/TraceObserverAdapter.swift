import MQTTBrokerCore

/// Attaches a trace sink to the engine: the engine's observer is weak and speaks `BrokerEvent`s only, so
/// this adapter stamps each event with the wall clock and forwards it. The broker core keeps it alive
/// exactly as long as the sink is attached.
final class TraceObserverAdapter: BrokerObserver {
    let sink: any BrokerTraceSink

    init(sink: any BrokerTraceSink) {
        self.sink = sink
    }

    func broker(_ event: BrokerEvent) {
        sink.trace(event: event, at: .now())
    }
}
