import MQTTBrokerCore
import NIOCore

/// One address and port the broker listens on.
public struct BrokerListenerAddress: Sendable, Equatable {
    /// An IPv4 or IPv6 literal, or a host name.
    public var host: String
    /// TCP port; 0 lets the operating system pick a free one (read it back from `BrokerServer.localAddresses`).
    public var port: Int
    /// TLS settings: nil for plain MQTT over TCP.
    public var tls: BrokerListenerTLS?

    public init(host: String, port: Int, tls: BrokerListenerTLS? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
    }
}

/// Where the broker listens and the network limits around the engine's own.
public struct BrokerServerConfiguration: Sendable {
    /// Every listener, in order (Mosquitto's `listener` lines). All share one engine, so a client on one
    /// port receives what a client on another publishes. Never empty.
    public var listeners: [BrokerListenerAddress]
    /// The first listener's address.
    public var host: String {
        get { listeners[0].host }
        set { listeners[0].host = newValue }
    }
    /// The first listener's port.
    public var port: Int {
        get { listeners[0].port }
        set { listeners[0].port = newValue }
    }
    /// The engine's limits and switches. `maxPacketSize` also bounds the framer: a bigger packet is refused
    /// from its fixed header, before its body is read.
    public var engine: BrokerConfiguration
    /// Open connections allowed at once; over it a new socket is closed as soon as it is accepted. 0 = no limit.
    public var maxConnections: Int
    /// Bytes a connection may have waiting to be written before it counts as not writable: then QoS 0
    /// messages for it are dropped and the broker stops reading from it until it drains below `low`.
    public var writeBufferWaterMark: ChannelOptions.Types.WriteBufferWaterMark
    /// How often the engine is told that time passed (keep alive, will delay, expiry).
    public var tickInterval: TimeAmount
    /// How long a connection being closed may take to accept its last packets before it is cut.
    public var closeTimeout: TimeAmount
    /// Listen backlog.
    public var backlog: Int32
    /// Durable storage (`--store`): nil keeps everything in memory. With one, the acknowledgements of each
    /// batch of packets are flushed only after the batch's changes are committed.
    public var store: (any DurableStore)?
    /// What the store kept from the last run, restored into the engine before the first connection.
    public var restoredSessions: [SessionSnapshot] = []
    public var restoredRetained: [RetainedSnapshot] = []
    /// `--pcap`: every accepted connection's bytes are recorded into this capture file. It writes on its
    /// own queue, never on the event loop; whoever opened it closes it after `shutdown()`.
    public var pcap: BrokerPacketCapture?
    /// `--sniff`: every connection's raw bytes go to the trace sink's `trace(wire:)`, as a network observer
    /// would see them (TLS records on a TLS listener). Costs a copy of every byte; off by default.
    public var sniff = false

    public init(
        host: String = "127.0.0.1", port: Int = 1883, engine: BrokerConfiguration = BrokerConfiguration(),
        maxConnections: Int = 0,
        writeBufferWaterMark: ChannelOptions.Types.WriteBufferWaterMark = .init(low: 64 * 1024, high: 256 * 1024),
        tickInterval: TimeAmount = .seconds(1), closeTimeout: TimeAmount = .seconds(3), backlog: Int32 = 256
    ) {
        self.listeners = [BrokerListenerAddress(host: host, port: port)]
        self.engine = engine
        self.maxConnections = maxConnections
        self.writeBufferWaterMark = writeBufferWaterMark
        self.tickInterval = tickInterval
        self.closeTimeout = closeTimeout
        self.backlog = backlog
    }

    /// The largest packet the framer lets through: the configured maximum, or the protocol's
    /// (268,435,455 bytes of remaining length plus a 5-byte fixed header).
    var framerMaximum: Int {
        engine.maxPacketSize > 0 ? engine.maxPacketSize : 268_435_455 + 5
    }
}

/// Counters kept by the network layer, next to the engine's.
public struct BrokerServerStatistics: Sendable, Equatable {
    /// The engine's counters.
    public var engine: BrokerStatistics
    /// Connections open right now.
    public var openConnections: Int
    /// Sockets accepted in total (including refused ones).
    public var acceptedConnections: Int
    /// Sockets closed at once because `maxConnections` were open.
    public var refusedConnections: Int
    /// QoS 0 PUBLISHes dropped because the receiver's socket was not writable.
    public var droppedForSlowConsumers: Int
    /// Packets sent (written to a socket).
    public var packetsWritten: Int
    /// Flushes issued: with batching, far fewer than packets written.
    public var flushes: Int
    /// Packets the engine asked for that could not be encoded (an engine bug; never expected).
    public var encodeFailures: Int
    /// Batches written to the durable store, and writes that failed.
    public var storeWrites = 0
    public var storeFailures = 0

    public init() {
        engine = BrokerStatistics()
        openConnections = 0
        acceptedConnections = 0
        refusedConnections = 0
        droppedForSlowConsumers = 0
        packetsWritten = 0
        flushes = 0
        encodeFailures = 0
    }
}
