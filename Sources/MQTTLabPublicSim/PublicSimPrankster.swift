/// The prankster's mind, without the network: it reads every topic (it subscribes to `#`) and, the first
/// time a topic shows a home no stranger owns, decides which commands to send into it.
///
/// A home is the topic's first level when no stranger uses that level (`casa/salon/temp` → `casa`), or its
/// first two levels under a strangers' level that is not a stranger's home (`hogar/pepe/luz` → `hogar/pepe`).
public struct PublicSimPrankster: Sendable {
    /// Homes pranked at most (the set of homes is bounded; later homes are left alone).
    public static let maximumHomes = 64

    public let clientID: String
    private let knownPrefixes: Set<String>
    private let extra: (topic: String, payload: String)
    public private(set) var pranked: Set<String> = []

    public init(script: PublicSimScript) {
        var generator = SeededGenerator(seed: script.seed ^ 0x0B20_0000_0000_0000)
        clientID = "bromista-\(generator.hex(4))"
        knownPrefixes = script.knownPrefixes
        let extras = [("puerta/set", "ABRIR"), ("alarma/set", "OFF"), ("calefaccion/set", "30")]
        extra = extras[generator.below(extras.count)]
    }

    /// The home a topic belongs to, or nil when it is a stranger's (or `$SYS`).
    public func home(of topic: String) -> String? {
        let levels = topic.split(separator: "/", omittingEmptySubsequences: false)
        guard let first = levels.first, !first.hasPrefix("$"), !first.isEmpty else { return nil }
        guard PublicSimScript.strangerTopLevels.contains(String(first)) else { return String(first) }
        guard levels.count > 2 else { return nil }
        let prefix = levels.prefix(2).joined(separator: "/")
        return knownPrefixes.contains(prefix) ? nil : prefix
    }

    /// The commands to send after seeing `topic`: two for a new home, none otherwise.
    public mutating func react(to topic: String) -> [(topic: String, payload: String)] {
        guard let home = home(of: topic), !pranked.contains(home), pranked.count < Self.maximumHomes else { return [] }
        pranked.insert(home)
        return [("\(home)/luz/set", "ON"), ("\(home)/\(extra.topic)", extra.payload)]
    }
}
