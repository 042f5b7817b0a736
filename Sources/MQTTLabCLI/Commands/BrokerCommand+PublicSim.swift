import Dispatch
import Foundation
import MQTTCodec
import MQTTLabPublicSim

/// The strangers of `--public-sim`, running beside the broker until it stops.
final class PublicSimRun: Sendable {
    private let task: Task<Void, Never>
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the simulation against the broker at `host:port`; problems go to stderr, never stop the broker.
    init(seed: UInt64, host: String, port: Int, interval: Duration, language: Language) {
        let simulation = PublicSimulation(seed: seed, host: host, port: port, interval: interval) { problem in
            FileHandle.standardError.write(Data("mqttlab broker --public-sim: \(problem)\n".utf8))
        }
        let finished = finished
        task = Task.detached {
            do {
                try await simulation.run()
            } catch {
                let message = LocalizedText(
                    en: "mqttlab broker --public-sim: the strangers could not connect (\(error)); a public broker lets anyone in, so allow anonymous clients",
                    es: "mqttlab broker --public-sim: los desconocidos no pudieron conectarse (\(error)); un broker público deja entrar a cualquiera, así que admite clientes anónimos")
                FileHandle.standardError.write(Data((message.text(language) + "\n").utf8))
            }
            finished.signal()
        }
    }

    /// Stops the strangers (they disconnect) and waits for them, at most a few seconds. Called from the
    /// command's main thread, never from an event loop.
    func stop() {
        task.cancel()
        _ = finished.wait(timeout: .now() + 5)
    }
}

extension BrokerCommand {
    /// The address the strangers connect to: the first listener, loopback for a wildcard bind.
    static func simulationHost(_ address: String?) -> String {
        switch address {
        case nil, "0.0.0.0": "127.0.0.1"
        case "::": "::1"
        case let address?: address
        }
    }
}
