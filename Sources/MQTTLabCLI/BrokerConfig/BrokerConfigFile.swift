import MQTTBrokerCore
import MQTTCodec

/// A broker configuration file in Mosquitto's syntax, read into mqttlab's settings: what
/// `mqttlab broker -c FILE` runs with.
///
/// Every field starts at Mosquitto 2.x's default, so an empty file gives the same broker as no file.
/// `BrokerConfigKeys.supported` lists each key and the field it sets.
///
/// Scope: Mosquitto applies `max_connections`, `max_topic_alias` and `protocol` to the listener declared
/// above them (or to the default listener); mqttlab has one set of limits for the whole broker, so the
/// last value wins everywhere, and a note says so when the file has several listeners or sets such a key
/// before its first `listener`. `allow_anonymous` is global in both (Mosquitto's `per_listener_settings`
/// is not supported yet).
public struct BrokerConfigFile: Sendable, Equatable {
    /// One TCP listener.
    public struct Listener: Sendable, Equatable {
        public var port: Int
        /// The address to bind; nil = every address of the machine.
        public var address: String?
        /// The line that declared it (`listener`, or the deprecated `port` / `bind_address`).
        public var line: Int
        /// The TLS keys written under it (nil: a plain listener).
        public var tls: TLSKeys?

        public init(port: Int, address: String?, line: Int, tls: TLSKeys? = nil) {
            self.port = port
            self.address = address
            self.line = line
            self.tls = tls
        }
    }

    /// Mosquitto's per-listener TLS keys, as written; each applies to the `listener` above it (or, before
    /// the first `listener`, to the default listener of `port`, as in Mosquitto).
    public struct TLSKeys: Sendable, Equatable {
        public var cafile: String?
        public var capath: String?
        public var certfile: String?
        public var keyfile: String?
        public var requireCertificate = false
        public var useIdentityAsUsername = false
        /// `tlsv1.2` or `tlsv1.3`: the lowest version accepted.
        public var tlsVersion: String?

        public init() {}
    }

    /// The file the settings came from, as named by the caller.
    public var path: String
    /// `listener` lines in file order, preceded by the default listener when the deprecated `port` or
    /// `bind_address` was used. Empty means Mosquitto's "local only" mode: port 1883 on 127.0.0.1 and ::1.
    public var listeners: [Listener] = []
    /// The engine's limits and switches.
    public var configuration = BrokerConfiguration()
    /// `allow_anonymous` as written; nil when the file does not say (see `anonymousAllowed`).
    public var allowAnonymous: Bool?
    /// `password_file` as written (relative paths are relative to the working directory, as in
    /// Mosquitto), and its line for error messages.
    public var passwordFile: String?
    public var passwordFileLine: Int?
    /// `acl_file` as written (relative to the working directory, as in Mosquitto), and its line.
    public var aclFile: String?
    public var aclFileLine: Int?
    /// Whether sessions and retained messages are saved to disk (Mosquitto's default: false).
    public var persistence = false
    /// Folder for the persistence file; nil = the working directory.
    public var persistenceLocation: String?
    /// Seconds after which a disconnected persistent client is forgotten; nil = never (Mosquitto's default).
    public var persistentClientExpiration: Int?
    /// Seconds between `$SYS` updates; 0 = no `$SYS` topics. Mosquitto's default is 10.
    public var sysInterval = 10
    /// Open connections allowed at once; nil = no limit (absent, `-1` or `0`, as in Mosquitto).
    public var maxConnections: Int?
    /// Largest PUBLISH payload accepted, in bytes; 0 = no limit (Mosquitto's deprecated `message_size_limit`).
    public var messageSizeLimit = 0
    /// Things the broker should print once at start: keys accepted without effect, deprecated forms,
    /// repeated keys, Mosquitto quirks. Each starts with `path:line: `.
    public var notes: [LocalizedText] = []

    public init(path: String) {
        self.path = path
    }

    /// True when the file declares no listener: Mosquitto 2.x then listens on loopback only.
    public var localOnly: Bool { listeners.isEmpty }

    /// Whether clients without a username may connect: as written, else Mosquitto 2.x's default
    /// (true in local only mode, false as soon as a listener is configured).
    public var anonymousAllowed: Bool { allowAnonymous ?? localOnly }

    /// Parses a configuration's text. `path` only names the file in messages.
    public static func parse(text: String, path: String) -> Result<BrokerConfigFile, BrokerConfigErrors> {
        BrokerConfigParser(path: path).parse(text)
    }
}
