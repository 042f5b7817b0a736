import MQTTCodec

/// The hex dump of one packet for the inspector: offset, bytes, and their characters, with the current
/// field's bytes in reverse video and, with colors on, every field in its own color (the palette of
/// `mqttlab decode`). Reads the byte ranges from the walk, never the bytes' meaning.
struct HexPane {
    var style: Style

    /// Every row of the dump, and which one holds the start of the current field.
    func rows(_ dissection: Dissection, walk: FieldWalk, current: WalkStep?, width: Int) -> (rows: [String], currentRow: Int) {
        let perRow = width >= 74 ? 16 : 8
        let showCharacters = width >= 8 + perRow * 3 + perRow
        var owner = [Int?](repeating: nil, count: dissection.bytes.count)
        for step in walk.leafSteps {
            for offset in step.field.range where offset < owner.count { owner[offset] = step.leafIndex }
        }
        let highlighted = current?.byteRange ?? 0..<0
        var rows: [String] = []
        var start = 0
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
        } while start < dissection.bytes.count
        let currentRow = min(rows.count - 1, max(0, highlighted.lowerBound / perRow))
        return (rows, currentRow)
    }

    /// `height` rows of `rows` that show `current`, scrolled as little as possible.
    static func window(_ rows: [String], around current: Int, height: Int) -> [String] {
        guard rows.count > height, height > 0 else { return rows }
        let top = min(max(0, current - height / 2), rows.count - height)
        return Array(rows[top..<top + height])
    }
}
