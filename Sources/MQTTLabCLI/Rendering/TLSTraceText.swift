import MQTTBroker
import MQTTBrokerCore
import MQTTCodec

/// The TLS handshake in the broker's trace, in plain words (es/en): what the ClientHello offers (readable
/// by anyone on the network), what was agreed, and why a handshake failed.
struct TLSTraceText {
    let language: Language

    private func t(_ en: String, _ es: String) -> String { language == .es ? es : en }

    func clientHello(_ hello: TLSClientHello, connection: ConnectionID) -> [BrokerTraceEventLine] {
        var parts = [t("offers ", "ofrece ") + hello.offeredVersions.map(TLSNames.version).joined(separator: ", ")]
        parts.append("SNI " + (hello.serverName.map { "\"\($0)\"" } ?? t("(none)", "(ninguno)")))
        if !hello.applicationProtocols.isEmpty { parts.append("ALPN " + hello.applicationProtocols.joined(separator: ", ")) }
        parts.append(t("\(hello.cipherSuites.count) cipher suites", "\(hello.cipherSuites.count) suites de cifrado"))
        return [
            BrokerTraceEventLine(kind: .headline, clientID: nil, text: "TLS ClientHello · " + parts.joined(separator: " · "),
                                 connection: connection),
            detail(t("the client's greeting travels in clear text: anyone on the network reads these lines",
                     "el saludo del cliente viaja sin cifrar: cualquiera en la red lee estas líneas")),
        ]
    }

    func completed(_ summary: TLSHandshakeSummary, connection: ConnectionID) -> [BrokerTraceEventLine] {
        var parts: [String] = []
        if let version = summary.version { parts.append(TLSNames.version(version)) }
        if let suite = summary.cipherSuite { parts.append(TLSNames.cipherSuite(suite)) }
        if let alpn = summary.applicationProtocol { parts.append("ALPN " + alpn) }
        var lines = [
            BrokerTraceEventLine(kind: .headline, clientID: nil, text: t("TLS handshake done · ", "saludo TLS completado · ")
                                 + parts.joined(separator: " · "), connection: connection),
            detail(t("broker certificate: ", "certificado del broker: ") + summary.serverSubject),
        ]
        if let client = summary.clientSubject {
            var text = t("client certificate: ", "certificado del cliente: ") + client
            if let identity = summary.identity {
                text += t(" → user name \(identity) (use_identity_as_username)", " → usuario \(identity) (use_identity_as_username)")
            }
            lines.append(detail(text))
        } else {
            lines.append(detail(t("the client presented no certificate", "el cliente no presentó certificado")))
        }
        lines.append(detail(t("from here on the MQTT packets travel encrypted; below, the broker shows them decrypted",
                              "desde aquí los paquetes MQTT viajan cifrados; abajo el broker los muestra descifrados")))
        return lines
    }

    func failed(_ failure: TLSHandshakeFailure, connection: ConnectionID) -> [BrokerTraceEventLine] {
        [
            BrokerTraceEventLine(kind: .headline, clientID: nil, text: "✕ " + t("TLS handshake failed: ", "falló el saludo TLS: ")
                                 + reason(failure.reason), connection: connection),
            detail(t("TLS library: ", "biblioteca TLS: ") + failure.detail),
        ]
    }

    func reason(_ reason: TLSHandshakeFailure.Reason) -> String {
        switch reason {
        case .plainMQTT:
            t("the client sent plain MQTT (a CONNECT, 0x10) to this TLS port: give it --cafile, or use the plain port 1883",
              "el cliente envió MQTT sin cifrar (un CONNECT, 0x10) a este puerto TLS: dale --cafile, o usa el puerto sin cifrar 1883")
        case .notTLS(let byte):
            t("the first byte, 0x\(Hex.byte(byte)), is not a TLS handshake (0x16): not a TLS client",
              "el primer byte, 0x\(Hex.byte(byte)), no es un saludo TLS (0x16): no es un cliente TLS")
        case .versionTooOld(let offered):
            t("the client offers only \(offered.map(TLSNames.version).joined(separator: ", ")); this listener accepts TLS 1.2 or newer",
              "el cliente solo ofrece \(offered.map(TLSNames.version).joined(separator: ", ")); este listener acepta TLS 1.2 o posterior")
        case .noClientCertificate:
            t("this listener requires a client certificate (require_certificate true) and the client sent none (--cert/--key)",
              "este listener exige certificado de cliente (require_certificate true) y el cliente no envió ninguno (--cert/--key)")
        case .clientCertificateRejected:
            t("the client's certificate is not signed by this listener's CA (cafile), or it has expired",
              "el certificado del cliente no lo firmó la CA de este listener (cafile), o ha caducado")
        case .serverCertificateRejected(nil):
            t("the client broke the handshake off after receiving the broker's certificate: it does not trust it (another CA, expired, or the host name it asked for is not in it)",
              "el cliente cortó el saludo tras recibir el certificado del broker: no confía en él (otra CA, caducado, o el nombre de host que pidió no está en él)")
        case .serverCertificateRejected(let alert?):
            t("the client refused the broker's certificate (its alert: \(alert)): it trusts another CA, the certificate expired, or the host name it asked for is not in it",
              "el cliente rechazó el certificado del broker (su alerta: \(alert)): confía en otra CA, el certificado caducó, o el nombre de host que pidió no está en él")
        case .connectionClosed:
            t("the client hung up during the handshake (often: it refused the broker's certificate)",
              "el cliente colgó durante el saludo (a menudo: rechazó el certificado del broker)")
        case .timedOut:
            t("no TLS handshake within 10 s: the connection is closed", "ningún saludo TLS en 10 s: se cierra la conexión")
        case .other:
            t("a TLS error", "un error de TLS")
        }
    }

    private func detail(_ text: String) -> BrokerTraceEventLine {
        BrokerTraceEventLine(kind: .detail, clientID: nil, text: "· " + text)
    }
}
