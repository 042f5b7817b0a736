import MQTTCodec
import XCTest

// Helpers shared by the codec tests. Everything that builds bytes here is written independently of the
// codec's own encoder, so a test never checks the encoder against itself.

/// Parses "10 0F 00 04" (any whitespace, upper or lower case) into bytes. Traps on a typo, so a broken
/// fixture fails loudly instead of silently testing something else.
func hex(_ text: String) -> [UInt8] {
    let digits = text.filter { !$0.isWhitespace }
    precondition(digits.count % 2 == 0, "odd number of hex digits in \(text)")
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        guard let byte = UInt8(digits[index..<next], radix: 16) else { preconditionFailure("bad hex in \(text)") }
        bytes.append(byte)
        index = next
    }
    return bytes
}

/// Several annotated hex segments, one per field, joined.
func hex(_ segments: [String]) -> [UInt8] { segments.flatMap { hex($0) } }

func hexString(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { byte in
        let text = String(byte, radix: 16, uppercase: true)
        return text.count == 1 ? "0" + text : text
    }.joined(separator: " ")
}

func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A tiny MQTT byte writer for building test packets by hand (independent of `Packet.encode`).
enum Wire {
    static func u16(_ value: Int) -> [UInt8] { [UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }

    static func u32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// Variable Byte Integer, shortest form (§1.3 of the checklist: 7 bits per byte, low group first).
    static func vbi(_ value: Int) -> [UInt8] {
        precondition(value >= 0)
        var rest = value
        var bytes: [UInt8] = []
        repeat {
            var byte = UInt8(rest % 128)
            rest /= 128
            if rest > 0 { byte |= 0x80 }
            bytes.append(byte)
        } while rest > 0
        return bytes
    }

    static func string(_ text: String) -> [UInt8] { binary(utf8(text)) }
    static func binary(_ data: [UInt8]) -> [UInt8] { u16(data.count) + data }

    /// A property block: its length as a VBI, then the properties' bytes.
    static func properties(_ content: [UInt8]) -> [UInt8] { vbi(content.count) + content }

    /// A whole packet: first byte, Remaining Length, body.
    static func packet(_ first: UInt8, _ body: [UInt8]) -> [UInt8] { [first] + vbi(body.count) + body }

    static let mqttName: [UInt8] = [0x00, 0x04, 0x4D, 0x51, 0x54, 0x54]
}

/// SplitMix64: a small deterministic generator, so every "random" test is reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The decoder's verdict as a value, so tests can compare outcomes.
func decodeOutcome(_ bytes: [UInt8], _ version: ProtocolVersion) -> Result<Packet, MalformedPacket> {
    do {
        return .success(try PacketDecoder.decode(bytes, version: version))
    } catch {
        return .failure(error)
    }
}

func decodeError(_ bytes: [UInt8], _ version: ProtocolVersion) -> MalformedPacket? {
    if case .failure(let error) = decodeOutcome(bytes, version) { return error }
    return nil
}

extension Field {
    /// The field and all of its descendants, parents first.
    var subtree: [Field] { [self] + children.flatMap(\.subtree) }
}

/// Checks the structural promises of a dissection and returns the first broken one, or nil:
/// * the leaves cover `bytes` exactly once, in order (each starts where the previous ended, the last
///   ends at `bytes.count`; zero-length leaves are allowed);
/// * every field has a non-empty key and a non-negative length;
/// * a bit field (mask != nil) sits inside its parent's single byte and has no children;
/// * the bit fields of one byte never claim the same bit twice;
/// * a group's children lie within the group's bytes, in order.
func dissectionProblem(_ dissection: Dissection) -> String? {
    var expected = 0
    for leaf in dissection.leaves {
        if leaf.offset != expected {
            return "leaf \(leaf.key) starts at \(leaf.offset), expected \(expected)"
        }
        if leaf.length < 0 { return "leaf \(leaf.key) has negative length \(leaf.length)" }
        expected = leaf.offset + leaf.length
    }
    if expected != dissection.bytes.count {
        return "leaves end at \(expected) but the packet has \(dissection.bytes.count) bytes"
    }
    func check(_ field: Field) -> String? {
        if field.key.isEmpty { return "a field of kind \(field.kind) has an empty key" }
        if field.length < 0 { return "\(field.key) has negative length" }
        var usedBits: UInt8 = 0
        var position = field.offset
        for child in field.children {
            if let mask = child.mask {
                if field.length != 1 || child.offset != field.offset || child.length != 1 {
                    return "bit field \(child.key) (offset \(child.offset), length \(child.length)) is not inside its parent's byte \(field.key) (offset \(field.offset), length \(field.length))"
                }
                if !child.children.isEmpty { return "bit field \(child.key) has children" }
                if mask == 0 { return "bit field \(child.key) has an empty mask" }
                if usedBits & mask != 0 { return "bit field \(child.key) reuses bits of \(field.key)" }
                usedBits |= mask
            } else {
                if child.offset < position || child.offset + child.length > field.offset + field.length {
                    return "child \(child.key) \(child.range) is outside or before its siblings in \(field.key) \(field.range)"
                }
                position = child.offset + child.length
            }
            if let problem = check(child) { return problem }
        }
        return nil
    }
    for field in dissection.fields {
        if let problem = check(field) { return problem }
    }
    return nil
}

func assertWellFormedDissection(
    _ dissection: Dissection, _ context: @autoclosure () -> String, file: StaticString = #filePath, line: UInt = #line
) {
    if let problem = dissectionProblem(dissection) {
        XCTFail("\(context()): \(problem)\nbytes: \(hexString(dissection.bytes))", file: file, line: line)
    }
}
