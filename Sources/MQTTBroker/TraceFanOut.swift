import MQTTBrokerCore

/// Hands every record to several sinks, in order: `--trace` and `--trace-json` at once. Called on the
/// broker's event loop like any sink; it adds nothing but the loop over `sinks`.
public final class BrokerTraceFanOut: BrokerTraceSink {
    public let sinks: [any BrokerTraceSink]

    public init(_ sinks: [any BrokerTraceSink]) {
        self.sinks = sinks
    }

    /// Nil for no sink (the untraced path builds nothing), the sink itself for one, a fan-out for more.
    public static func combining(_ sinks: [any BrokerTraceSink]) -> (any BrokerTraceSink)? {
        switch sinks.count {
        case 0: nil
        case 1: sinks[0]
        default: BrokerTraceFanOut(sinks)
        }
    }

    public func trace(packet record: BrokerPacketRecord) {
        for sink in sinks { sink.trace(packet: record) }
    }

    public func trace(event: BrokerEvent, at time: BrokerWallClock) {
        for sink in sinks { sink.trace(event: event, at: time) }
    }

    public func trace(transport: BrokerTransportEvent, at time: BrokerWallClock) {
        for sink in sinks { sink.trace(transport: transport, at: time) }
    }

    public func trace(wire record: BrokerWireRecord) {
        for sink in sinks { sink.trace(wire: record) }
    }
}
