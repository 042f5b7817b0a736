import MQTTCodec

/// Lays the inspector out on a screen of any size from 60x16 up (80x24 is the design size): title,
/// packet list, hex dump of the selected packet with the current field highlighted, the field's
/// explanation, the flow it belongs to, and the keys. Pure: state and size in, lines out.
struct InspectScreen {
    var language: Language
    /// Colors and bold/faint; off with NO_COLOR or --color never. Reverse video marks the selection and
    /// the current field either way: it is an attribute, not a color, and the screen is unusable without it.
    var style: Style
    var inputTitle: String

    static let minimumSize = TerminalSize(columns: 60, rows: 16)

    func render(_ browser: inout InspectBrowser, size: TerminalSize) -> [String] {
        let width = size.columns
        guard width >= Self.minimumSize.columns, size.rows >= Self.minimumSize.rows else {
            return [InspectText.tooSmall(Self.minimumSize.columns, Self.minimumSize.rows).text(language)]
        }
        if browser.mode == .help { return helpScreen(width: width) }

        var lines = [titleLine(&browser, width: width)]
        let listRows = max(3, min(max(1, browser.visible.count), (size.rows - 4) / 4))
        lines.append(style.faint(InspectText.listHeader.text(language)))
        lines += packetList(browser, rows: listRows, width: width)

        let bodyRows = size.rows - lines.count - 2  // the separator above, the keys line below
        guard let index = browser.selectedIndex else {
            lines.append(separator("", width: width))
            let message = browser.list.packets.isEmpty
                ? (browser.following ? InspectText.waiting : InspectText.noPackets).text(language)
                : InspectText.noMatch(browser.filterText).text(language)
            lines.append(message)
            lines += browser.list.notes.suffix(max(0, bodyRows - 1)).map { style.faint($0) }
            return pad(lines, to: size.rows - 1) + [bottomLine(browser, width: width)]
        }

        let packet = browser.list.packets[index]
        let walk = browser.walk(of: index)
        let stepIndex = min(browser.step, max(0, walk.steps.count - 1))
        let step = walk.steps.isEmpty ? nil : walk.steps[stepIndex]
        lines.append(separator(packetHeading(packet, step: stepIndex, of: walk.steps.count), width: width))

        let hexShown = min(HexPane.rowCount(byteCount: packet.dissection.bytes.count, width: width), max(1, (bodyRows - 1) / 4))
        lines += HexPane(style: style).rows(packet.dissection, walk: walk, current: step, width: width, height: hexShown)
        var explanation = step.map {
            FieldExplanation(language: language, style: style)
                .lines($0, in: packet.dissection, width: width - 1, explainsError: stepIndex == walk.errorStep)
        } ?? []
        // A second flow (the delivery a QoS exchange is part of) only when the explanation still fits.
        let flowLimit = explanation.count + 2 + 1 <= bodyRows - hexShown ? 2 : 1
        let flowLines = flow(browser.conversations.conversations(of: index), current: index, browser: browser, width: width,
                             limit: flowLimit)
        let explanationRows = bodyRows - hexShown - flowLines.count
        if explanation.count > explanationRows, explanationRows > 0 {
            explanation = Array(explanation.prefix(explanationRows - 1)) + [style.faint("…")]
        }
        if explanation.count < explanationRows { lines.append("") }  // room to breathe under the dump
        lines += explanation.map { " " + $0 }
        lines = pad(lines, to: size.rows - 1 - flowLines.count)
        lines += flowLines
        return Array(lines.prefix(size.rows - 1)) + [bottomLine(browser, width: width)]
    }

    // MARK: Parts

    private func titleLine(_ browser: inout InspectBrowser, width: Int) -> String {
        var parts = ["mqttlab inspect", inputTitle]
        if !browser.visible.isEmpty {
            parts.append(InspectText.packetOfCount(browser.selected + 1, browser.visible.count).text(language))
        }
        if !browser.filterText.isEmpty { parts.append(InspectText.filterShown(browser.filterText).text(language)) }
        if browser.following { parts.append(InspectText.following.text(language) + " ●") }
        return ANSI.reverse(DisplayWidth.fit(" " + parts.joined(separator: " · "), toWidth: width))
    }

    private func packetList(_ browser: InspectBrowser, rows: Int, width: Int) -> [String] {
        let lineMaker = PacketListLine(language: language)
        // Keep the selection in view, a little below the top when possible.
        let top = min(max(0, browser.selected - rows / 2), max(0, browser.visible.count - rows))
        var lines: [String] = []
        for position in top..<min(browser.visible.count, top + rows) {
            let packet = browser.list.packets[browser.visible[position]]
            var text = DisplayWidth.fit(lineMaker.line(packet), toWidth: width)
            if packet.isMalformed { text = style.error(text) }
            lines.append(position == browser.selected ? ANSI.reverse(text) : text)
        }
        return pad(lines, to: rows)
    }

    private func packetHeading(_ packet: InspectedPacket, step: Int, of count: Int) -> String {
        var parts = ["#\(packet.number) " + (packet.type?.description ?? "?"),
                     InspectText.bytesCount(packet.dissection.bytes.count).text(language),
                     "MQTT \(packet.dissection.version)"]
        if count > 0 { parts.append(InspectText.fieldOfCount(step + 1, count).text(language)) }
        if packet.isMalformed { parts.append("✗ " + InspectText.malformed.text(language)) }
        return parts.joined(separator: " · ")
    }

    private func separator(_ text: String, width: Int) -> String {
        let head = "── " + text + (text.isEmpty ? "" : " ")
        return style.bold(head) + String(repeating: "─", count: max(0, width - DisplayWidth.of(head)))
    }

    /// "flow · QoS 2 exchange: #5 PUBLISH → [#6 PUBREC] → #7 PUBREL → #8 PUBCOMP (tab)".
    private func flow(_ conversations: [Conversation], current: Int, browser: InspectBrowser, width: Int, limit: Int) -> [String] {
        conversations.prefix(limit).map { conversation in
            let members = conversation.members.map { member -> String in
                let packet = browser.list.packets[member]
                let text = "#\(packet.number) \(packet.direction.arrow)\(packet.type?.description ?? "?")"
                return member == current ? ANSI.reverse(text) : text
            }
            let head = InspectText.flow.text(language) + " · " + InspectText.conversationName(conversation.kind).text(language) + ": "
            let line = style.bold(head) + members.joined(separator: "  ")
            let purpose = "  — " + InspectText.conversationPurpose(conversation.kind).text(language)
            return DisplayWidth.truncate(line + style.faint(purpose), toWidth: width, ellipsis: "…")
        }
    }

    private func bottomLine(_ browser: InspectBrowser, width: Int) -> String {
        if case .filtering(let text) = browser.mode {
            return DisplayWidth.truncate(InspectText.filterPrompt.text(language) + text + "▏", toWidth: width)
        }
        return style.faint(DisplayWidth.truncate(InspectText.keysLine.text(language), toWidth: width))
    }

    private func helpScreen(width: Int) -> [String] {
        InspectText.help.enumerated().map { index, line in
            let text = line.text(language)
            return index == 0 ? style.bold(text) : text
        }
    }

    private func pad(_ lines: [String], to count: Int) -> [String] {
        lines.count >= count ? lines : lines + Array(repeating: "", count: count - lines.count)
    }
}
