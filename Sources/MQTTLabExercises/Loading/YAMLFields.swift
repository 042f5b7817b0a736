import Yams

/// Reads Yams' composed node tree while collecting located errors, so a teacher's typo is reported at its
/// line and column rather than as a decoding failure somewhere in the file.
///
/// Scalars are read as the text written (`ON` stays "ON", `1.10` stays "1.10"): YAML's implicit booleans
/// and numbers never change a payload or a topic behind the author's back.
final class YAMLFields {
    let path: String
    private(set) var diagnostics: [ExerciseDiagnostic] = []

    init(path: String) {
        self.path = path
    }

    func error(_ node: Node?, _ message: String) {
        diagnostics.append(ExerciseDiagnostic(path: path, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 1, message: message))
    }

    func error(line: Int, _ message: String) {
        diagnostics.append(ExerciseDiagnostic(path: path, line: line, column: 1, message: message))
    }

    /// The keys of a mapping, checked against `allowed` (unknown keys are errors with a suggestion;
    /// `required` keys must be present). Nil when the node is not a mapping.
    func mapping(_ node: Node, _ what: String, allowed: [String], required: [String] = []) -> Mapping? {
        guard case .mapping(let raw) = node else {
            error(node, "\(what) must be a mapping of key: value lines")
            return nil
        }
        var result = Mapping(node: node)
        for (keyNode, value) in raw {
            guard let key = keyNode.scalar?.string else {
                error(keyNode, "\(what): keys are plain words")
                continue
            }
            if !allowed.contains(key) {
                error(keyNode, "\(what): unknown key '\(key)'" + Suggestion.hint(for: key, among: allowed))
                continue
            }
            if result.values[key] != nil {
                error(keyNode, "\(what): '\(key)' is given twice")
                continue
            }
            result.values[key] = value
            result.keyNodes[key] = keyNode
        }
        for key in required where result.values[key] == nil {
            error(node, "\(what): missing '\(key)'")
        }
        return result
    }

    struct Mapping {
        let node: Node
        var values: [String: Node] = [:]
        var keyNodes: [String: Node] = [:]
        subscript(key: String) -> Node? { values[key] }
        var line: Int { node.mark?.line ?? 0 }
    }

    func string(_ node: Node?, _ what: String) -> String? {
        guard let node else { return nil }
        guard let text = node.scalar?.string else {
            error(node, "\(what) must be a single value (text), not a list or mapping")
            return nil
        }
        return text
    }

    func int(_ node: Node?, _ what: String, range: ClosedRange<Int>) -> Int? {
        guard let text = string(node, what) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            error(node, "\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
            return nil
        }
        return value
    }

    func double(_ node: Node?, _ what: String, range: ClosedRange<Double>) -> Double? {
        guard let text = string(node, what) else { return nil }
        guard let value = Double(text), range.contains(value) else {
            error(node, "\(what) must be a number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
            return nil
        }
        return value
    }

    func bool(_ node: Node?, _ what: String) -> Bool? {
        guard let text = string(node, what) else { return nil }
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            error(node, "\(what) must be true or false, not '\(text)'")
            return nil
        }
    }

    /// A list; a single value stands for a list of one.
    func list(_ node: Node?, _ what: String) -> [Node] {
        guard let node else { return [] }
        switch node {
        case .sequence(let sequence): return Array(sequence)
        case .scalar: return [node]
        default:
            error(node, "\(what) must be a list (lines starting with '- ')")
            return []
        }
    }

    func strings(_ node: Node?, _ what: String) -> [String] {
        list(node, what).compactMap { string($0, what) }
    }
}
