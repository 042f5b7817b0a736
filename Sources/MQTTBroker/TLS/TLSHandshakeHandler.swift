import MQTTBrokerCore
import NIOCore
import NIOSSL
import NIOTLS

/// Sits right behind the TLS handler of a TLS listener's connection and tells the broker core how the
/// handshake went: what was agreed and with whom (`handshakeCompleted`), or why it failed. A failed
/// handshake is reported once, in plain words, and then the connection closes; nothing crashes and the
/// engine never hears of the connection's MQTT side.
final class TLSHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let id: ConnectionID
    let core: BrokerCore
    let facts: TLSConnectionFacts
    let tls: BrokerTLSContext
    private var finished = false
    private var timer: Scheduled<Void>?

    /// A handshake takes milliseconds; a peer that has not finished one in this time is cut, so silent
    /// sockets cannot pile up on a TLS port.
    static let timeout = TimeAmount.seconds(10)

    init(id: ConnectionID, core: BrokerCore, facts: TLSConnectionFacts, tls: BrokerTLSContext) {
        self.id = id
        self.core = core
        self.facts = facts
        self.tls = tls
    }

    func handlerAdded(context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.timeout) { [weak self] in
            guard let self, !self.finished else { return }
            self.finished = true
            self.core.tlsHandshakeFailed(TLSHandshakeFailure(reason: .timedOut, detail: "no handshake in \(Self.timeout.nanoseconds / 1_000_000_000) s"),
                                         on: self.id)
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted(let negotiated) = event, !finished {
            finished = true
            timer?.cancel()
            timer = nil
            let sslHandler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
            let peer = sslHandler?.peerCertificate
            let clientSubject = peer.map { BrokerListenerTLS.subjectText($0.subjectName) }
            let identity = tls.settings.useIdentityAsUsername ? peer.flatMap { BrokerListenerTLS.commonName($0.subjectName) } : nil
            var version = facts.serverHello?.version
            if version == nil, let agreed = sslHandler?.tlsVersion { version = Self.wireVersion(agreed) }
            let summary = TLSHandshakeSummary(
                version: version, cipherSuite: facts.serverHello?.cipherSuite, applicationProtocol: negotiated,
                serverSubject: tls.serverSubject, clientSubject: clientSubject, identity: identity)
            core.tlsHandshakeCompleted(summary, usesIdentity: tls.settings.useIdentityAsUsername, on: id)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !finished {
            finished = true
            core.tlsHandshakeFailed(Self.failure(error, facts: facts), on: id)
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        // A client that hangs up in the middle of the handshake (a refused certificate without an alert).
        if !finished, facts.firstByte != nil {
            finished = true
            core.tlsHandshakeFailed(TLSHandshakeFailure(reason: .connectionClosed, detail: "closed during the handshake"), on: id)
        }
        context.fireChannelInactive()
    }

    /// "WRONG_VERSION_NUMBER" out of BoringSSL's "…:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER at /path…";
    /// the whole text when it has no such name.
    static func shortName(of text: String) -> String {
        guard let range = text.range(of: "OPENSSL_internal:") else { return text }
        let name = text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? text : String(name)
    }

    static func wireVersion(_ version: TLSVersion) -> UInt16 {
        switch version {
        case .tlsv1: 0x0301
        case .tlsv11: 0x0302
        case .tlsv12: 0x0303
        case .tlsv13: 0x0304
        }
    }

    /// Reads the reason out of what the wire showed first, then out of BoringSSL's error names.
    static func failure(_ error: any Error, facts: TLSConnectionFacts) -> TLSHandshakeFailure {
        let words = "\(error)".uppercased()
        let detail = Self.shortName(of: "\(error)")
        if let first = facts.firstByte, first != 22 {
            return TLSHandshakeFailure(reason: first >> 4 == 1 ? .plainMQTT : .notTLS(firstByte: first), detail: detail)
        }
        if let offered = facts.clientHello?.offeredVersions, let newest = offered.max(), newest < 0x0303 {
            return TLSHandshakeFailure(reason: .versionTooOld(offered: offered), detail: detail)
        }
        if words.contains("UNSUPPORTED_PROTOCOL") {
            return TLSHandshakeFailure(reason: .versionTooOld(offered: facts.clientHello?.offeredVersions ?? []), detail: detail)
        }
        if words.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") {
            return TLSHandshakeFailure(reason: .noClientCertificate, detail: detail)
        }
        if words.contains("CERTIFICATE_VERIFY_FAILED") {
            return TLSHandshakeFailure(reason: .clientCertificateRejected, detail: detail)
        }
        // "…:TLSV1_ALERT_UNKNOWN_CA", "…:SSLV3_ALERT_CERTIFICATE_EXPIRED": the client's alert, in words.
        if let range = words.range(of: "_ALERT_") {
            let tail = words[range.upperBound...].prefix { $0.isLetter || $0 == "_" }
            return TLSHandshakeFailure(reason: .serverCertificateRejected(alert: tail.lowercased().replacingOccurrences(of: "_", with: " ")),
                                       detail: detail)
        }
        if let error = error as? NIOSSLError, error == .uncleanShutdown {
            return TLSHandshakeFailure(reason: .connectionClosed, detail: detail)
        }
        // The broker's certificate went out and the client broke off with something that is not an alert
        // BoringSSL can name (OpenSSL 3 clients refusing a TLS 1.3 certificate do this): it refused it.
        if facts.serverHello != nil {
            return TLSHandshakeFailure(reason: .serverCertificateRejected(alert: nil), detail: detail)
        }
        return TLSHandshakeFailure(reason: .other, detail: detail)
    }
}
