/// Validates MQTT's UTF-8 Encoded Strings byte by byte.
///
/// `String(decoding:as:)` would silently replace bad sequences with U+FFFD, so the check is done here,
/// and it reports the offset of the first bad byte, which the dissection points at.
enum UTF8Validation {
    enum Problem: Equatable {
        case invalid(at: Int)
        case null(at: Int)
    }

    /// Returns nil when `bytes[range]` is well-formed UTF-8 without U+0000 [MQTT-1.5.4-1], [MQTT-1.5.4-2]:
    /// no overlong forms, no surrogates (U+D800–U+DFFF), nothing above U+10FFFF, no truncated sequence.
    /// U+FEFF is an ordinary character and stays [MQTT-1.5.4-3].
    static func firstProblem(in bytes: [UInt8], _ range: Range<Int>) -> Problem? {
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            let lead = bytes[index]
            if lead == 0 { return .null(at: index) }
            if lead < 0x80 {
                index += 1
                continue
            }
            let count: Int
            var lowest: UInt8 = 0x80
            var highest: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: count = 2
            case 0xE0: count = 3; lowest = 0xA0  // rejects overlong 3-byte forms
            case 0xE1...0xEC, 0xEE...0xEF: count = 3
            case 0xED: count = 3; highest = 0x9F  // rejects surrogates U+D800–U+DFFF
            case 0xF0: count = 4; lowest = 0x90  // rejects overlong 4-byte forms
            case 0xF1...0xF3: count = 4
            case 0xF4: count = 4; highest = 0x8F  // rejects code points above U+10FFFF
            default: return .invalid(at: index)  // 0x80–0xC1 and 0xF5–0xFF never start a character
            }
            for step in 1..<count {
                let position = index + step
                // Cut off by the end of the string: no byte inside it is wrong by itself, so point at the
                // lead byte that promised more. (`position` would be past the string: the next field's
                // byte, or past the packet.)
                guard position < end else { return .invalid(at: index) }
                let byte = bytes[position]
                let low = step == 1 ? lowest : 0x80
                let high = step == 1 ? highest : 0xBF
                guard byte >= low && byte <= high else { return .invalid(at: position) }
            }
            index += count
        }
        return nil
    }
}
