import MQTTCodec

/// The walk as text, for handouts, pipes and tests (`--plain`, or no terminal): every packet with its
/// flow and hex dump, then every step — the same words as the interactive screen, one block per field.
struct PlainWalkRenderer {
    var language: Language
    var style: Style
    /// Lines are wrapped to this width.
    var width: Int

    func title(_ list: PacketList, shown: Int) -> String {
        let count = InspectText.packetCount(shown).text(language)
        return style.bold("mqttlab inspect · \(list.title) · \(count)")
    }

    func render(_ index: Int, of list: PacketList, conversations: ConversationIndex) -> String {
        let packet = list.packets[index]
        let walk = FieldWalk(packet.dissection)
        var lines = [style.bold(PacketListLine(language: language).line(packet))]
        for conversation in conversations.conversations(of: index) {
            let members = conversation.members.map { member -> String in
                let other = list.packets[member]
                let text = "#\(other.number) \(other.direction.arrow)\(other.type?.description ?? "?")"
                return member == index ? "[\(text)]" : text
            }
            lines.append("    " + InspectText.flow.text(language) + " · " + InspectText.conversationName(conversation.kind).text(language)
                         + ": " + members.joined(separator: "  "))
            lines.append("      " + style.faint(InspectText.conversationPurpose(conversation.kind).text(language)))
        }
        lines.append("    MQTT \(packet.dissection.version) · " + InspectText.bytesCount(packet.dissection.bytes.count).text(language)
                     + " · " + packet.origin)
        lines += HexPane(style: style).rows(packet.dissection, walk: walk, current: nil, width: min(width, 80)).map { "   " + $0 }
        let explanation = FieldExplanation(language: language, style: style)
        for (number, step) in walk.steps.enumerated() {
            let label = "[\(number + 1)/\(walk.steps.count)] "
            let body = explanation.lines(step, in: packet.dissection, width: width - 4 - label.count, bitTableOnBits: false,
                                         explainsError: number == walk.errorStep)
            lines.append("")
            for (row, line) in body.enumerated() {
                lines.append("    " + (row == 0 ? label : String(repeating: " ", count: label.count)) + line)
            }
        }
        if let error = packet.dissection.error, walk.steps.isEmpty {
            lines += explanation.errorLines(error, width: width - 4).map { "    " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}
