import Foundation
import MQTTClient
import MQTTCodec
import NIOCore
import Synchronization

/// `mqttlab bench`: publishers and subscribers on the MQTT client library against any broker. Each
/// payload starts with the publisher number, the sequence number and the send time (monotonic
/// nanoseconds, 4 + 4 + 8 bytes), so subscribers count lost and duplicated messages exactly and measure
/// the latency of each delivery.
struct ClientLoadGenerator {
    let settings: ClientLoadSettings
    /// Called about every 200 ms with the messages received so far (the live progress line).
    var progress: (@Sendable (Int, Int) -> Void)?

    static let headerSize = 16

    func run() async throws(MQTTClientError) -> ClientLoadResult {
        let settings = self.settings
        let runID = settings.runID
        var subscribers: [MQTTClient] = []
        for index in 0..<settings.subscribers {
            let client = try await MQTTClient.connect(settings.configuration(clientID: "bench-\(runID)-s\(index)"))
            _ = try await client.subscribe([.init(filter: settings.filter, qos: settings.qos)])
            subscribers.append(client)
        }
        var publishers: [MQTTClient] = []
        for index in 0..<settings.publishers {
            publishers.append(try await MQTTClient.connect(settings.configuration(clientID: "bench-\(runID)-p\(index)")))
        }
        let tally = Tally()
        let started = DispatchTime.now().uptimeNanoseconds
        let receiving = subscribers.enumerated().map { index, client in
            Task { await Self.receive(client, index: index, tally: tally, publishers: settings.publishers) }
        }
        let reporter = progress.map { report in
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(200))
                    report(tally.received, tally.published)
                }
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for (index, client) in publishers.enumerated() {
                group.addTask { await Self.publish(client, index: index, settings: settings, tally: tally) }
            }
        }
        // Wait for the last deliveries: until all arrived, or nothing new came for a while.
        let expected = tally.published * settings.subscribers
        var lastCount = -1
        var quietSince = DispatchTime.now().uptimeNanoseconds
        while tally.received < expected {
            let now = DispatchTime.now().uptimeNanoseconds
            if tally.received != lastCount {
                lastCount = tally.received
                quietSince = now
            } else if Double(now - quietSince) / 1e9 > settings.drainSeconds {
                break
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
        let ended = tally.lastReceipt == 0 ? DispatchTime.now().uptimeNanoseconds : tally.lastReceipt
        reporter?.cancel()
        for client in publishers { await client.disconnect() }
        for client in subscribers { await client.disconnect() }
        for task in receiving { await task.value }

        var result = ClientLoadResult()
        result.published = tally.published
        result.expected = expected
        result.received = tally.received
        result.duplicated = tally.duplicates
        result.lost = expected - (tally.received - tally.duplicates)
        result.seconds = Double(ended > started ? ended - started : 1) / 1e9
        result.payloadSize = settings.payloadSize
        result.latency = ClientLoadResult.percentiles(tally.latencies.map { $0 / 1000 })
        return result
    }

    private static func publish(_ client: MQTTClient, index: Int, settings: ClientLoadSettings, tally: Tally) async {
        let topic = settings.topic(publisher: index)
        let start = DispatchTime.now().uptimeNanoseconds
        var pending: [EventLoopFuture<MQTTPublishResult>] = []
        var sequence: UInt32 = 0
        let window = max(1, settings.inflight)
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            if let count = settings.count, Int(sequence) >= count { break }
            if let duration = settings.duration, Double(now - start) / 1e9 >= duration { break }
            if let rate = settings.rate, rate > 0 {
                // Keep to the schedule: message n leaves at n / rate seconds.
                let due = start + UInt64(Double(sequence) / rate * 1e9)
                if due > now { try? await Task.sleep(for: .nanoseconds(Int(due - now))) }
            }
            if settings.window > 0 && settings.subscribers > 0 {
                await Self.waitForWindow(tally: tally, settings: settings)
            }
            var payload = [UInt8](repeating: 0x2E, count: max(headerSize, settings.payloadSize))
            Self.write(UInt32(index), into: &payload, at: 0)
            Self.write(sequence, into: &payload, at: 4)
            Self.write(DispatchTime.now().uptimeNanoseconds, into: &payload, at: 8)
            // Counted before it can arrive: the receivers ignore sequence numbers not yet published.
            tally.countPublished()
            pending.append(client.publishFuture(Publish(topic: topic, payload: payload, qos: settings.qos)))
            sequence += 1
            // A bounded window of unanswered publishes (QoS 0: unwritten ones).
            if pending.count >= window {
                _ = try? await pending[0].get()
                pending.removeFirst()
            }
        }
        for future in pending { _ = try? await future.get() }
    }

    /// Waits while the messages published but not yet received by every subscriber exceed the window
    /// (given up after `drainSeconds` without progress: the rest will count as lost).
    private static func waitForWindow(tally: Tally, settings: ClientLoadSettings) async {
        let limit = settings.window
        var lastReceived = tally.received
        var since = DispatchTime.now().uptimeNanoseconds
        while tally.published - tally.received / settings.subscribers >= limit {
            try? await Task.sleep(for: .microseconds(200))
            let received = tally.received
            let now = DispatchTime.now().uptimeNanoseconds
            if received != lastReceived {
                lastReceived = received
                since = now
            } else if Double(now - since) / 1e9 > settings.drainSeconds {
                return
            }
        }
    }

    private static func receive(_ client: MQTTClient, index: Int, tally: Tally, publishers: Int) async {
        while let message = try? await client.nextMessage() {
            let now = DispatchTime.now().uptimeNanoseconds
            guard message.payload.count >= headerSize else { continue }
            let publisher = Int(read(UInt32.self, message.payload, at: 0))
            let sequence = Int(read(UInt32.self, message.payload, at: 4))
            let sent = read(UInt64.self, message.payload, at: 8)
            guard publisher < publishers else { continue }
            tally.received(stream: index * publishers + publisher, sequence: sequence,
                           latencyNanoseconds: now >= sent ? Double(now - sent) : 0, at: now)
        }
    }

    static func write<T: FixedWidthInteger>(_ value: T, into bytes: inout [UInt8], at offset: Int) {
        withUnsafeBytes(of: value.bigEndian) { raw in
            for (index, byte) in raw.enumerated() { bytes[offset + index] = byte }
        }
    }

    static func read<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
        var value: T = 0
        for index in 0..<MemoryLayout<T>.size { value = value << 8 | T(bytes[offset + index]) }
        return value
    }
}

/// Counts shared by the publishing and receiving tasks.
final class Tally: Sendable {
    private struct State {
        var published = 0
        var received = 0
        var duplicates = 0
        /// One bit per sequence number for each (subscriber, publisher) stream: exact duplicate detection
        /// in 1/8 byte per message, however long the run.
        var seen: [Int: [UInt64]] = [:]
        var latencies: [Double] = []
        var lastReceipt: UInt64 = 0
    }

    /// Latency samples kept at most (enough for exact percentiles of any classroom run).
    static let maximumSamples = 2_000_000
    private let state = Mutex(State())

    func countPublished() { state.withLock { $0.published += 1 } }

    func received(stream: Int, sequence: Int, latencyNanoseconds: Double, at time: UInt64) {
        state.withLock { state in
            // A sequence number never published is someone else's message on the same topic (or a forged
            // one): counting it would size the bit map from a number in the payload.
            guard sequence >= 0, sequence < state.published else { return }
            state.received += 1
            state.lastReceipt = time
            let word = sequence / 64, bit = UInt64(1) << UInt64(sequence % 64)
            var bits = state.seen.removeValue(forKey: stream) ?? []
            if bits.count <= word { bits += [UInt64](repeating: 0, count: word - bits.count + 1) }
            let isNew = bits[word] & bit == 0
            bits[word] |= bit
            state.seen[stream] = bits
            if isNew {
                if state.latencies.count < Self.maximumSamples { state.latencies.append(latencyNanoseconds) }
            } else {
                state.duplicates += 1
            }
        }
    }

    var published: Int { state.withLock { $0.published } }
    var received: Int { state.withLock { $0.received } }
    var duplicates: Int { state.withLock { $0.duplicates } }
    var lastReceipt: UInt64 { state.withLock { $0.lastReceipt } }
    var latencies: [Double] { state.withLock { $0.latencies } }
}
