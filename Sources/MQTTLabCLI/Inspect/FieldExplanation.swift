import MQTTCodec

/// The words for one step of the walk — name, bytes, value, what the field is, what this value means,
/// and a flag byte bit by bit — shared by the screen and the plain text, so both say the same.
/// Values and meanings come from the codec's dissection through `DissectionTextRenderer`'s helpers.
struct FieldExplanation {
    var language: Language
    var style: Style

    private var table: DissectionTextRenderer { DissectionTextRenderer(language: language, style: Style(enabled: false), width: nil) }

    /// "properties › Message Expiry Interval" — the groups a field sits in, then its name.
    func title(_ step: WalkStep) -> String {
        (step.path.filter { $0.mask == nil && !$0.isLeaf }.map { $0.kind.name.text(language) } + [step.field.kind.name.text(language)])
            .joined(separator: " › ")
    }

    /// "bytes 2–3 · 00 04" or, for a bit field, "bits of byte 0 · .... .01.".
    func location(_ step: WalkStep, in dissection: Dissection) -> String {
        if let mask = step.field.mask, step.field.offset < dissection.bytes.count {
            return InspectText.bitsOfByte(step.field.offset).text(language) + " · " + Hex.bits(dissection.bytes[step.field.offset], mask: mask)
        }
        return InspectText.byteRange(step.field.range).text(language) + " · " + Hex.abbreviated(dissection.raw(step.field), limit: 12)
    }

    func value(_ step: WalkStep) -> String { table.valueText(step.field) }

    /// The field's general purpose, and (when the codec has one) what this particular value means.
    func meanings(_ step: WalkStep) -> (general: String, here: String?) {
        let general = step.field.kind.meaning.text(language)
        let here = step.field.note?.text(language)
        return (general, here == general ? nil : here)
    }

    /// The explanation block, wrapped to `width` columns.
    /// `bitTableOnBits` false leaves out the bit-by-bit table of a flag byte for bit steps (the plain text shows it
    /// once, with the byte).
    /// `explainsError` adds the malformed packet's error (on the one step `FieldWalk.errorStep` names).
    func lines(_ step: WalkStep, in dissection: Dissection, width: Int, bitTableOnBits: Bool = true, explainsError: Bool = false) -> [String] {
        var lines = [style.bold(title(step)) + "  " + style.faint(location(step, in: dissection))]
        let valueLabel = InspectText.value.text(language) + ": "
        let value = value(step)
        if !value.isEmpty { lines += labelled(valueLabel, value, width: width) }
        let (general, here) = meanings(step)
        lines += labelled(InspectText.whatItIs.text(language) + ": ", general, width: width)
        if let here { lines += labelled(InspectText.here.text(language) + ": ", here, width: width) }
        if let flagByte = step.flagByte ?? (step.field.children.contains { $0.mask != nil } ? step.field : nil),
           bitTableOnBits || !step.isBitField {
            lines += bitTable(flagByte, current: step.isBitField ? step.field : nil, in: dissection)
        }
        if let error = dissection.error, explainsError {
            lines += errorLines(error, width: width)
        }
        return lines
    }

    /// A flag byte bit by bit: one row per bit field, the current one marked.
    func bitTable(_ flagByte: Field, current: Field?, in dissection: Dissection) -> [String] {
        guard flagByte.offset < dissection.bytes.count else { return [] }
        let byte = dissection.bytes[flagByte.offset]
        let bits = flagByte.children.filter { $0.mask != nil }
        let nameWidth = bits.map { DisplayWidth.of($0.kind.name.text(language)) }.max() ?? 0
        var rows = ["    " + Hex.bits(byte, mask: 0xFF) + "  0x" + Hex.byte(byte)]
        for bit in bits {
            let isCurrent = bit == current
            let name = bit.kind.name.text(language)
            let row = Hex.bits(byte, mask: bit.mask ?? 0) + "  " + name
                + String(repeating: " ", count: max(0, nameWidth - DisplayWidth.of(name))) + "  " + table.valueText(bit)
            rows.append((isCurrent ? "  ▶ " : "    ") + (isCurrent ? style.bold(row) : row))
        }
        return rows
    }

    func errorLines(_ error: MalformedPacket, width: Int) -> [String] {
        var text = "✗ " + InspectText.malformedAt(error.offset).text(language) + ": " + error.violation.message.text(language)
        if let specID = error.specID { text += " [\(specID)]" }
        let name = error.reasonCode.name(in: .disconnect, version: .v5_0).text(language)
        let closes = InspectText.brokerCloses("0x" + Hex.byte(error.reasonCode.rawValue), name).text(language)
        return DissectionTextRenderer.wrap(text, width: max(20, width)).map { style.error($0) }
            + DissectionTextRenderer.wrap(closes, width: max(20, width))
    }

    /// "label: text", continuation lines indented under the text.
    private func labelled(_ label: String, _ text: String, width: Int) -> [String] {
        let indent = DisplayWidth.of(label)
        let wrapped = DissectionTextRenderer.wrap(text, width: max(20, width - indent))
        return wrapped.enumerated().map { index, line in
            (index == 0 ? style.faint(label) : String(repeating: " ", count: indent)) + line
        }
    }
}
