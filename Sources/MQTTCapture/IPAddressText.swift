/// Text forms of IP addresses, written the way Wireshark and `ss` show them.
enum IPAddressText {
    /// "192.0.2.1"
    static func ipv4(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.map(String.init).joined(separator: ".")
    }

    /// RFC 5952 canonical form: lowercase hex without leading zeros, the longest run of two or
    /// more zero groups (the first one on a tie) written as "::", and IPv4-mapped addresses as
    /// "::ffff:192.0.2.1".
    static func ipv6(_ bytes: ArraySlice<UInt8>) -> String {
        let cursor = ByteCursor(bytes)
        let groups = (0..<8).map { cursor.u16(at: $0 * 2) ?? 0 }
        if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xffff {
            return "::ffff:" + ipv4(bytes.suffix(4))
        }
        var best: Range<Int>? = nil
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - index >= 2 && end - index > (best?.count ?? 0) { best = index..<end }
            index = end
        }
        let text = { (range: Range<Int>) in
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard let run = best else { return text(0..<8) }
        return text(0..<run.lowerBound) + "::" + text(run.upperBound..<8)
    }
}
