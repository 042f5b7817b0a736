import Foundation

/// The export file: a `ResultsBundle` under a SHA-256 checksum, written in one exact (canonical) form.
///
/// ```
/// {
///   "checksum" : { "algorithm" : "sha256", "value" : "<hex of SHA-256 over the canonical content>" },
///   "content" : { …the bundle… }
/// }
/// ```
///
/// The canonical content is the bundle as compact JSON with sorted keys; the file is the whole object
/// pretty-printed with sorted keys. Verifying re-creates both from what it read: a file that is not byte
/// for byte what mqttlab writes, or whose checksum does not match, is reported as changed. So every edited
/// byte is caught — a changed value breaks the checksum, a changed space or escape breaks the form.
///
/// What this proves, honestly (Docs/GRADES.md): the file was not edited by hand or damaged after the
/// export. It cannot prove the results are genuine: the student runs mqttlab on their own machine, so a
/// determined student can recompute a checksum (or extract any key an open-source binary carries).
public enum ResultsBundleFile {
    public static let algorithm = "sha256"

    struct Checksum: Codable, Equatable {
        var algorithm: String
        var value: String
    }

    struct Envelope: Codable {
        var checksum: Checksum
        var content: ResultsBundle
    }

    /// Whether a read bundle is the one mqttlab wrote.
    public enum Integrity: Sendable, Equatable {
        case intact
        /// The file changed after the export; `reason` says how it was noticed (English, for the teacher's log).
        case changed(Change)
    }

    public enum Change: String, Sendable, Equatable {
        /// The content does not match its checksum.
        case checksumMismatch = "checksum mismatch"
        /// The values match the checksum but the bytes are not the ones mqttlab wrote (spaces, escapes, order).
        case notCanonical = "not in the form mqttlab writes"
        /// The checksum uses an algorithm this build does not know.
        case unknownAlgorithm = "unknown checksum algorithm"
    }

    public struct Verified: Sendable, Equatable {
        public var bundle: ResultsBundle
        public var integrity: Integrity
    }

    /// Why a file cannot be read as a bundle at all (not JSON, not mqttlab's, or a newer format).
    public enum ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        case notABundle(path: String, reason: String)
        case newerFormat(path: String, found: Int, supported: Int)

        public var description: String {
            switch self {
            case .notABundle(let path, let reason): "\(path): not an mqttlab results export (\(reason))"
            case .newerFormat(let path, let found, let supported):
                "\(path): written by a newer mqttlab (export format \(found); this one reads up to \(supported))"
            }
        }
    }

    /// The exact bytes of the export file.
    public static func encode(_ bundle: ResultsBundle) throws -> Data {
        let envelope = Envelope(checksum: Checksum(algorithm: algorithm, value: try checksum(of: bundle)), content: bundle)
        var data = try fileEncoder().encode(envelope)
        data.append(0x0A)
        return data
    }

    /// Reads and verifies an export. Throws only when the file is not an export at all; a changed export
    /// is returned with `integrity` saying so, for the teacher to see.
    public static func decode(_ data: Data, path: String) throws -> Verified {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: data)
        } catch {
            if let header = try? JSONDecoder().decode(FormatHeader.self, from: data),
               header.content.format == ResultsBundle.formatName, header.content.formatVersion > ResultsBundle.currentFormatVersion {
                throw ReadError.newerFormat(path: path, found: header.content.formatVersion, supported: ResultsBundle.currentFormatVersion)
            }
            throw ReadError.notABundle(path: path, reason: Self.describe(error))
        }
        guard envelope.content.format == ResultsBundle.formatName else {
            throw ReadError.notABundle(path: path, reason: "its format is \"\(envelope.content.format)\"")
        }
        guard envelope.content.formatVersion <= ResultsBundle.currentFormatVersion else {
            throw ReadError.newerFormat(path: path, found: envelope.content.formatVersion, supported: ResultsBundle.currentFormatVersion)
        }
        guard envelope.checksum.algorithm == algorithm else {
            return Verified(bundle: envelope.content, integrity: .changed(.unknownAlgorithm))
        }
        guard try checksum(of: envelope.content) == envelope.checksum.value else {
            return Verified(bundle: envelope.content, integrity: .changed(.checksumMismatch))
        }
        guard try encode(envelope.content) == data else {
            return Verified(bundle: envelope.content, integrity: .changed(.notCanonical))
        }
        return Verified(bundle: envelope.content, integrity: .intact)
    }

    /// SHA-256 over the canonical content: compact JSON, keys sorted, slashes unescaped.
    static func checksum(of bundle: ResultsBundle) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return SHA256Digest.hex(Array(try encoder.encode(bundle)))
    }

    private static func fileEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }

    /// Just enough to tell a newer export from a broken one.
    private struct FormatHeader: Decodable {
        struct Content: Decodable {
            var format: String
            var formatVersion: Int
        }
        var content: Content
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            return "not valid JSON" + (context.underlyingError.map { ": \($0.localizedDescription)" } ?? "")
        case DecodingError.keyNotFound(let key, let context):
            return "missing \"\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\""
        default:
            return "\(error)"
        }
    }
}
