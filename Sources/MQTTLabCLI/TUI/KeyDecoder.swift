/// Turns the bytes a terminal sends in raw mode into `Key`s.
///
/// Bytes arrive in arbitrary pieces (a paste, a slow SSH link, a UTF-8 character split across reads),
/// so the decoder keeps an incomplete sequence until the next `feed`. A lone ESC is ambiguous — it is
/// both the Escape key and the start of every arrow key — so it is only reported as `.escape` when the
/// caller says no more bytes came in time (`flushPending`), which is how every terminal program tells them
/// apart. Pending bytes are bounded: a sequence that grows past `maximumSequenceLength` is given up as
/// `.unknown`.
public struct KeyDecoder: Sendable {
    private var pending: [UInt8] = []
    static let maximumSequenceLength = 32

    public init() {}

    /// True while the decoder holds the start of a sequence and waits for more bytes.
    public var hasPending: Bool { !pending.isEmpty }

    /// Decodes every complete key in `bytes` (plus what was pending); keeps the incomplete rest.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Key] {
        pending.append(contentsOf: bytes)
        var keys: [Key] = []
        var index = 0
        while index < pending.count {
            switch Self.decodeOne(pending, at: index) {
            case .key(let key, let length):
                keys.append(key)
                index += length
            case .needMore:
                if pending.count - index > Self.maximumSequenceLength {
                    keys.append(.unknown(Array(pending[index...])))
                    index = pending.count
                } else {
                    pending.removeFirst(index)
                    return keys
                }
            }
        }
        pending.removeAll(keepingCapacity: true)
        return keys
    }

    /// Call when no byte arrived for a short while: a lone ESC becomes `.escape`, an ESC followed by a
    /// character becomes `.escape` then that character (Alt+key), and a cut UTF-8 character `.unknown`.
    public mutating func flushPending() -> [Key] {
        guard !pending.isEmpty else { return [] }
        let bytes = pending
        pending.removeAll()
        if bytes[0] == 0x1B {
            var rest = KeyDecoder()
            let following = rest.feed(bytes.dropFirst())
            return [.escape] + following + rest.flushPending()
        }
        return [.unknown(bytes)]
    }

    private enum Step {
        case key(Key, length: Int)
        case needMore
    }

    private static func decodeOne(_ bytes: [UInt8], at start: Int) -> Step {
        let byte = bytes[start]
        switch byte {
        case 0x1B: return decodeEscape(bytes, at: start)
        case 0x0D, 0x0A: return .key(.enter, length: 1)
        case 0x09: return .key(.tab, length: 1)
        case 0x7F, 0x08: return .key(.backspace, length: 1)
        case 0x20: return .key(.space, length: 1)
        case 0x01...0x1A: return .key(.control(Character(Unicode.Scalar(byte + 0x60))), length: 1)
        case 0x00, 0x1C...0x1F: return .key(.unknown([byte]), length: 1)
        case 0x21...0x7E: return .key(.character(Character(Unicode.Scalar(byte))), length: 1)
        default: return decodeUTF8(bytes, at: start)
        }
    }

    private static func decodeUTF8(_ bytes: [UInt8], at start: Int) -> Step {
        let lead = bytes[start]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return .key(.unknown([lead]), length: 1)
        }
        let available = bytes.count - start
        // A byte that is not a continuation ends the character early: report what came as unknown.
        for offset in 1..<min(length, available) where bytes[start + offset] & 0xC0 != 0x80 {
            return .key(.unknown(Array(bytes[start..<start + offset])), length: offset)
        }
        if available < length { return .needMore }
        var iterator = bytes[start..<start + length].makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else {
            return .key(.unknown(Array(bytes[start..<start + length])), length: length)
        }
        return .key(.character(Character(scalar)), length: length)
    }

    private static func decodeEscape(_ bytes: [UInt8], at start: Int) -> Step {
        guard start + 1 < bytes.count else { return .needMore }
        switch bytes[start + 1] {
        case UInt8(ascii: "["): return decodeCSI(bytes, at: start)
        case UInt8(ascii: "O"):
            guard start + 2 < bytes.count else { return .needMore }
            let key: Key = switch bytes[start + 2] {
            case UInt8(ascii: "A"): .up
            case UInt8(ascii: "B"): .down
            case UInt8(ascii: "C"): .right
            case UInt8(ascii: "D"): .left
            case UInt8(ascii: "H"): .home
            case UInt8(ascii: "F"): .end
            case UInt8(ascii: "P"): .function(1)
            case UInt8(ascii: "Q"): .function(2)
            case UInt8(ascii: "R"): .function(3)
            case UInt8(ascii: "S"): .function(4)
            default: .unknown(Array(bytes[start...start + 2]))
            }
            return .key(key, length: 3)
        case 0x1B:
            // ESC ESC: the first one was a real Escape press.
            return .key(.escape, length: 1)
        default:
            // ESC then a character (Alt+key, or Escape typed just before a key): Escape, then the rest.
            return .key(.escape, length: 1)
        }
    }

    /// CSI: ESC [ parameters (0x30–0x3F)* intermediates (0x20–0x2F)* final (0x40–0x7E).
    private static func decodeCSI(_ bytes: [UInt8], at start: Int) -> Step {
        var index = start + 2
        while index < bytes.count, (0x20...0x3F).contains(bytes[index]) { index += 1 }
        guard index < bytes.count else { return .needMore }
        let final = bytes[index]
        let length = index - start + 1
        let whole = Array(bytes[start..<start + length])
        guard (0x40...0x7E).contains(final) else { return .key(.unknown(whole), length: length) }
        let parameters = String(decoding: bytes[(start + 2)..<index], as: UTF8.self)
        // "1;5C" is Ctrl+Right: the first number says which key, the second the modifiers, ignored here.
        let first = parameters.split(separator: ";").first.flatMap { Int($0) } ?? 1
        let key: Key
        switch final {
        case UInt8(ascii: "A"): key = .up
        case UInt8(ascii: "B"): key = .down
        case UInt8(ascii: "C"): key = .right
        case UInt8(ascii: "D"): key = .left
        case UInt8(ascii: "H"): key = .home
        case UInt8(ascii: "F"): key = .end
        case UInt8(ascii: "Z"): key = .backTab
        case UInt8(ascii: "~"):
            switch first {
            case 1, 7: key = .home
            case 2: key = .insert
            case 3: key = .delete
            case 4, 8: key = .end
            case 5: key = .pageUp
            case 6: key = .pageDown
            case 11...15: key = .function(first - 10)
            case 17...21: key = .function(first - 11)
            case 23, 24: key = .function(first - 12)
            default: key = .unknown(whole)
            }
        default: key = .unknown(whole)
        }
        return .key(key, length: length)
    }
}
