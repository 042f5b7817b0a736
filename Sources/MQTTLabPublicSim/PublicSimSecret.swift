/// The secret one stranger leaves on the simulated public broker, and where: both follow from the seed
/// alone, so an exercise checker can compute them without running the broker.
public enum PublicSimSecret {
    /// The flag the stranger `backup-…` publishes, retained, e.g. `FLAG{mqtt-publico-3f9c21a7b0e4}`.
    /// Same seed, same flag; different seeds give different flags.
    public static func flag(seed: UInt64) -> String {
        var generator = SeededGenerator(seed: seed ^ 0x5EC2_E7F1_A600_0000)
        return "FLAG{mqtt-publico-\(generator.hex(12))}"
    }

    /// The obscure topic the flag is published on, e.g. `backup/x7f3a/nas/config`: nobody subscribes to it
    /// by name, but a subscriber to `#` sees it.
    public static func topic(seed: UInt64) -> String {
        var generator = SeededGenerator(seed: seed ^ 0x0B5C_0DE0_0000_0000)
        return "backup/x\(generator.hex(4))/nas/config"
    }
}
