import Foundation
import MQTTCodec

/// Formats one decoded packet with its context (index, capture endpoints, how the version was chosen).
enum DecodeOutput {
    static func text(_ packet: DecodedPacket, index: Int, count: Int, language: Language, terminal: Terminal) -> String {
        let dissection = packet.dissection
        let style = Style(enabled: terminal.colors)
        var parts: [String] = []
        if count > 1 || packet.capture != nil { parts.append("#\(index)") }
        if let capture = packet.capture {
            let direction = capture.fromClient
                ? (language == .es ? "cliente → broker" : "client → broker")
                : (language == .es ? "broker → cliente" : "broker → client")
            parts.append(timeOfDay(capture.time))
            parts.append("\(capture.source) → \(capture.destination) (\(direction), " + (language == .es ? "trama" : "frame") + " \(capture.frame))")
        }
        let typeName = dissection.type.map { $0.description } ?? (language == .es ? "tipo reservado" : "reserved type")
        parts.append(typeName)
        parts.append("\(dissection.bytes.count) bytes")
        parts.append("MQTT \(dissection.version)" + versionRemark(packet.versionSource, language: language))
        var title = parts.joined(separator: " · ")
        if let type = dissection.type { title += " — " + type.purpose.text(language) }
        let renderer = DissectionTextRenderer(language: language, style: style, width: terminal.width)
        return renderer.render(dissection, title: title)
    }

    static func json(_ packet: DecodedPacket, index: Int, language: Language) -> String {
        var members: [(String, JSONWriter.Value)] = [("packet", .int(Int64(index)))]
        if let capture = packet.capture {
            members += [
                ("frame", .int(Int64(capture.frame))),
                ("time", .double(capture.time)),
                ("connection", .int(Int64(capture.connection))),
                ("src", .string(capture.source)),
                ("dst", .string(capture.destination)),
                ("direction", .string(capture.fromClient ? "client→broker" : "broker→client")),
            ]
        }
        members.append(("version_source", .string(String(describing: packet.versionSource))))
        members += DissectionJSONRenderer(language: language).members(packet.dissection)
        return JSONWriter.render(.object(members))
    }

    private static func versionRemark(_ source: VersionSource, language: Language) -> String {
        switch source {
        case .given, .connect: ""
        case .assumed: language == .es ? " (supuesta; -V 5 para 5.0)" : " (assumed; -V 5 for 5.0)"
        case .guessed: language == .es ? " (solo es válido en 5.0)" : " (valid only as 5.0)"
        }
    }

    /// "10:42:07.331512" in UTC: captures come from other machines and time zones.
    static func timeOfDay(_ time: Double) -> String {
        let seconds = Int(time.rounded(.down))
        let micros = Int(((time - Double(seconds)) * 1_000_000).rounded())
        let day = ((seconds % 86_400) + 86_400) % 86_400
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = String(min(micros, 999_999))
        return "\(two(day / 3600)):\(two(day / 60 % 60)):\(two(day % 60)).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }
}
