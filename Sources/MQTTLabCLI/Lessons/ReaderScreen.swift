import MQTTCodec
import MQTTLabCourse

/// Lays out one frame of the reader for a terminal of `columns` × `rows`:
///
///     Lección 6 · Colas como los SMS
///     ───────────────────────────────
///     (the step, scrolled; then the panel of `r`)
///     ───────────────────────────────
///     lección 6 · paso 3/9 · Enter siguiente · b atrás · r ejecutar · q salir
struct ReaderScreen {
    var renderer: LessonRenderer
    var id: LessonID
    var language: Language

    /// The frame's lines, and the model updated with the body's height and length.
    func frame(_ model: inout ReaderModel, columns: Int, rows: Int) -> [String] {
        var layout = renderer
        layout.width = min(max(columns - 1, 20), LessonRenderer.maximumWidth)
        let style = layout.style
        var body = model.lesson.steps.isEmpty ? [] : layout.renderStep(model.lesson.steps[model.step])
        if let panel = model.panel {
            body.append("")
            body.append(style.faint(String(repeating: "─", count: min(layout.width, 40))))
            body += panelLines(panel, renderer: layout)
        }
        let bodyHeight = max(rows - 4, 1)
        model.bodyHeight = bodyHeight
        model.bodyLength = body.count
        model.clampScroll()
        let rule = style.faint(String(repeating: "─", count: min(columns, layout.width)))
        var lines = [style.bold("\(LessonWords.lesson.text(language)) \(id.number) · \(model.lesson.title)"), rule]
        let visible = body.dropFirst(model.scroll).prefix(bodyHeight)
        lines += visible
        lines += Array(repeating: "", count: bodyHeight - visible.count)
        lines.append(rule)
        lines.append(footer(model, columns: columns, style: style))
        return lines
    }

    /// "lesson 6 · step 3/9 · ↓ more · Enter next · b back · r run · q quit", shortened to fit.
    func footer(_ model: ReaderModel, columns: Int, style: Style) -> String {
        let position = "\(Words.lessonLower.text(language)) \(id.number) · \(LessonWords.step.text(language)) \(model.step + 1)/\(model.lesson.steps.count)"
        var parts = [position]
        if model.hasMoreBelow { parts.append(Words.more.text(language)) }
        let atEnd = model.isLastStep && !model.hasMoreBelow
        let keys = [(atEnd ? Words.keysAtEnd : Words.keysLong).text(language),
                    (atEnd ? Words.keysAtEndMedium : Words.keysMedium).text(language), Words.keysShort.text(language)]
        for candidate in keys {
            let text = (parts + [candidate]).joined(separator: " · ")
            if TextLayout.width(text) <= columns { return style.bold(position) + " · " + (parts.dropFirst() + [candidate]).joined(separator: " · ") }
        }
        return style.bold(position)
    }

    private func panelLines(_ panel: ReaderModel.Panel, renderer: LessonRenderer) -> [String] {
        let style = renderer.style
        switch panel {
        case .nothingToRun:
            return [style.faint(Words.nothingToRun.text(language))]
        case .secondTerminal(let run):
            let hint = run.kind == .broker ? Words.brokerElsewhere : Words.backgroundElsewhere
            var lines = renderer.wrapped([StyledSpan(hint.text(language))], width: renderer.width)
            lines.append("")
            lines.append("  " + style.apply("1;32", "$") + " " + style.bold(run.command))
            return lines
        case .output(let command, let output, let status, let stopped):
            var lines = ["  " + style.apply("1;32", "$") + " " + style.bold(command)]
            for line in output {
                lines += TextLayout.hardWrap(line, width: renderer.width - 2).map { "  " + $0 }
            }
            if stopped {
                lines.append(style.faint(Words.stopped.text(language)))
            } else if let status {
                lines.append(style.faint(status == 0 ? Words.finished.text(language) : Words.failed(status).text(language)))
            } else {
                lines.append(style.faint(Words.running.text(language)))
            }
            return lines
        }
    }

    enum Words {
        static let lessonLower = LocalizedText(en: "lesson", es: "lección")
        static let more = LocalizedText(en: "↓ more", es: "↓ más")
        static let keysLong = LocalizedText(en: "Enter next · b back · r run · q quit", es: "Enter siguiente · b atrás · r ejecutar · q salir")
        static let keysAtEnd = LocalizedText(en: "Enter close · b back · r run · q quit", es: "Enter cerrar · b atrás · r ejecutar · q salir")
        static let keysMedium = LocalizedText(en: "⏎ next · b back · r run · q quit", es: "⏎ siguiente · b atrás · r ejecutar · q salir")
        static let keysAtEndMedium = LocalizedText(en: "⏎ close · b back · r run · q quit", es: "⏎ cerrar · b atrás · r ejecutar · q salir")
        static let keysShort = LocalizedText(en: "⏎ b r q", es: "⏎ b r q")
        static let nothingToRun = LocalizedText(en: "This step has no command to run.", es: "Este paso no tiene ninguna orden que ejecutar.")
        static let backgroundElsewhere = LocalizedText(
            en: "This command keeps running, so it does not run here: open a second terminal, run it there and come back (Ctrl-C stops it when you are done).",
            es: "Esta orden sigue en marcha, así que no se ejecuta aquí: abre una segunda terminal, ejecútala allí y vuelve (Ctrl-C la para cuando termines).")
        static let brokerElsewhere = LocalizedText(
            en: "The broker keeps running, so it does not run here: open a second terminal for it, run this there and leave it open; its trace shows every packet.",
            es: "El broker sigue en marcha, así que no se ejecuta aquí: abre otra terminal para él, ejecuta esto allí y déjala abierta; su traza enseña cada paquete.")
        static let running = LocalizedText(en: "running… (q stops it)", es: "en marcha… (q la para)")
        static let finished = LocalizedText(en: "done", es: "terminado")
        static let stopped = LocalizedText(en: "stopped", es: "parado")
        static func failed(_ status: Int32) -> LocalizedText {
            LocalizedText(en: "ended with status \(status)", es: "terminó con estado \(status)")
        }
    }
}
