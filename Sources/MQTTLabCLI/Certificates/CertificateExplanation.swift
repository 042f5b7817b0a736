import Foundation
import MQTTCodec
import MQTTLabSecurity

/// `mqttlab certs show`: a certificate in plain words, one line per thing a student should check.
enum CertificateExplanation {
    static func text(file: String, summary: CertificateSummary, now: Date, language: Language) -> String {
        let l = { (en: String, es: String) in LocalizedText(en: en, es: es).text(language) }
        let valid = summary.isValid(at: now)
        let validity = valid
            ? l("valid now", "válido ahora")
            : (now < summary.notBefore ? l("NOT valid yet", "todavía NO es válido") : l("EXPIRED", "CADUCADO"))
        let names = summary.alternativeNames.isEmpty
            ? l("none (clients that check the host name will refuse it)", "ninguno (los clientes que comprueban el nombre lo rechazarán)")
            : summary.alternativeNames.map(\.description).joined(separator: ", ")
        let key = summary.curve.map { "\(summary.keyType) \($0), \(summary.keyBits) bits" } ?? "\(summary.keyType) \(summary.keyBits) bits"
        let authority: String
        if summary.isCertificateAuthority {
            authority = summary.isSelfSigned
                ? l("yes, a root CA (self-signed): trusting this file means trusting everything it signs",
                    "sí, una CA raíz (autofirmada): confiar en este fichero es confiar en todo lo que firme")
                : l("yes, an intermediate CA: it may sign other certificates", "sí, una CA intermedia: puede firmar otros certificados")
        } else {
            authority = l("no, an end certificate (a server or a client): it cannot sign others",
                          "no, un certificado final (de servidor o de cliente): no puede firmar otros")
        }
        let usage = summary.keyUsage.isEmpty ? l("not restricted", "sin restricción") : summary.keyUsage.map(\.rawValue).joined(separator: ", ")
        let extended = summary.extendedKeyUsage.map { usage -> String in
            switch usage {
            case .serverAuth: return l("serverAuth (a TLS server, e.g. the broker)", "serverAuth (un servidor TLS, p. ej. el broker)")
            case .clientAuth: return l("clientAuth (a TLS client that proves who it is)", "clientAuth (un cliente TLS que demuestra quién es)")
            }
        }
        var lines = [
            l("Certificate", "Certificado") + " \(file) (X.509 v\(summary.version))",
            "  " + l("Subject (whom it names):     ", "Sujeto (a quién nombra):     ") + summary.subject,
            "  " + l("Issuer (who signed it):      ", "Emisor (quién lo firmó):     ") + summary.issuer,
            "  " + l("Valid:                       ", "Validez:                     ")
                + l("from ", "desde ") + stamp(summary.notBefore) + l(" to ", " hasta ") + stamp(summary.notAfter) + ": " + validity,
            "  " + l("Names (subjectAltName):      ", "Nombres (subjectAltName):    ") + names,
            "  " + l("Public key:                  ", "Clave pública:               ") + key,
            "  " + l("Certificate authority:       ", "Autoridad de certificación:  ") + authority,
            "  " + l("Key usage:                   ", "Uso de la clave:             ") + usage,
        ]
        if !extended.isEmpty {
            lines.append("  " + l("Extended key usage:          ", "Uso extendido:               ") + extended.joined(separator: ", "))
        }
        lines.append("  " + l("SHA-256 fingerprint:         ", "Huella SHA-256:              ") + summary.sha256Fingerprint)
        lines.append("")
        lines.append(l("A client trusts the broker when the broker's certificate was signed by a CA it trusts (--cafile), is valid now,",
                       "Un cliente confía en el broker si su certificado lo firmó una CA en la que confía (--cafile), es válido ahora"))
        lines.append(l("and lists the host name or IP address the client connected to.",
                       "y contiene el nombre o la dirección IP a la que se conectó."))
        return lines.joined(separator: "\n")
    }

    /// "2026-12-07 20:30:00 UTC": the same in every locale, so output can be compared.
    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date) + " UTC"
    }

    /// A failure of `mqttlab certs`, worded for a student.
    static func error(_ error: CertificateError, language: Language) -> String {
        let l = { (en: String, es: String) in LocalizedText(en: en, es: es).text(language) }
        switch error {
        case .missingFile(let path):
            return "\(path): " + l("no such file", "no existe el fichero")
        case .notACertificate(let path):
            return "\(path): " + l("this file is not a certificate (expected PEM, '-----BEGIN CERTIFICATE-----', or DER)",
                                   "este fichero no es un certificado (se esperaba PEM, '-----BEGIN CERTIFICATE-----', o DER)")
        case .notAPrivateKey(let path):
            return "\(path): " + l("this file is not a private key in PEM", "este fichero no es una clave privada en PEM")
        case .caAlreadyExists(let path):
            return "\(path): " + l("a CA already exists here; replacing it makes every certificate it signed untrusted (use --force to do it anyway)",
                                   "ya hay una CA aquí; sustituirla hace que nadie confíe en los certificados que firmó (usa --force para hacerlo igualmente)")
        case .invalidHost(let host):
            return "--host \(host): " + l("not a host name or an IP address", "no es un nombre de máquina ni una dirección IP")
        case .invalidName(let name):
            return "'\(name)': " + l("a client name is 1-64 letters, digits, '.', '_' or '-' (it is also the file name), and not 'ca' or 'server'",
                                     "un nombre de cliente son 1-64 letras, dígitos, '.', '_' o '-' (también es el nombre del fichero), y no 'ca' ni 'server'")
        case .cannotWrite(let path, let reason):
            return "\(path): " + l("cannot write", "no se puede escribir") + " (\(reason))"
        }
    }
}
