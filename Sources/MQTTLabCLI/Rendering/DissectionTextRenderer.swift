import MQTTCodec

/// Renders a dissection for people: an annotated hex dump (each byte labelled with the field it belongs
/// to) and a table of fields (offset, bytes, field, value, meaning), in the learner's language.
struct DissectionTextRenderer {
    var language: Language
    var style: Style
    /// Wrap the meaning column to this width; nil leaves lines whole (pipes, files).
    var width: Int?

    /// Long values (topics, payloads) are clipped in the table; the hex dump above shows every byte.
    private static let maximumValueWidth = 28

    /// The title (when given), the annotated hex dump (unless `hexDump` is false: the broker's
    /// `--trace fields` shows the table alone, without the letters that tie it to the dump), the table,
    /// and the error, if any.
    func render(_ dissection: Dissection, title: String?, hexDump showDump: Bool = true) -> String {
        var lines: [String] = []
        if let title { lines += [style.bold(title), ""] }
        let leaves = dissection.leaves
        let labels = showDump ? Self.labels(count: leaves.count) : Array(repeating: "", count: leaves.count)
        if showDump {
            lines.append(contentsOf: hexDump(dissection, leaves: leaves, labels: labels))
            lines.append("")
        }
        lines.append(contentsOf: table(dissection, labels: labels, leaves: leaves))
        if let error = dissection.error {
            lines.append("")
            lines.append(contentsOf: errorLines(error))
        }
        return lines.joined(separator: "\n")
    }

    // MARK: Hex dump

    /// 16 bytes a line, and under each byte the label of its field.
    private func hexDump(_ dissection: Dissection, leaves: [Field], labels: [String]) -> [String] {
        var owner = [Int?](repeating: nil, count: dissection.bytes.count)
        for (index, leaf) in leaves.enumerated() {
            for offset in leaf.range where offset < owner.count { owner[offset] = index }
        }
        let errorOffset = dissection.error?.offset
        var lines: [String] = []
        var lineStart = 0
        repeat {
            let end = min(lineStart + 16, dissection.bytes.count)
            var hex = ""
            var marks = ""
            var ascii = ""
            for offset in lineStart..<end {
                let byte = dissection.bytes[offset]
                let fieldIndex = owner[offset]
                let cell = Hex.byte(byte)
                hex += (fieldIndex.map { style.field($0, cell) } ?? cell) + " "
                let label: String
                if offset == errorOffset {
                    label = style.error("^^")
                } else if let fieldIndex {
                    // Label only the first byte of a field; the rest of its bytes show a dash.
                    let text = leaves[fieldIndex].offset == offset ? labels[fieldIndex] : "──"
                    label = style.field(fieldIndex, text.count == 1 ? text + " " : text)
                } else {
                    label = "  "
                }
                marks += label + " "
                let character = (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "."
                ascii += fieldIndex.map { style.field($0, character) } ?? character
            }
            let padding = String(repeating: "   ", count: 16 - (end - lineStart))
            lines.append("  " + Self.pad(String(lineStart, radix: 16), 4, zeros: true) + "  " + hex + padding + " " + ascii)
            lines.append("        " + marks)
            lineStart = end
        } while lineStart < dissection.bytes.count
        if let errorOffset, errorOffset >= dissection.bytes.count {
            lines.append("        " + style.error(language == .es ? "(faltan bytes al final)" : "(bytes missing at the end)"))
        }
        return lines
    }

    // MARK: Table

    /// One table row before layout: the columns are sized to their widest cell afterwards.
    private struct Row {
        var label = ""
        var offset = ""
        var bytes = ""
        var field = ""
        var value = ""
        var meaning = ""
        var color: Int?
    }

    private func table(_ dissection: Dissection, labels: [String], leaves: [Field]) -> [String] {
        let header = language == .es
            ? Row(offset: "offset", bytes: "bytes", field: "campo", value: "valor", meaning: "significado")
            : Row(offset: "offset", bytes: "bytes", field: "field", value: "value", meaning: "meaning")
        var rows: [Row] = []
        var leafIndex = 0
        func visit(_ field: Field, depth: Int) {
            let name = String(repeating: "  ", count: depth) + field.kind.name.text(language)
            if let mask = field.mask {
                // A bit field: shown under its byte, with the bits it reads.
                rows.append(Row(bytes: "  " + Hex.bits(dissection.bytes[field.offset], mask: mask), field: name,
                                value: valueText(field), meaning: meaning(field)))
                return
            }
            if field.isLeaf {
                let index = leafIndex
                leafIndex += 1
                rows.append(Row(label: labels[index], offset: String(field.offset), bytes: Hex.abbreviated(dissection.raw(field), limit: 5),
                                field: name, value: valueText(field), meaning: meaning(field), color: index))
                for child in field.children { visit(child, depth: depth + 1) }
                return
            }
            // A group: a heading row with its size, then its parts.
            rows.append(Row(offset: String(field.offset), field: name, value: "(\(field.length) bytes)", meaning: meaning(field)))
            for child in field.children { visit(child, depth: depth + 1) }
        }
        dissection.fields.forEach { visit($0, depth: 0) }

        let all = [header] + rows
        let offsetWidth = all.map { $0.offset.count }.max()! + 2
        let bytesWidth = all.map { $0.bytes.count }.max()! + 2
        let fieldWidth = all.map { $0.field.count }.max()! + 2
        let valueWidth = min(all.map { $0.value.count }.max()!, Self.maximumValueWidth) + 2
        let meaningColumn = 2 + 3 + offsetWidth + bytesWidth + fieldWidth + valueWidth
        return all.enumerated().map { index, row in
            var line = "  "
            let labelCell = Self.pad(row.label, 3)
            let bytesCell = Self.pad(row.bytes, bytesWidth)
            line += row.color.map { style.field($0, labelCell) } ?? labelCell
            line += Self.pad(row.offset, offsetWidth)
            line += row.color.map { style.field($0, bytesCell) } ?? bytesCell
            line += Self.pad(row.field, fieldWidth)
            line += Self.pad(Self.clip(row.value, valueWidth - 2), valueWidth)
            var meaningLines = [row.meaning]
            if let width, width > meaningColumn + 20 {
                meaningLines = Self.wrap(row.meaning, width: width - meaningColumn)
            }
            line += meaningLines[0]
            for extra in meaningLines.dropFirst() { line += "\n" + String(repeating: " ", count: meaningColumn) + extra }
            return index == 0 ? style.faint(line) : line
        }
    }

    func valueText(_ field: Field) -> String {
        switch field.value {
        case .none: return ""
        case .bool(let flag): return flag ? "1" : "0"
        case .integer(let number):
            switch field.kind {
            case .packetTypeAndFlags, .connectFlags, .connAckFlags, .subscriptionOptions, .propertyIdentifier:
                let hex = String(number, radix: 16)
                let text = "0x" + (hex.count == 1 ? "0" : "") + hex
                if field.kind == .packetTypeAndFlags, let note = field.note { return text + " " + note.text(language) }
                return text
            case .reasonCode, .connectReturnCode, .grantedQoS:
                let hex = String(number, radix: 16)
                return "0x" + (hex.count == 1 ? "0" : "") + hex
            default:
                return String(number)
            }
        case .string(let text): return "\"" + text + "\""
        case .bytes(let data):
            if data.isEmpty { return "—" }
            if let text = Self.printableText(data) { return "\"" + text + "\"" }
            return Hex.abbreviated(data, limit: 6)
        }
    }

    func meaning(_ field: Field) -> String {
        if field.kind == .packetTypeAndFlags { return field.kind.meaning.text(language) }
        return (field.note ?? field.kind.meaning).text(language)
    }

    private func errorLines(_ error: MalformedPacket) -> [String] {
        let where_ = language == .es ? "mal formado en el byte \(error.offset)" : "malformed at byte \(error.offset)"
        var text = "✗ " + where_ + ": " + error.violation.message.text(language)
        if let specID = error.specID { text += " [\(specID)]" }
        var lines = ["  " + style.error(text)]
        let reason = error.reasonCode
        let name = reason.name(in: .disconnect, version: .v5_0).text(language)
        lines.append("    " + (language == .es
            ? "Un broker cierra esta conexión (en MQTT 5.0 antes envía el código 0x\(Hex.byte(reason.rawValue)) \(name))."
            : "A broker closes this connection (in MQTT 5.0 it first sends reason code 0x\(Hex.byte(reason.rawValue)) \(name))."))
        return lines
    }

    // MARK: Text helpers

    /// A, B, … Z, then AA, AB, …: short enough to sit under a byte in the dump.
    static func labels(count: Int) -> [String] {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return (0..<count).map { (index: Int) -> String in
            if index < 26 { return String(letters[index]) }
            let first: Character = letters[(index / 26 - 1) % 26]
            let second: Character = letters[index % 26]
            return String([first, second])
        }
    }

    /// The bytes as text when they are printable UTF-8 (a payload like "22.5"), else nil.
    static func printableText(_ data: [UInt8]) -> String? {
        guard let text = String(validating: data, as: UTF8.self),
              text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else { return nil }
        return text
    }

    static func pad(_ text: String, _ width: Int, zeros: Bool = false) -> String {
        let visible = visibleLength(text)
        guard visible < width else { return zeros ? text : text + " " }
        let filler = String(repeating: zeros ? "0" : " ", count: width - visible)
        return zeros ? filler + text : text + filler
    }

    static func clip(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    /// Characters a terminal shows, not counting ANSI escape sequences.
    static func visibleLength(_ text: String) -> Int {
        var count = 0
        var inEscape = false
        for character in text {
            if inEscape {
                if character == "m" { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                count += 1
            }
        }
        return count
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = String(word)
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        lines.append(current)
        return lines
    }
}
