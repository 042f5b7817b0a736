import MQTTCodec

/// The hex dump of one packet for the inspector: offset, bytes, and their characters, with the current
/// field's bytes in reverse video and, with colors on, every field in its own color (the palette of
/// `mqttlab decode`). Reads the byte ranges from the walk, never the bytes' meaning.
struct HexPane {
    var style: Style

    static func bytesPerRow(width: Int) -> Int { width >= 74 ? 16 : 8 }

    /// How many rows the whole dump of `byteCount` bytes takes.
    static func rowCount(byteCount: Int, width: Int) -> Int {
        max(1, (byteCount + bytesPerRow(width: width) - 1) / bytesPerRow(width: width))
    }

    /// The rows of the dump — all of them, or only `height` rows around the current field, so a large
    /// packet costs only what is on screen.
    func rows(_ dissection: Dissection, walk: FieldWalk, current: WalkStep?, width: Int, height: Int? = nil) -> [String] {
        let perRow = Self.bytesPerRow(width: width)
        let showCharacters = width >= 8 + perRow * 3 + perRow
        let total = Self.rowCount(byteCount: dissection.bytes.count, width: width)
        let currentRow = min(total - 1, (current?.byteRange.lowerBound ?? 0) / perRow)
        let shown = min(total, height ?? total)
        let top = min(max(0, currentRow - shown / 2), total - shown)
        let window = (top * perRow)..<min(dissection.bytes.count, (top + shown) * perRow)
        var owner: [Int: Int] = [:]
        for step in walk.leafSteps where step.field.range.overlaps(window) {
            for offset in step.field.range.clamped(to: window) { owner[offset] = step.leafIndex }
        }
        let highlighted = current?.byteRange ?? 0..<0
        var rows: [String] = []
        var start = window.lowerBound
        repeat {
            let end = min(start + perRow, dissection.bytes.count)
            var hex = ""
            var characters = ""
            var run = ""  // the highlighted bytes of this row, drawn as one reverse-video block
            var runCharacters = ""
            for offset in start..<end {
                let byte = dissection.bytes[offset]
                let cell = Hex.byte(byte)
                let character = (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "."
                if highlighted.contains(offset) {
                    run += run.isEmpty ? cell : " " + cell
                    runCharacters += character
                    if !highlighted.contains(offset + 1) || offset + 1 == end {
                        hex += ANSI.reverse(run) + " "
                        characters += ANSI.reverse(runCharacters)
                        run = ""
                        runCharacters = ""
                    }
                } else {
                    hex += (owner[offset].map { style.field($0, cell) } ?? cell) + " "
                    characters += character
                }
            }
            let padding = String(repeating: "   ", count: perRow - (end - start))
            var row = " " + DissectionTextRenderer.pad(String(start, radix: 16), 4, zeros: true) + "  " + hex + padding
            if showCharacters { row += " " + characters }
            rows.append(row)
            start = end
        } while start < window.upperBound
        return rows
    }
}
