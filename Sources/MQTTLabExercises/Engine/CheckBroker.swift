import MQTTBroker
import MQTTBrokerCore
import NIOCore

/// Starts the in-process broker a check watches: on the preferred port when free, else a free one.
enum CheckBroker {
    static func start(_ configuration: BrokerServerConfiguration, options: ExerciseRunOptions, log: ObservationLog,
                      services: ExerciseServices) async throws -> BrokerServer {
        var configuration = configuration
        configuration.listeners = [BrokerListenerAddress(host: options.host, port: options.port)]
        configuration.tickInterval = .milliseconds(250)
        configuration.closeTimeout = .seconds(1)
        let server: BrokerServer
        var fellBack = false
        do {
            server = try await BrokerServer.start(configuration: configuration, traceSink: sink(log: log, services: services))
        } catch BrokerServerError.addressInUse {
            guard options.port != 0 else { throw BrokerServerError.addressInUse(host: options.host, port: 0) }
            configuration.port = 0
            fellBack = true
            server = try await BrokerServer.start(configuration: configuration, traceSink: sink(log: log, services: services))
        }
        services.report(.brokerListening(host: options.host, port: server.port, preferred: options.port, fellBack: fellBack))
        return server
    }

    private static func sink(log: ObservationLog, services: ExerciseServices) -> (any BrokerTraceSink)? {
        guard let shown = services.makeTrace?() else { return log }
        return BrokerTraceFanOut([log, shown])
    }
}
