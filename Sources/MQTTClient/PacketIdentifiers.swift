/// Hands out packet identifiers 1...65535 that are not in use [MQTT-2.2.1-3], round robin so that a
/// just-freed id is not reused at once (easier to follow in a trace).
struct PacketIdentifiers {
    private var next: UInt16 = 1
    private(set) var inUse: Set<UInt16> = []

    /// Nil when all 65535 are in use.
    mutating func allocate() -> UInt16? {
        guard inUse.count < Int(UInt16.max) else { return nil }
        while inUse.contains(next) { advance() }
        let id = next
        inUse.insert(id)
        advance()
        return id
    }

    mutating func release(_ id: UInt16) {
        inUse.remove(id)
    }

    private mutating func advance() {
        next = next == UInt16.max ? 1 : next + 1
    }
}
