// swift-tools-version:6.1
// mqttlab: a Swift kit for teaching MQTT in a classroom terminal.
import PackageDescription

/// Settings every target shares. Swift 6 language mode gives strict concurrency checking;
/// ExistentialAny (SE-0335) keeps `any` explicit so existential costs stay visible.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "mqttlab",
    products: [
        .executable(name: "mqttlab", targets: ["mqttlab"]),
        .library(name: "MQTTCodec", targets: ["MQTTCodec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        // Already required by swift-nio; the engine uses its Deque for per-session queues.
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.20.0"),
        // TLS for the client (`--cafile`, `--cert`, `--key`, `--insecure`); BoringSSL is built in.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        // Exercise definitions (Exercises/*.yaml): the composed Node tree keeps line:column for every error.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The single source of truth for what a byte means: packet model, encoder, streaming
        // decoder, strict validation, field-by-field dissection, topics. No dependencies at all.
        .target(name: "MQTTCodec", swiftSettings: strictSettings),
        // Reads pcap/pcapng captures and reassembles TCP streams. No dependencies.
        .target(name: "MQTTCapture", swiftSettings: strictSettings),
        // The course: the lesson format (parser, lint), matching of expected output, and the student's
        // state (SQLite through GRDB). No NIO, no ArgumentParser: the course is text and a small database.
        .target(
            name: "MQTTLabCourse",
            // CMQTTLabCrypto: SHA-256 for the checksum of results exports (Docs/GRADES.md).
            dependencies: ["MQTTCodec", "CMQTTLabCrypto", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        // The lessons of Lessons/ embedded in the binary as a generated Swift source, so `mqttlab` works
        // from any directory and when the binary is copied (Docs/ARCHITECTURE.md, "Bundling the course").
        .target(
            name: "MQTTLabCourseBundle",
            swiftSettings: strictSettings,
            plugins: ["EmbedLessons"]
        ),
        // Kept under Sources/ (not SwiftPM's default Plugins/) so the repository's top level stays the
        // documented one: Package.swift, Sources, Tests, Lessons, Exercises, Docs.
        .plugin(name: "EmbedLessons", capability: .buildTool(), path: "Sources/EmbedLessons"),
        // The broker as a deterministic state machine: packets and ticks in, actions and events out.
        // No networking, so every protocol rule is testable packet by packet.
        .target(
            name: "MQTTBrokerCore",
            dependencies: ["MQTTCodec", .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: strictSettings
        ),
        // The auto-checked exercises: definitions (YAML), lint, the check engine (answer, live, program,
        // config, ctf) against an in-process broker, and the attempts recorded in the student database.
        .target(
            name: "MQTTLabExercises",
            dependencies: [
                "MQTTCodec", "MQTTLabCourse", "MQTTBrokerCore", "MQTTBroker", "MQTTClient",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // The broker on the network: SwiftNIO listeners on one event loop, framing in the handler,
        // one flush per read burst, the engine driven from that loop.
        .target(
            name: "MQTTBroker",
            dependencies: [
                "MQTTCodec",
                "MQTTBrokerCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                // TLS listeners (`--tls-port`, Mosquitto's certfile/keyfile/cafile).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // Durable broker state in SQLite (GRDB over the system libsqlite3, WAL): the only GRDB user
        // on the broker side. Writes happen on GRDB's own queue, never on the event loop.
        .target(
            name: "MQTTBrokerStore",
            dependencies: [
                "MQTTBrokerCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for the pending-message statements bound without GRDB's arguments
                // (see PendingRowStatements: they are the store's hot path).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        // The MQTT client on SwiftNIO with an async/await API: 3.1.1 and 5.0, QoS 0/1/2 both ways,
        // sessions, will, keep alive, TLS. Reports every packet for the client-side trace.
        .target(
            name: "MQTTClient",
            dependencies: [
                "MQTTCodec",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        // The system OpenSSL's libcrypto (libssl-dev): PBKDF2 password hashes like mosquitto_passwd's and
        // the teaching CA's keys and certificates. TLS itself stays swift-nio-ssl's.
        .systemLibrary(name: "CMQTTLabCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // The security lab's tools on top of libcrypto: password files and certificates.
        .target(name: "MQTTLabSecurity", dependencies: ["CMQTTLabCrypto"], swiftSettings: strictSettings),
        // The simulated public broker (`mqttlab broker --public-sim`): strangers as real MQTT clients,
        // deterministic by seed; `PublicSimSecret` gives the exercises the flag of a seed.
        .target(name: "MQTTLabPublicSim", dependencies: ["MQTTClient", "MQTTCodec"], swiftSettings: strictSettings),
        // The commands as a testable library: argument parsing, wiring and rendering.
        .target(
            name: "MQTTLabCLI",
            dependencies: [
                "MQTTCodec",
                "MQTTCapture",
                "MQTTLabCourse",
                "MQTTLabCourseBundle",
                "MQTTBrokerCore",
                "MQTTBroker",
                "MQTTBrokerStore",
                "MQTTClient",
                "MQTTLabSecurity",
                "MQTTLabPublicSim",
                "MQTTLabExercises",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // A one-file @main that forwards to MQTTLabCLI.
        .executableTarget(name: "mqttlab", dependencies: ["MQTTLabCLI"], swiftSettings: strictSettings),
        .testTarget(name: "MQTTCodecTests", dependencies: ["MQTTCodec"], swiftSettings: strictSettings),
        .testTarget(
            name: "MQTTLabCourseTests",
            dependencies: ["MQTTLabCourse", "MQTTLabCourseBundle", "MQTTCodec", "MQTTLabExercises"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "MQTTBrokerCoreTests", dependencies: ["MQTTBrokerCore", "MQTTCodec"], swiftSettings: strictSettings),
        .testTarget(name: "MQTTBrokerTests", dependencies: ["MQTTBroker", "MQTTBrokerCore", "MQTTCodec"], swiftSettings: strictSettings),
        .testTarget(name: "MQTTBrokerStoreTests", dependencies: ["MQTTBrokerStore", "MQTTBrokerCore", "MQTTCodec"], swiftSettings: strictSettings),
        .testTarget(name: "MQTTCaptureTests", dependencies: ["MQTTCapture"], swiftSettings: strictSettings),
        .testTarget(name: "MQTTLabSecurityTests", dependencies: ["MQTTLabSecurity", "CMQTTLabCrypto"], swiftSettings: strictSettings),
        .testTarget(
            name: "MQTTClientTests",
            dependencies: [
                "MQTTClient", "MQTTCodec", "MQTTBroker", "MQTTBrokerCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MQTTLabCLITests",
            dependencies: ["MQTTLabCLI", "MQTTCodec", "MQTTCapture", "MQTTClient", "MQTTLabCourse", "MQTTLabSecurity",
                           "MQTTLabPublicSim", "MQTTBroker", "MQTTLabExercises"],
            swiftSettings: strictSettings
        ),
    ]
)
