/// What one `mqttlab bench` run measured. Counts are exact: every message carries its publisher and
/// sequence number, and each subscriber marks what it received.
struct ClientLoadResult: Sendable {
    var published = 0
    var expected = 0
    var received = 0
    var lost = 0
    var duplicated = 0
    var seconds = 0.0
    var payloadSize = 0
    /// Publish-to-delivery latency in microseconds: p50, p90, p99, max.
    var latency: [Double] = []

    var messagesPerSecond: Double { seconds > 0 ? Double(received) / seconds : 0 }
    var megabytesPerSecond: Double { messagesPerSecond * Double(payloadSize) / 1_000_000 }

    static let percentileNames = ["p50", "p90", "p99", "max"]

    /// p50, p90, p99 and max of `samples` (nearest rank), in the samples' unit.
    static func percentiles(_ samples: [Double]) -> [Double] {
        guard !samples.isEmpty else { return [] }
        let sorted = samples.sorted()
        func rank(_ quantile: Double) -> Double {
            sorted[min(sorted.count - 1, max(0, Int((quantile * Double(sorted.count)).rounded(.up)) - 1))]
        }
        return [rank(0.5), rank(0.9), rank(0.99), sorted[sorted.count - 1]]
    }
}
