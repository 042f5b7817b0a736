import ArgumentParser
import Foundation
import MQTTCodec
import MQTTLabCourse

/// `mqttlab student`: who you are, for the teacher's grade book.
struct StudentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "student",
        abstract: "Say who you are (name, id on your teacher's list) so your teacher can grade your exports.",
        discussion: """
            mqttlab student                               show what is saved
            mqttlab student --name "Ana López" --id A123  save your name and id
            mqttlab student --id A124                     change only the id

            Your name and id go into every export (mqttlab progress --export).
            A random uuid is made the first time and never changes: two
            students with the same name stay apart, and fixing your name keeps
            your results. Kept in the student database
            (Docs/STUDENT-DATABASE.md).
            """
    )

    @Option(name: .long, help: ArgumentHelp("Your name, as your teacher knows it.", valueName: "name"))
    var name: String?

    @Option(name: .long, help: ArgumentHelp("Your id on your teacher's list (student number, SIS id…); optional.", valueName: "id"))
    var id: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(GradesWords.emptyName.text(output.language))
        }
    }

    func run() throws {
        let language = output.language
        if name == nil && id == nil {
            let path = StudentHome.databasePath(in: StudentHome.folder(environment: output.environment))
            // Only looking: never create the database for someone who has none yet.
            let identity = FileManager.default.fileExists(atPath: path) ? try StudentIdentityStore(database: openDatabase()).read() : nil
            guard let identity, identity.isComplete else {
                print(GradesWords.noIdentity.text(language))
                return
            }
            print(Self.describe(identity, language: language))
            return
        }
        let identity = try StudentIdentityStore(database: openDatabase()).update(
            name: name?.trimmingCharacters(in: .whitespaces), schoolID: id?.trimmingCharacters(in: .whitespaces))
        print(GradesWords.saved.text(language))
        print(Self.describe(identity, language: language))
    }

    private func openDatabase() throws -> StudentDatabase {
        do {
            return try StudentDatabase.open(environment: output.environment)
        } catch {
            throw InputError(message: "\(error)")
        }
    }

    static func describe(_ identity: StudentIdentity, language: Language) -> String {
        let rows = [
            (GradesWords.name.text(language), identity.name),
            (GradesWords.schoolID.text(language), identity.schoolID.isEmpty ? GradesWords.none.text(language) : identity.schoolID),
            (GradesWords.uuid.text(language), identity.uuid),
            (GradesWords.since.text(language), String(identity.createdAt.prefix(16)) + " UTC"),
        ]
        let width = rows.map { $0.0.count }.max() ?? 0
        return rows.map { "  " + $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 }.joined(separator: "\n")
    }
}
