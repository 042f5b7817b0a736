/// A pcapng interface's timestamp unit (option `if_tsresol`): 10^-n or 2^-n seconds.
struct TimestampResolution: Equatable {
    var binary: Bool
    var exponent: Int

    /// Microseconds, the pcapng default when an interface has no `if_tsresol` option.
    static let microseconds = TimestampResolution(binary: false, exponent: 6)

    /// Decodes the option's single byte: the top bit picks base 2, the other bits the exponent.
    init(optionByte: UInt8) {
        binary = optionByte & 0x80 != 0
        exponent = Int(optionByte & 0x7f)
    }

    init(binary: Bool, exponent: Int) {
        self.binary = binary
        self.exponent = exponent
    }

    /// Seconds for a tick count. Whole seconds and the fraction are converted separately,
    /// because a nanosecond count since 1970 (about 2^61) does not fit a Double's 53-bit
    /// mantissa: dividing first would lose the sub-microsecond part.
    func seconds(_ ticks: UInt64) -> Double {
        if let divisor = integerDivisor {
            let (whole, fraction) = ticks.quotientAndRemainder(dividingBy: divisor)
            return Double(whole) + Double(fraction) / Double(divisor)
        }
        // Units finer than 10^-19 or 2^-63 s do not fit a UInt64 divisor; real files never use them.
        var divisor = 1.0
        for _ in 0..<exponent { divisor *= binary ? 2 : 10 }
        return Double(ticks) / divisor
    }

    private var integerDivisor: UInt64? {
        if binary { return exponent < 64 ? UInt64(1) << UInt64(exponent) : nil }
        guard exponent <= 19 else { return nil }
        var divisor: UInt64 = 1
        for _ in 0..<exponent { divisor *= 10 }
        return divisor
    }
}
