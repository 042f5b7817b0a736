import MQTTCodec

/// One auto-checked exercise, as its data file in `Exercises/` defines it (Docs/EXERCISES.md).
public struct Exercise: Sendable {
    /// Stable id ("retained-light"): attempts are recorded under it, so it never changes once students use it.
    public var id: String
    /// The `NN-slug` folder of the lesson it belongs to.
    public var lessonID: String
    public var points: Double
    public var title: LocalizedText
    public var statement: LocalizedText
    /// Revealed one at a time by `mqttlab exercise hint ID`.
    public var hints: [LocalizedText]
    public var check: ExerciseCheck
    /// Where it was read from ("Exercises/07-retained-light.yaml"), for messages.
    public var path: String

    public var kind: ExerciseKind { check.kind }

    public init(id: String, lessonID: String, points: Double, title: LocalizedText, statement: LocalizedText,
                hints: [LocalizedText], check: ExerciseCheck, path: String) {
        self.id = id
        self.lessonID = lessonID
        self.points = points
        self.title = title
        self.statement = statement
        self.hints = hints
        self.check = check
        self.path = path
    }
}

/// How an exercise is checked.
public enum ExerciseKind: String, Sendable, CaseIterable {
    /// The student types an answer; real code (the broker's matcher, the codec's dissection) checks it.
    case answer
    /// The checker runs a broker; the student's own client must produce the expected traffic.
    case live
    /// The checker runs the student's program against a broker while it plays a scenario.
    case program
    /// The student writes a broker configuration or password file; the checker runs a broker with it and probes it.
    case config
    /// Capture the flag: find a secret on the simulated public broker and submit it.
    case ctf
}

/// The check of an exercise, per kind.
public enum ExerciseCheck: Sendable {
    case answer(AnswerCheck)
    case live(LiveCheck)
    case program(ProgramCheck)
    case config(ConfigCheck)
    case ctf(CTFCheck)

    public var kind: ExerciseKind {
        switch self {
        case .answer: .answer
        case .live: .live
        case .program: .program
        case .config: .config
        case .ctf: .ctf
        }
    }
}

/// `kind: answer`.
public enum AnswerCheck: Sendable {
    /// The answer is a topic filter: valid, matching every `mustMatch` topic and none of `mustNotMatch`.
    case topicFilter(mustMatch: [String], mustNotMatch: [String])
    /// The answer is the value of one field (by its Wireshark key, e.g. `mqtt.kalive`) of the given packet bytes,
    /// as the codec's dissection reads it.
    case field(bytes: [UInt8], version: ProtocolVersion, fieldKey: String)
    /// The answer is one of these texts (compared ignoring case and surrounding spaces).
    case text(accepted: [String])
}

/// `kind: live`: every expectation must be met by the traffic within `timeout` seconds.
public struct LiveCheck: Sendable {
    public var timeout: Double
    public var expect: [Expectation]
    public var forbid: [Expectation]
}

/// `kind: program`: the student's program runs while the scenario plays, at most `timeout` seconds.
public struct ProgramCheck: Sendable {
    public var timeout: Double
    /// Seconds the program has to connect and subscribe before the scenario starts (the first `wait_for` usually covers it).
    public var scenario: [ScenarioStep]
}

/// `kind: config`.
public struct ConfigCheck: Sendable {
    public enum StudentFile: String, Sendable {
        /// The student's file is the broker's configuration (Mosquitto syntax).
        case config
        /// The student's file is a password file; the checker's `brokerConfig` refers to it.
        case passwordFile = "password_file"
        /// The student's file is an ACL file (Mosquitto's syntax); the checker's `brokerConfig` refers to it.
        case aclFile = "acl_file"
    }
    public var studentFile: StudentFile
    /// For `password_file` and `acl_file`: extra configuration lines the checker's broker uses with the student's file.
    public var brokerConfig: String
    public var probes: [Probe]
}

/// `kind: ctf`: the secret of the simulated public broker started with this seed.
public struct CTFCheck: Sendable {
    public var seed: UInt64
}
