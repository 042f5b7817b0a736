import MQTTCodec

/// Which part of Mosquitto an unsupported key belongs to, so the error can say what is missing.
public enum BrokerConfigUnsupportedArea: Sendable, Equatable {
    /// Passwords, ACLs, TLS, PSK and authentication plugins.
    case security
    /// Bridges to other brokers.
    case bridges
    /// WebSockets listeners.
    case websockets
    /// Everything else Mosquitto has (persistence tuning, process control, includes, per-listener options…).
    case other

    var description: LocalizedText {
        switch self {
        case .security:
            LocalizedText(en: "security: passwords, ACLs, TLS and auth plugins", es: "seguridad: contraseñas, ACL, TLS y plugins de autenticación")
        case .bridges:
            LocalizedText(en: "bridges to other brokers", es: "puentes a otros brókeres")
        case .websockets:
            LocalizedText(en: "WebSockets listeners", es: "listeners WebSockets")
        case .other:
            LocalizedText(en: "a Mosquitto setting mqttlab does not implement", es: "un ajuste de Mosquitto que mqttlab no implementa")
        }
    }
}

/// Mosquitto 2.0 keys that mqttlab knows by name but does not implement yet. A file that uses one gets a
/// "not supported by mqttlab yet" error at its line, never a silent skip and never "unknown key".
///
/// When an area gets implemented, move its keys from here to `BrokerConfigKeys.supported`.
enum BrokerConfigUnsupportedKeys {
    /// Security keys: the issue that adds authentication, ACLs and TLS moves these to the supported table.
    static let securityKeysNotYetSupported: [String] = [
        "per_listener_settings",
        "crlfile", "ciphers", "ciphers_tls1.3", "dhparamfile",
        "use_subject_as_username", "use_username_as_clientid",
        "tls_engine", "tls_engine_kpass_sha1", "tls_keyform",
        "psk_file", "psk_hint",
        "auth_plugin", "auth_plugin_deny_special_chars", "plugin",
    ]

    /// Security key families: `auth_opt_<name>` and `plugin_opt_<name>` pass options to auth plugins.
    static let securityPrefixesNotYetSupported: [String] = ["auth_opt_", "plugin_opt_"]

    /// Bridge keys (a `connection` line starts a bridge; the rest configure it).
    static let bridgeKeys: [String] = [
        "connection", "address", "addresses", "topic", "cleansession", "local_cleansession",
        "local_clientid", "local_username", "local_password", "remote_clientid", "remote_username", "remote_password",
        "clientid", "username", "password", "keepalive_interval", "idle_timeout", "threshold", "start_type",
        "restart_timeout", "round_robin", "try_private", "notifications", "notifications_local_only",
        "notification_topic",
    ]

    /// Bridge key family: `bridge_cafile`, `bridge_protocol_version`, `bridge_psk`, …
    static let bridgePrefixes: [String] = ["bridge_"]

    /// WebSockets keys. (`protocol websockets` is refused by the `protocol` key itself.)
    static let websocketsKeys: [String] = ["websockets_log_level", "websockets_headers_size", "http_dir"]

    /// The rest of Mosquitto 2.0's keys.
    static let otherKeys: [String] = [
        "include_dir", "user", "pid_file", "persistence_file", "autosave_interval", "autosave_on_changes",
        "socket_domain", "bind_interface", "mount_point", "max_qos", "max_inflight_bytes", "memory_limit",
        "upgrade_outgoing_qos", "check_retain_source", "auto_id_prefix", "clientid_prefixes",
        "allow_duplicate_messages", "set_tcp_nodelay",
    ]

    /// The area an unsupported Mosquitto key belongs to, or nil when Mosquitto has no such key.
    static func area(of key: String) -> BrokerConfigUnsupportedArea? {
        if securityKeysNotYetSupported.contains(key) || securityPrefixesNotYetSupported.contains(where: key.hasPrefix) {
            return .security
        }
        if bridgeKeys.contains(key) || bridgePrefixes.contains(where: key.hasPrefix) { return .bridges }
        if websocketsKeys.contains(key) { return .websockets }
        if otherKeys.contains(key) { return .other }
        return nil
    }

    /// Every unsupported key spelled out (prefix families excluded), for "did you mean …?".
    static var allKeys: [String] {
        securityKeysNotYetSupported + bridgeKeys + websocketsKeys + otherKeys
    }
}
