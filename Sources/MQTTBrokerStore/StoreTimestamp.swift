import Foundation

/// The `updatedAt` text of a batch: UTC, "yyyy-MM-dd HH:mm:ss.SSS", the format GRDB writes and reads
/// for a `Date`, so `load()` reads it back with GRDB's own decoding.
///
/// Formatted here rather than by GRDB: GRDB goes through a `DateFormatter` (ICU), which cost 2–3 % of the
/// broker's CPU in `bench broker`'s `--store` scenario, once per batch.
enum StoreTimestamp {
    static func text(for date: Date) -> String {
        // Rounded to the nearest millisecond, as GRDB's formatter does (a test compares them).
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(totalMilliseconds >= 0 ? totalMilliseconds / 1000 : (totalMilliseconds - 999) / 1000)
        let milliseconds = Int(totalMilliseconds - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text = ""
        text.reserveCapacity(23)
        append(Int(parts.tm_year) + 1900, digits: 4, to: &text)
        text += "-"
        append(Int(parts.tm_mon) + 1, digits: 2, to: &text)
        text += "-"
        append(Int(parts.tm_mday), digits: 2, to: &text)
        text += " "
        append(Int(parts.tm_hour), digits: 2, to: &text)
        text += ":"
        append(Int(parts.tm_min), digits: 2, to: &text)
        text += ":"
        append(Int(parts.tm_sec), digits: 2, to: &text)
        text += "."
        append(milliseconds, digits: 3, to: &text)
        return text
    }

    private static func append(_ value: Int, digits: Int, to text: inout String) {
        let decimal = String(value)
        if decimal.count < digits { text += String(repeating: "0", count: digits - decimal.count) }
        text += decimal
    }
}
