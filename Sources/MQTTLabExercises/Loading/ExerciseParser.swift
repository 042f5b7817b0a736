import Foundation
import MQTTCodec
import Yams

/// Turns one exercise file into an `Exercise`, or into located errors (Docs/EXERCISES.md is the schema).
///
/// Checks everything one file can check: keys, both languages, two hints or more, topic filters (through
/// the codec's own syntax rules), the vocabulary, named checkers. Cross-file rules (duplicate ids, unknown
/// lessons) are `ExerciseCatalog.lint`'s.
public enum ExerciseParser {
    static let topKeys = ["id", "lesson", "kind", "points", "title", "statement", "hints", "answer", "expect", "forbid",
                          "timeout", "scenario", "student_file", "broker_config", "probes", "seed"]
    static let keysByKind: [ExerciseKind: Set<String>] = [
        .answer: ["answer"], .live: ["expect", "forbid", "timeout"], .program: ["scenario", "timeout"],
        .config: ["student_file", "broker_config", "probes"], .ctf: ["seed"],
    ]

    /// Parses `text` (the file at `path`, as messages name it).
    public static func parse(text: String, path: String) -> Result<Exercise, ExerciseErrors> {
        let fields = YAMLFields(path: path)
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                return .failure(ExerciseErrors([ExerciseDiagnostic(path: path, line: 1, message: "the file is empty")]))
            }
            root = composed
        } catch let error as YamlError {
            return .failure(ExerciseErrors([yamlDiagnostic(error, path: path)]))
        } catch {
            return .failure(ExerciseErrors([ExerciseDiagnostic(path: path, line: 1, message: "not YAML: \(error)")]))
        }
        let exercise = read(root, fields: fields, path: path)
        if let exercise, fields.diagnostics.isEmpty { return .success(exercise) }
        return .failure(ExerciseErrors(fields.diagnostics))
    }

    static func yamlDiagnostic(_ error: YamlError, path: String) -> ExerciseDiagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return ExerciseDiagnostic(path: path, line: mark.line, column: mark.column, message: "not valid YAML: \(problem)")
        default:
            return ExerciseDiagnostic(path: path, line: 1, message: "not valid YAML: \(error)")
        }
    }

    private static func read(_ root: Node, fields: YAMLFields, path: String) -> Exercise? {
        guard let top = fields.mapping(root, "the exercise", allowed: topKeys,
                                       required: ["id", "lesson", "kind", "points", "title", "statement", "hints"]) else { return nil }
        let id = fields.string(top["id"], "id")
        if let id, !isValidID(id) {
            fields.error(top["id"], "id '\(id)' must be lowercase words, digits and dashes (like 'retained-light')")
        }
        let lesson = fields.string(top["lesson"], "lesson")
        if let lesson, LessonIDShape.parse(lesson) == nil {
            fields.error(top["lesson"], "lesson '\(lesson)' must be a lesson folder name, NN-slug (like '07-retained-and-will')")
        }
        let kindText = fields.string(top["kind"], "kind")
        var kind: ExerciseKind?
        if let kindText {
            kind = ExerciseKind(rawValue: kindText)
            if kind == nil {
                fields.error(top["kind"], "unknown kind '\(kindText)'" + Suggestion.hint(for: kindText, among: ExerciseKind.allCases.map(\.rawValue)))
            }
        }
        let points = fields.double(top["points"], "points", range: 0...1000)
        let title = localized(top["title"], "title", fields: fields)
        let statement = localized(top["statement"], "statement", fields: fields)
        let hintNodes = fields.list(top["hints"], "hints")
        let hints = hintNodes.enumerated().compactMap { index, node in localized(node, "hint \(index + 1)", fields: fields) }
        if top["hints"] != nil && hintNodes.count < 2 {
            fields.error(top["hints"], "hints: give at least 2 (revealed one at a time), found \(hintNodes.count)")
        }
        if let kind {
            let foreign = Set(keysByKind.values.joined()).subtracting(keysByKind[kind] ?? [])
            for key in foreign.sorted() where top[key] != nil {
                fields.error(top.keyNodes[key], "'\(key)' does not belong to a \(kind.rawValue) exercise (it is for kind \(keysByKind.first { $0.value.contains(key) }?.key.rawValue ?? "?"))")
            }
        }
        let check: ExerciseCheck? = switch kind {
        case .answer: AnswerParser.read(top, fields: fields).map(ExerciseCheck.answer)
        case .live: VocabularyParser.live(top, fields: fields).map(ExerciseCheck.live)
        case .program: VocabularyParser.program(top, fields: fields).map(ExerciseCheck.program)
        case .config: ProbeParser.read(top, fields: fields).map(ExerciseCheck.config)
        case .ctf: ctf(top, fields: fields)
        case nil: nil
        }
        guard let id, let lesson, let points, let title, let statement, let check else { return nil }
        return Exercise(id: id, lessonID: lesson, points: points, title: title, statement: statement, hints: hints,
                        check: check, path: path)
    }

    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.first != "-" && id.last != "-"
            && id.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    /// `{es: …, en: …}`: both languages are required.
    static func localized(_ node: Node?, _ what: String, fields: YAMLFields) -> LocalizedText? {
        guard let node else { return nil }
        guard let map = fields.mapping(node, what, allowed: ["es", "en"]) else { return nil }
        var texts: [String: String] = [:]
        for language in ["es", "en"] {
            guard let value = map[language] else {
                fields.error(node, "\(what): missing the \(language == "es" ? "Spanish (es)" : "English (en)") text")
                continue
            }
            guard let text = fields.string(value, "\(what).\(language)") else { continue }
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                fields.error(value, "\(what).\(language) is empty")
                continue
            }
            texts[language] = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let es = texts["es"], let en = texts["en"] else { return nil }
        return LocalizedText(en: en, es: es)
    }

    private static func ctf(_ top: YAMLFields.Mapping, fields: YAMLFields) -> ExerciseCheck? {
        guard let node = top["seed"] else {
            fields.error(top.node, "a ctf exercise needs 'seed': the seed of the simulated public broker that hides the secret")
            return nil
        }
        guard let text = fields.string(node, "seed") else { return nil }
        guard let seed = UInt64(text) else {
            fields.error(node, "seed must be a whole number from 0, not '\(text)'")
            return nil
        }
        return .ctf(CTFCheck(seed: seed))
    }
}

/// The shape of a lesson folder name, without MQTTLabCourse's full `LessonID` (kept here so the parser
/// reports the same rule in its own words).
enum LessonIDShape {
    static func parse(_ text: String) -> (number: Int, slug: String)? {
        let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
        guard (2...3).contains(digits.count), let number = Int(digits) else { return nil }
        let rest = text.dropFirst(digits.count)
        guard rest.first == "-", rest.count > 1 else { return nil }
        let slug = String(rest.dropFirst())
        guard slug.split(separator: "-", omittingEmptySubsequences: false).allSatisfy({ part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
        }) else { return nil }
        return (number, slug)
    }
}
