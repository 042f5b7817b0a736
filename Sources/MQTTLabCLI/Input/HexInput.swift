/// Reads bytes written as hexadecimal text, in the forms people paste: `30 0d 00 04`, `300d0004`,
/// `0x30,0x0d`, `30:0d:00:04`.
enum HexInput {
    struct Problem: Error, Equatable {
        /// The piece of text that is not hexadecimal, or nil for an odd number of digits.
        var text: String?
    }

    static func parse(_ pieces: [String]) throws(Problem) -> [UInt8] {
        var digits: [UInt8] = []
        for piece in pieces {
            for token in piece.split(whereSeparator: { " \t\n\r,:;-".contains($0) }) {
                var body = Substring(token)
                if body.hasPrefix("0x") || body.hasPrefix("0X") { body = body.dropFirst(2) }
                for character in body {
                    guard let value = character.hexDigitValue else { throw Problem(text: String(token)) }
                    digits.append(UInt8(value))
                }
                // "0x5" is one byte even though it has one digit.
                if token.hasPrefix("0x") || token.hasPrefix("0X"), body.count == 1 { digits.insert(0, at: digits.count - 1) }
            }
        }
        guard digits.count % 2 == 0 else { throw Problem(text: nil) }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    /// Whether text read from a file or standard input looks like hex rather than raw bytes.
    /// Raw packets can happen to consist of such characters only ("0" and a newline is a valid start of a
    /// PUBLISH), so the text must also parse as whole bytes.
    static func looksLikeHexText(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return false }
        let onlyHexCharacters = bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
                 UInt8(ascii: "A")...UInt8(ascii: "F"), UInt8(ascii: "x"), UInt8(ascii: "X"),
                 UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
                 UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
        guard onlyHexCharacters, let parsed = try? parse([String(decoding: bytes, as: UTF8.self)]) else { return false }
        return !parsed.isEmpty
    }
}
