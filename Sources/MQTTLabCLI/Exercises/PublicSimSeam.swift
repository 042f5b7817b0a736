import MQTTLabPublicSim

/// What `kind: ctf` exercises compare an answer with: the secret the simulated public broker
/// (`mqttlab broker --public-sim --seed N`) hides for a seed. The engine takes it as a plain function
/// (`ExerciseServices.ctfSecret`), so MQTTLabExercises does not depend on the simulation.
enum PublicSimSeam {
    static let secret: (@Sendable (UInt64) -> String?)? = { seed in PublicSimSecret.flag(seed: seed) }
}
