/// MQTT's Variable Byte Integer: 7 bits per byte, least significant group first, at most 4 bytes.
public enum VariableByteInteger {
    /// 268,435,455: the largest value 4 bytes can hold (`FF FF FF 7F`).
    public static let maximum: UInt32 = 268_435_455

    /// How many bytes `value` takes when encoded in the shortest form.
    public static func size(of value: UInt32) -> Int {
        switch value {
        case 0..<128: 1
        case 128..<16_384: 2
        case 16_384..<2_097_152: 3
        default: 4
        }
    }

    /// Appends the shortest encoding [MQTT-1.5.5-1]. `value` must not exceed `maximum`.
    public static func encode(_ value: UInt32, into bytes: inout [UInt8]) {
        forEachByte(of: value) { bytes.append($0) }
    }

    /// Hands the shortest encoding to `body` one byte at a time, for writers that are not arrays (the
    /// broker writes forwarded packets straight into a NIO buffer).
    @inlinable
    public static func forEachByte(of value: UInt32, _ body: (UInt8) -> Void) {
        var rest = value
        repeat {
            var byte = UInt8(rest & 0x7F)
            rest >>= 7
            if rest > 0 { byte |= 0x80 }
            body(byte)
        } while rest > 0
    }
}
