import ArgumentParser
import Foundation
import MQTTBroker
import MQTTCodec
import MQTTLabCourse
import MQTTLabExercises

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one check for `exercise check` / `exercise try`: shows the task, the broker's address and the
/// student's packets, records the attempt (check only), and prints the verdict.
enum ExerciseSession {
    static func recorder(course: Course, environment: [String: String]) throws -> ExerciseRecorder {
        // Several mqttlab processes may create the database at the same moment (a class starting together):
        // switching a new file to WAL takes a lock the busy timeout does not cover, so opening is retried briefly.
        var attempt = 0
        while true {
            do {
                return ExerciseRecorder(database: try StudentDatabase.open(environment: environment), course: course.source.key)
            } catch StudentDatabaseError.cannotOpen where attempt < 10 {
                attempt += 1
                usleep(50_000)
            } catch {
                throw InputError(message: "\(error)")
            }
        }
    }

    /// Nil when the database does not exist yet: `list` only reads and creates no file.
    static func existingRecorder(course: Course, environment: [String: String]) throws -> ExerciseRecorder? {
        let path = StudentHome.databasePath(in: StudentHome.folder(environment: environment))
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try recorder(course: course, environment: environment)
    }

    static func run(_ arguments: ExerciseCheckArguments, record: Bool) throws {
        let (course, catalog) = try arguments.source.load()
        let exercise = try ExerciseSourceOptions.find(arguments.id, in: catalog)
        let language = arguments.output.language
        let terminal = arguments.output.terminal
        let style = Style(enabled: terminal.colors)
        // Written straight to the descriptor, like the broker's lines that follow, so the order holds in a pipe.
        BrokerTraceOutput.writeToStandardOutput(ExerciseWords.card(exercise, language: language, style: style, withHints: false) + "\n\n")

        var answer = arguments.answer
        if answer == nil, exercise.kind == .answer || exercise.kind == .ctf {
            // The interactive prompt: one line from the terminal (or from a pipe).
            BrokerTraceOutput.writeToStandardOutput(style.bold(language == .es ? "Tu respuesta: " : "Your answer: "))
            answer = readLine()
        }
        let options = ExerciseRunOptions(language: language, port: arguments.port, timeout: arguments.timeout, answer: answer,
                                         program: arguments.program, studentFile: arguments.file)

        var recorder: ExerciseRecorder?
        var attempt: Int64?
        if record {
            do {
                let opened = try Self.recorder(course: course, environment: arguments.output.environment)
                attempt = try opened.begin(exercise, answer: exercise.kind == .answer || exercise.kind == .ctf ? answer : nil)
                recorder = opened
            } catch {
                FileHandle.standardError.write(Data(((language == .es ? "aviso: este intento no se guardará: " : "warning: this attempt will not be saved: ") + "\(error)\n").utf8))
            }
        }

        let lines = BrokerTraceOutput.standardOutput(language: language)
        let width = terminal.width
        let services = ExerciseServices(
            ctfSecret: PublicSimSeam.secret,
            brokerConfiguration: ExerciseBrokerConfiguration.load,
            makeTrace: { BrokerTraceRenderer(mode: .summary, language: language, style: style, width: width, showSecrets: false, emit: { lines.enqueue($0) }) },
            report: { progress in
                switch progress {
                case .brokerListening(let host, let port, let preferred, let fellBack):
                    var text = style.bold(ExerciseWords.brokerBanner(host: host, port: port, language: language)) + "\n"
                    if fellBack {
                        text += style.faint(language == .es ? "  (el puerto \(preferred) está ocupado: usa -p \(port) en tu cliente)"
                                                            : "  (port \(preferred) is taken: use -p \(port) in your client)") + "\n"
                    }
                    BrokerTraceOutput.writeToStandardOutput(text)
                case .status(let text):
                    BrokerTraceOutput.writeToStandardOutput(style.faint(text) + "\n")
                }
            })
        lines.start()
        let result = BlockingTask.run { await ExerciseEngine.check(exercise, options: options, services: services) }
        lines.finish()

        if let recorder, let attempt {
            do {
                try recorder.finish(attempt, exerciseID: exercise.id, result: result)
            } catch {
                FileHandle.standardError.write(Data(((language == .es ? "aviso: no se pudo guardar el resultado: " : "warning: the result could not be saved: ") + "\(error)\n").utf8))
            }
        }
        print(ExerciseWords.verdict(result, exercise: exercise, recorded: recorder != nil, language: language, style: style))
        switch result.outcome {
        case .passed: return
        case .failed: throw ExitCode(1)
        case .error: throw ExitCode(69)
        }
    }
}
