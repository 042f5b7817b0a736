/// Hexadecimal helpers shared by the renderers.
enum Hex {
    private static let digits = Array("0123456789abcdef")

    static func byte(_ value: UInt8) -> String {
        String([digits[Int(value >> 4)], digits[Int(value & 0x0F)]])
    }

    /// "30 0d 00 04" — spaced, as a learner reads bytes.
    static func spaced(_ bytes: some Collection<UInt8>) -> String {
        bytes.map(byte).joined(separator: " ")
    }

    /// "300d0004" — compact, as tools exchange them.
    static func compact(_ bytes: some Collection<UInt8>) -> String {
        bytes.map(byte).joined()
    }

    /// The first `limit` bytes, spaced, with "…" when there are more.
    static func abbreviated(_ bytes: some Collection<UInt8>, limit: Int) -> String {
        if bytes.count <= limit { return spaced(bytes) }
        return spaced(bytes.prefix(limit)) + " …"
    }

    /// The byte shown bit by bit with only the bits of `mask` visible: mask 0x06 on 0x32 gives "....001.".
    static func bits(_ value: UInt8, mask: UInt8) -> String {
        var result = ""
        for bit in stride(from: 7, through: 0, by: -1) {
            let selector: UInt8 = 1 << UInt8(bit)
            result += mask & selector == 0 ? "." : (value & selector == 0 ? "0" : "1")
            if bit == 4 { result += " " }
        }
        return result
    }
}
