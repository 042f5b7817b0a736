/// The seam for `kind: ctf` exercises: the secret the simulated public broker (`mqttlab broker
/// --public-sim --seed N`, another library target) hides for a seed. Nil until that target is merged:
/// then this becomes `{ seed in PublicSim.secret(forSeed: seed) }` and ctf exercises check for real.
enum PublicSimSeam {
    static let secret: (@Sendable (UInt64) -> String?)? = nil
}
