import MQTTBroker
import MQTTCodec

/// How one check ended.
public struct CheckResult: Sendable {
    public enum Outcome: String, Sendable {
        case passed, failed
        /// The check could not run (a port, a missing program): not the student's fault, no points lost.
        case error
    }
    public var outcome: Outcome
    /// Points earned: the exercise's points when it passed, else 0.
    public var score: Double
    /// Why it passed or what was missing, in the student's language.
    public var explanation: String
    /// What the checker saw (packets, probes, the program's output), plain text.
    public var observed: String

    public init(outcome: Outcome, score: Double, explanation: String, observed: String = "") {
        self.outcome = outcome
        self.score = score
        self.explanation = explanation
        self.observed = observed
    }
}

/// What a check needs from whoever runs it.
public struct ExerciseRunOptions: Sendable {
    public var language: Language
    /// The address the checker's broker listens on.
    public var host: String
    /// Tried first (1883, where every client looks by default); when taken, the OS picks a free port and
    /// the checker says so prominently. 0: always a free port (tests).
    public var port: Int
    /// Overrides the exercise's own time limit (tests use short ones).
    public var timeout: Double?
    /// `answer` and `ctf` kinds.
    public var answer: String?
    /// `program` kind: the command and its arguments (`{host}` and `{port}` are replaced).
    public var program: [String]
    /// `config` kind: the student's file.
    public var studentFile: String?

    public init(language: Language, host: String = "127.0.0.1", port: Int = 1883, timeout: Double? = nil, answer: String? = nil,
                program: [String] = [], studentFile: String? = nil) {
        self.language = language
        self.host = host
        self.port = port
        self.timeout = timeout
        self.answer = answer
        self.program = program
        self.studentFile = studentFile
    }
}

/// Things the engine cannot do alone, handed in by the command line (so the engine stays free of it).
public struct ExerciseServices: Sendable {
    /// The secret the simulated public broker hides for a seed (`ctf`). Nil: not built in.
    public var ctfSecret: (@Sendable (UInt64) -> String?)?
    /// Reads a broker configuration file (Mosquitto syntax) into the broker's settings, or throws an error
    /// whose description names the file and line (`config`).
    public var brokerConfiguration: (@Sendable (_ path: String, _ language: Language) throws -> BrokerServerConfiguration)?
    /// A fresh trace sink that shows the student's packets as they arrive (`live`, `program`); nil: silent.
    public var makeTrace: (@Sendable () -> (any BrokerTraceSink)?)?
    /// Progress for the student while a check runs.
    public var report: @Sendable (ExerciseProgress) -> Void

    public init(ctfSecret: (@Sendable (UInt64) -> String?)? = nil,
                brokerConfiguration: (@Sendable (String, Language) throws -> BrokerServerConfiguration)? = nil,
                makeTrace: (@Sendable () -> (any BrokerTraceSink)?)? = nil,
                report: @escaping @Sendable (ExerciseProgress) -> Void = { _ in }) {
        self.ctfSecret = ctfSecret
        self.brokerConfiguration = brokerConfiguration
        self.makeTrace = makeTrace
        self.report = report
    }
}

/// What the engine tells the student while a check runs.
public enum ExerciseProgress: Sendable {
    /// The checker's broker listens here; `fellBack` is true when the preferred port was taken.
    case brokerListening(host: String, port: Int, preferred: Int, fellBack: Bool)
    /// A line of status ("waiting for …").
    case status(String)
}
