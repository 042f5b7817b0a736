/// What the strangers of the simulated public broker publish, in order: a pure function of the seed, so
/// two runs with one seed publish the same topics and payloads in the same order.
///
/// Three homes of other families (picked by the seed) each have a thermostat, a door and a light; every
/// round each device reports (the door only when it changes, retained, like a status). A fourth stranger,
/// `backup-…`, keeps the secret retained on an obscure topic and repeats it now and then.
public struct PublicSimScript: Sendable {
    /// One publication: who (an index into `strangers`), where and what.
    public struct Step: Sendable, Equatable {
        public var stranger: Int
        public var topic: String
        public var payload: String
        public var retain: Bool
    }

    /// The first topic levels strangers use; a topic under any other first level belongs to the student.
    public static let strangerTopLevels: Set<String> = ["hogar", "home", "smarthome", "backup"]

    static let families = ["garcia", "lopez", "martin", "sanchez", "perez", "gomez", "ruiz", "diaz", "moreno", "navarro"]

    public let seed: UInt64
    /// The client id of every stranger that publishes (the prankster is not in it: it only reacts).
    public let strangers: [String]
    /// The first two levels of each home (`hogar/garcia`), and the secret's first two.
    public let knownPrefixes: Set<String>

    private var generator: SeededGenerator
    private var homes: [Home]
    private var round = 0
    private var pending: [Step] = []

    struct Home: Sendable {
        var root: String
        var family: String
        var baseTenths: Int
        var thermostat: Int
        var door: Int
        var light: Int
        var doorOpen = false
    }

    public init(seed: UInt64) {
        self.seed = seed
        var generator = SeededGenerator(seed: seed)
        var families = Self.families
        let roots = ["hogar", "home", "smarthome"]
        var homes: [Home] = []
        var strangers: [String] = []
        for root in roots {
            let family = families.remove(at: generator.below(families.count))
            let first = strangers.count
            strangers += ["termostato-\(family)", "puerta-\(family)", "luz-\(family)"]
            homes.append(Home(root: "\(root)/\(family)", family: family, baseTenths: 180 + generator.below(50),
                              thermostat: first, door: first + 1, light: first + 2))
        }
        strangers.append("backup-\(PublicSimSecret.topic(seed: seed).split(separator: "/")[1])")
        self.generator = generator
        self.homes = homes
        self.strangers = strangers
        let secretPrefix = PublicSimSecret.topic(seed: seed).split(separator: "/").prefix(2).joined(separator: "/")
        self.knownPrefixes = Set(homes.map(\.root) + [secretPrefix])
    }

    /// The index of the stranger that keeps the secret.
    public var secretKeeper: Int { strangers.count - 1 }

    /// The next publication; the script never ends.
    public mutating func next() -> Step {
        if pending.isEmpty { pending = makeRound().reversed() }
        return pending.removeLast()
    }

    /// One round: every home's readings, and the secret on the first round and every eighth.
    private mutating func makeRound() -> [Step] {
        var steps: [Step] = []
        if round % 8 == 0 {
            steps.append(Step(stranger: secretKeeper, topic: PublicSimSecret.topic(seed: seed), payload: PublicSimSecret.flag(seed: seed), retain: true))
        }
        for index in homes.indices {
            var home = homes[index]
            let tenths = home.baseTenths + generator.below(21) - 10
            steps.append(Step(stranger: home.thermostat, topic: "\(home.root)/salon/temperatura",
                              payload: "\(tenths / 10).\(tenths % 10)", retain: false))
            if round == 0 || generator.below(10) < 3 {
                if round > 0 { home.doorOpen.toggle() }
                steps.append(Step(stranger: home.door, topic: "\(home.root)/puerta/estado",
                                  payload: home.doorOpen ? "abierta" : "cerrada", retain: true))
            }
            steps.append(Step(stranger: home.light, topic: "\(home.root)/luz/estado",
                              payload: generator.below(2) == 0 ? "ON" : "OFF", retain: false))
            homes[index] = home
        }
        round += 1
        return steps
    }
}
