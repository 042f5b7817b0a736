/// A client id compared as UTF-8 bytes: Swift's `String ==` would treat canonically equivalent ids
/// ("é" and "e" + accent) as one client, merging two sessions.
struct ClientIdentifier: Hashable, Sendable {
    let bytes: [UInt8]
    let text: String

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    static func == (lhs: ClientIdentifier, rhs: ClientIdentifier) -> Bool { lhs.bytes == rhs.bytes }
    /// All the bytes in one call: `combine(bytes)` on an array feeds the hasher one byte at a time, which
    /// the profile of the routing path showed as its largest single cost.
    func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
}

/// A topic filter compared and hashed as bytes, for the same reason.
struct FilterKey: Hashable, Sendable {
    let bytes: [UInt8]
    let text: String

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    static func == (lhs: FilterKey, rhs: FilterKey) -> Bool { lhs.bytes == rhs.bytes }
    func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
}
