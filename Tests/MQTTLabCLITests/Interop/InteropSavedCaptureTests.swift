import Foundation
import XCTest

/// Compares mqttlab with tshark on captures someone saved earlier (e.g. the ones in /tmp/interop/).
///
/// Opt-in: set `MQTTLAB_INTEROP_CAPTURES` to a folder; every `NAME.pcapng` / `NAME.pcap` in it is checked, decoding
/// the TCP port written in `NAME.port` (`PORT=12345` or just `12345`) as MQTT, 1883 when there is no such file.
/// Skipped when the variable is unset.
final class InteropSavedCaptureTests: InteropTestCase {
    func testSavedCapturesMatchTshark() throws {
        guard let folder = ProcessInfo.processInfo.environment["MQTTLAB_INTEROP_CAPTURES"], !folder.isEmpty else {
            throw XCTSkip("set MQTTLAB_INTEROP_CAPTURES=/path/to/captures to compare saved captures with tshark")
        }
        guard let tshark = InteropTools.find("tshark") else { throw XCTSkip("tshark is not installed") }
        let mqttlab = try requireMQTTLab()
        let directory = try InteropTools.makeTemporaryDirectory(prefix: "mqttlab-interop-saved")
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = URL(fileURLWithPath: folder)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".pcapng") || $0.hasSuffix(".pcap") }
            .sorted()
        XCTAssertFalse(files.isEmpty, "no .pcap/.pcapng files in \(folder)")
        for name in files {
            let capture = root.appendingPathComponent(name)
            let portFile = capture.deletingPathExtension().appendingPathExtension("port")
            let portText = (try? String(contentsOf: portFile, encoding: .utf8)) ?? "1883"
            let port = Int(portText.replacingOccurrences(of: "PORT=", with: "").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 1883
            try compareWithTshark(capture: capture, port: port, tshark: tshark, mqttlab: mqttlab, directory: directory, expectedTypes: [])
        }
    }
}
