import MQTTBroker
import MQTTBrokerCore
import MQTTCodec

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `mqttlab broker --trace-json FILE`: a `BrokerTraceSink` that turns every packet in and out and every
/// event into one JSON object per line (JSON Lines), for tools and exercise checkers.
///
///     {"kind":"packet","time":"2026-11-25T12:01:41.248123Z","connection":1,"client":"ana","direction":"in",
///      "version":"3.1.1","type":"PUBLISH","size":12,"hex":"…","error":null,"fields":[…]}
///     {"kind":"event","time":"…","event":"queued","connection":null,"client":"ana","topic":"casa/luz","queue_length":1}
///
/// Packet members after `direction` are `DissectionJSONRenderer`'s (the same objects as `mqttlab decode
/// --json`). Every event line has `kind`, `time`, `event`, `connection` and `client` (null when the event
/// has none), then the event's own data as flat members (lists stay arrays). Runs on the broker's event
/// loop: it only builds the text and hands it to `emit` (the `BoundedLineWriter`'s `enqueue`, which never
/// blocks). Passwords are masked in `hex` and `fields` unless `showSecrets`.
final class BrokerTraceJSONRenderer: BrokerTraceSink {
    let language: Language
    let showSecrets: Bool
    private let emit: (String) -> Void
    private let dissectionRenderer: DissectionJSONRenderer

    init(language: Language, showSecrets: Bool, emit: @escaping (String) -> Void) {
        self.language = language
        self.showSecrets = showSecrets
        self.emit = emit
        self.dissectionRenderer = DissectionJSONRenderer(language: language)
    }

    // MARK: BrokerTraceSink

    func trace(packet record: BrokerPacketRecord) {
        emit(JSONWriter.render(packetValue(record)))
    }

    func trace(event: BrokerEvent, at time: BrokerWallClock) {
        emit(JSONWriter.render(eventValue(event, at: time)))
    }

    func trace(transport: BrokerTransportEvent, at time: BrokerWallClock) {
        emit(JSONWriter.render(transportValue(transport, at: time)))
    }

    // MARK: Packets

    func packetValue(_ record: BrokerPacketRecord) -> JSONWriter.Value {
        var dissection = PacketDecoder.dissect(record.bytes, version: record.version)
        if !showSecrets { dissection = BrokerTraceRenderer.maskingPasswords(dissection) }
        var members: [(String, JSONWriter.Value)] = [
            ("kind", .string("packet")),
            ("time", .string(Self.time(record.time))),
            ("connection", .uint(record.connection.rawValue)),
            ("client", record.clientID.map { .string($0) } ?? .null),
            ("direction", .string(record.direction == .incoming ? "in" : "out")),
        ]
        for (key, value) in dissectionRenderer.members(dissection) {
            switch key {
            // What the broker decided wins over a re-dissection of the bytes kept (for a packet refused
            // from its fixed header, only its first bytes are kept).
            case "error" where record.error != nil:
                members.append((key, dissectionRenderer.errorValue(record.error!)))
            case "type" where dissection.type == nil:
                let type = record.packet?.type ?? record.bytes.first.flatMap { PacketType(rawValue: $0 >> 4) }
                members.append((key, type.map { .string($0.description) } ?? .null))
            default:
                members.append((key, value))
            }
        }
        return .object(members)
    }

    // MARK: Events

    func eventValue(_ event: BrokerEvent, at time: BrokerWallClock) -> JSONWriter.Value {
        let name: String
        var connection: ConnectionID?
        var client: String?
        var data: [(String, JSONWriter.Value)] = []
        switch event {
        case .sessionStarted(let id, let clientID, let resumed, let persistent, let assignedID):
            name = "session_started"
            connection = id
            client = clientID
            data = [("resumed", .bool(resumed)), ("persistent", .bool(persistent)), ("assigned_id", .bool(assignedID))]
        case .connectionRefused(let id, let clientID, let reason, let version):
            name = "connection_refused"
            connection = id
            client = clientID
            data = reasonMembers(reason, in: .connack, version: version) + [("version", .string(version.description))]
        case .authenticationFailed(let id, let clientID, let username, let failure):
            name = "authentication_failed"
            connection = id
            client = clientID
            data = [("username", username.map { .string($0) } ?? .null), ("failure", .string(Self.failureName(failure)))]
        case .takenOver(let old, let new, let clientID):
            name = "taken_over"
            connection = new
            client = clientID
            data = [("old_connection", .uint(old.rawValue))]
        case .connectionEnded(let id, let clientID, let graceful, let reason):
            name = "connection_ended"
            connection = id
            client = clientID
            data = [("graceful", .bool(graceful))] + endReasonMembers(reason)
        case .sessionKept(let clientID, let expirySeconds):
            name = "session_kept"
            client = clientID
            data = [("expiry_seconds", expirySeconds.map { .uint(UInt64($0)) } ?? .null)]
        case .sessionEnded(let clientID, let expired):
            name = "session_ended"
            client = clientID
            data = [("expired", .bool(expired))]
        case .routed(let topic, let from, let delivered, let queued):
            name = "routed"
            client = from
            data = [
                ("topic", .string(topic)),
                ("delivered", .array(delivered.map { delivery in
                    .object([
                        ("client", .string(delivery.clientID)),
                        ("filter", .string(delivery.filter)),
                        ("qos", .uint(UInt64(delivery.qos.rawValue))),
                    ])
                })),
                ("queued", .array(queued.map { .string($0) })),
            ]
        case .queued(let clientID, let topic, let queueLength):
            name = "queued"
            client = clientID
            data = [("topic", .string(topic)), ("queue_length", .int(Int64(queueLength)))]
        case .dropped(let clientID, let topic, let reason):
            name = "dropped"
            client = clientID
            data = [("topic", .string(topic))] + dropReasonMembers(reason)
        case .retained(let topic, let cleared):
            name = "retained"
            data = [("topic", .string(topic)), ("cleared", .bool(cleared))]
        case .willPublished(let clientID, let topic):
            name = "will_published"
            client = clientID
            data = [("topic", .string(topic))]
        case .willScheduled(let clientID, let topic, let delaySeconds):
            name = "will_scheduled"
            client = clientID
            data = [("topic", .string(topic)), ("delay_seconds", .uint(UInt64(delaySeconds)))]
        case .subscriptionAnswered(let clientID, let filter, let requested, let result):
            name = "subscription_answered"
            client = clientID
            data = [("filter", .string(filter)), ("requested_qos", .uint(UInt64(requested.rawValue)))]
                + reasonMembers(result, in: .suback, version: .v5_0)
        case .violation(let id, let clientID, let error):
            name = "violation"
            connection = id
            client = clientID
            data = [("error", dissectionRenderer.errorValue(error))]
        case .accessDenied(let denial):
            name = "access_denied"
            client = denial.clientID
            data = Self.accessDenialMembers(denial)
        }
        return eventObject(name, time: time, connection: connection, client: client, data: data)
    }

    func transportValue(_ event: BrokerTransportEvent, at time: BrokerWallClock) -> JSONWriter.Value {
        let name: String
        var connection: ConnectionID?
        var client: String?
        var data: [(String, JSONWriter.Value)] = []
        switch event {
        case .accepted(let id, let remote):
            name = "accepted"
            connection = id
            data = [("remote", .string(remote))]
        case .refusedOverLimit(let remote, let limit):
            name = "refused_over_limit"
            data = [("remote", .string(remote)), ("limit", .int(Int64(limit)))]
        case .droppedForSlowConsumer(let id, let clientID, let topic):
            name = "dropped_for_slow_consumer"
            connection = id
            client = clientID
            data = [("topic", .string(topic))]
        case .notAConnect(let id, let firstByte):
            name = "not_a_connect"
            connection = id
            data = [("first_byte", .uint(UInt64(firstByte)))]
        case .closeTimedOut(let id, let clientID):
            name = "close_timed_out"
            connection = id
            client = clientID
        case .storeFailed(let message):
            name = "store_failed"
            data = [("message", .string(message))]
        case .tlsClientHello(let id, let hello):
            name = "tls_client_hello"
            connection = id
            data = [
                ("offered_versions", .array(hello.offeredVersions.map { .string(TLSNames.version($0)) })),
                ("sni", hello.serverName.map { .string($0) } ?? .null),
                ("alpn", .array(hello.applicationProtocols.map { .string($0) })),
                ("cipher_suites", .int(Int64(hello.cipherSuites.count))),
            ]
        case .tlsHandshakeCompleted(let id, let summary):
            name = "tls_handshake_completed"
            connection = id
            client = summary.identity
            data = [
                ("version", summary.version.map { .string(TLSNames.version($0)) } ?? .null),
                ("cipher", summary.cipherSuite.map { .string(TLSNames.cipherSuite($0)) } ?? .null),
                ("alpn", summary.applicationProtocol.map { .string($0) } ?? .null),
                ("server_certificate", .string(summary.serverSubject)),
                ("client_certificate", summary.clientSubject.map { .string($0) } ?? .null),
                ("identity", summary.identity.map { .string($0) } ?? .null),
            ]
        case .tlsHandshakeFailed(let id, let failure):
            name = "tls_handshake_failed"
            connection = id
            data = [
                ("reason", .string(Self.tlsFailureName(failure.reason))),
                ("explanation", .string(TLSTraceText(language: language).reason(failure.reason))),
                ("detail", .string(failure.detail)),
            ]
        }
        return eventObject(name, time: time, connection: connection, client: client, data: data)
    }

    private func eventObject(
        _ name: String, time: BrokerWallClock, connection: ConnectionID?, client: String?, data: [(String, JSONWriter.Value)]
    ) -> JSONWriter.Value {
        .object([
            ("kind", .string("event")),
            ("time", .string(Self.time(time))),
            ("event", .string(name)),
            ("connection", connection.map { .uint($0.rawValue) } ?? .null),
            ("client", client.map { .string($0) } ?? .null),
        ] + data)
    }

    private func reasonMembers(_ code: ReasonCode, in type: PacketType, version: ProtocolVersion) -> [(String, JSONWriter.Value)] {
        [("reason_code", .uint(UInt64(code.rawValue))), ("reason", .string(code.name(in: type, version: version).text(language)))]
    }

    private func endReasonMembers(_ reason: BrokerEvent.EndReason) -> [(String, JSONWriter.Value)] {
        switch reason {
        case .disconnectPacket(let code):
            [("reason", .string("disconnect_packet"))] + [
                ("reason_code", .uint(UInt64(code.rawValue))),
                ("reason_name", .string(code.name(in: .disconnect, version: .v5_0).text(language))),
            ]
        case .socketClosed: [("reason", .string("socket_closed"))]
        case .keepAliveExpired(let seconds): [("reason", .string("keep_alive_expired")), ("keep_alive_seconds", .double(seconds))]
        case .takenOver: [("reason", .string("taken_over"))]
        case .connectionRefused(let code):
            [("reason", .string("connection_refused")), ("reason_code", .uint(UInt64(code.rawValue)))]
        case .protocolViolation: [("reason", .string("protocol_violation"))]
        case .protocolError(let rule):
            [("reason", .string("protocol_error")), ("rule", .string(rule.text.text(language)))]
                + (rule.specID.map { [("spec_id", JSONWriter.Value.string($0))] } ?? [])
        case .serverShutdown: [("reason", .string("server_shutdown"))]
        }
    }

    /// `action` (publish, will, delivery, retained), `access` (read, write), the user, topic and why; a rule as
    /// `rule` = {file, line, text}.
    static func accessDenialMembers(_ denial: AccessDenial) -> [(String, JSONWriter.Value)] {
        let action = switch denial.action {
        case .publish: "publish"
        case .will: "will"
        case .delivery: "delivery"
        case .retained: "retained"
        }
        var members: [(String, JSONWriter.Value)] = [
            ("action", .string(action)), ("access", .string(denial.access == .read ? "read" : "write")),
            ("username", denial.username.map { .string($0) } ?? .null), ("topic", .string(denial.topic)),
        ]
        switch denial.reason {
        case .deniedByRule(let rule):
            members.append(("reason", .string("deny_rule")))
            members.append(("rule", .object([("file", .string(denial.source)), ("line", .int(Int64(rule.line))), ("text", .string(rule.text))])))
        case .noRuleGrants: members.append(("reason", .string("no_rule_grants")))
        case .wildcardInUsername: members.append(("reason", .string("wildcard_in_username")))
        case .wildcardInClientID: members.append(("reason", .string("wildcard_in_client_id")))
        }
        return members
    }

    static func tlsFailureName(_ reason: TLSHandshakeFailure.Reason) -> String {
        switch reason {
        case .plainMQTT: "plain_mqtt_on_tls_port"
        case .notTLS: "not_tls"
        case .versionTooOld: "version_too_old"
        case .noClientCertificate: "no_client_certificate"
        case .clientCertificateRejected: "client_certificate_rejected"
        case .serverCertificateRejected: "server_certificate_rejected"
        case .connectionClosed: "closed_during_handshake"
        case .timedOut: "handshake_timed_out"
        case .other: "other"
        }
    }

    static func failureName(_ failure: AuthenticationFailure) -> String {
        switch failure {
        case .anonymousNotAllowed: return "anonymous_not_allowed"
        case .noPasswordFile: return "no_password_file"
        case .unknownUser: return "unknown_user"
        case .wrongPassword: return "wrong_password"
        case .noPassword: return "no_password"
        case .noClientCertificate: return "no_client_certificate"
        }
    }

    private func dropReasonMembers(_ reason: BrokerEvent.DropReason) -> [(String, JSONWriter.Value)] {
        switch reason {
        case .queueFull(let limit): [("reason", .string("queue_full")), ("limit", .int(Int64(limit)))]
        case .queueBytesFull(let limit): [("reason", .string("queue_bytes_full")), ("limit", .int(Int64(limit)))]
        case .expired: [("reason", .string("expired"))]
        case .tooLargeForClient(let size, let maximum):
            [("reason", .string("too_large_for_client")), ("size", .int(Int64(size))), ("maximum", .int(Int64(maximum)))]
        case .overMessageSizeLimit(let size, let limit):
            [("reason", .string("over_message_size_limit")), ("size", .int(Int64(size))), ("limit", .int(Int64(limit)))]
        }
    }

    // MARK: Time

    /// "2026-11-25T12:01:41.248123Z": UTC, ISO 8601, microseconds.
    static func time(_ time: BrokerWallClock) -> String {
        var seconds = time_t(time.seconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-" + pad(Int(parts.tm_mday), 2)
            + "T" + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
            + "." + pad(time.nanoseconds / 1000, 6) + "Z"
    }
}
